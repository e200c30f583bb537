package web

import (
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/email"
	"github.com/foliocrm/folio/internal/errs"
)

// emailRoutes are the pages of email out: compose to one contact, bulk
// email from the contact list, saved templates, and one email's page.
func (s *Server) emailRoutes() {
	read, write := auth.PermContactsRead, auth.PermWrite
	s.handle("GET /contacts/{id}/email", write, s.emailCompose)
	s.handle("POST /contacts/{id}/email", write, s.emailComposeSubmit)
	s.handle("POST /emails/bulk", write, s.emailBulk)
	s.handle("GET /email-templates", read, s.emailTemplatesPage)
	s.handle("GET /email-templates/new", write, s.emailTemplateNew)
	s.handle("POST /email-templates", write, s.emailTemplateSave)
	s.handle("GET /email-templates/{id}", write, s.emailTemplateEdit)
	s.handle("POST /email-templates/{id}", write, s.emailTemplateSave)
	s.handle("GET /email-templates/{id}/delete", write, s.emailTemplateDeleteForm)
	s.handle("POST /email-templates/{id}/delete", write, s.emailTemplateDelete)
	s.handle("GET /emails/{id}", read, s.emailPage)
	s.handle("GET /emails/{id}/attachments/{att}", read, s.emailAttachment)
}

// emailCommon is what every compose page shows beside the form.
type emailCommon struct {
	Templates []email.Template
	Fields    []email.Field
	// SMTP is false when FOLIO_SMTP_URL is not set: mail stays queued.
	SMTP    bool
	Preview *email.Rendered
}

func (s *Server) emailCommon(r *http.Request) (emailCommon, error) {
	ts, err := s.Email.Templates(r.Context())
	return emailCommon{Templates: ts, Fields: email.Fields, SMTP: s.Email.SMTPConfigured()}, err
}

type composeData struct {
	contactHead
	emailCommon
	Portal    bool
	Addresses []choice
	Recent    []email.Email
}

func (s *Server) emailCompose(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadContact(w, r)
	if !ok {
		return
	}
	f := &Form{Values: url.Values{}, Errors: map[string]string{}}
	q := r.URL.Query()
	if q.Get("portal") == "1" {
		f.Values.Set("portal", "on")
	}
	if tid := q.Get("template"); tid != "" {
		f.Values.Set("template_id", tid)
		s.applyTemplate(r, f)
	}
	s.renderCompose(w, r, http.StatusOK, c, f, nil)
}

// applyTemplate fills the form's subject and body from its chosen template.
func (s *Server) applyTemplate(r *http.Request, f *Form) {
	id, _ := strconv.ParseInt(f.Get("template_id"), 10, 64)
	t, err := s.Email.Template(r.Context(), id)
	if err != nil {
		f.Errors["template_id"] = "Choose one of the saved templates."
		return
	}
	f.Values.Set("subject", t.Subject)
	f.Values.Set("body", t.Body)
}

func (s *Server) renderCompose(w http.ResponseWriter, r *http.Request, status int, c *contact.Contact, f *Form, preview *email.Rendered) {
	common, err := s.emailCommon(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	common.Preview = preview
	d := composeData{contactHead: s.contactHead(r, c, "email"), emailCommon: common, Portal: f.Get("portal") == "on"}
	for _, e := range c.Emails {
		label := e.Address
		if e.Primary {
			label += " (primary)"
		}
		d.Addresses = append(d.Addresses, choice{Value: e.Address, Label: label})
	}
	if f.Get("to") == "" && len(c.Emails) > 0 {
		for _, e := range c.Emails {
			if e.Primary {
				f.Values.Set("to", e.Address)
			}
		}
	}
	if d.Recent, err = s.Email.ForContact(r.Context(), contact.ViewerFor(userFrom(r.Context())), c.ID, 0, 10); err != nil {
		s.fail(w, r, err)
		return
	}
	title := "Email " + c.Name()
	if d.Portal {
		title = "Portal message to " + c.Name()
	}
	s.render(w, r, status, "app/email_compose", &Page{Title: title, Form: f, Data: d})
}

// emailComposeSubmit previews, applies a template, or sends.
func (s *Server) emailComposeSubmit(w http.ResponseWriter, r *http.Request) {
	c, f, v, ok := s.postedContact(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	tid, _ := strconv.ParseInt(f.Get("template_id"), 10, 64)
	d := email.Draft{ContactID: c.ID, To: f.Get("to"), TemplateID: tid, Subject: f.Get("subject"), Body: f.Get("body"), Portal: f.Get("portal") == "on"}
	switch f.Get("action") {
	case "template":
		s.applyTemplate(r, f)
		s.renderCompose(w, r, http.StatusOK, c, f, nil)
		return
	case "preview":
		p, err := s.Email.Preview(ctx, v, d)
		if err != nil {
			s.composeFailed(w, r, c, f, err)
			return
		}
		s.renderCompose(w, r, http.StatusOK, c, f, &p)
		return
	}
	id, err := s.Email.Send(ctx, v, d)
	if err != nil {
		s.composeFailed(w, r, c, f, err)
		return
	}
	what := "Email"
	if d.Portal {
		what = "Portal message"
	}
	if s.Email.SMTPConfigured() {
		s.setFlash(w, "success", what+" queued; it is being sent.")
	} else {
		s.setFlash(w, "warning", what+" saved and queued, but outgoing mail is not configured (FOLIO_SMTP_URL): it stays in the queue until it is.")
	}
	http.Redirect(w, r, "/emails/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (s *Server) composeFailed(w http.ResponseWriter, r *http.Request, c *contact.Contact, f *Form, err error) {
	if !f.fail(err, "body") {
		s.fail(w, r, err)
		return
	}
	status := http.StatusUnprocessableEntity
	if errs.Is(err, errs.Forbidden) {
		status = http.StatusForbidden
	}
	s.renderCompose(w, r, status, c, f, nil)
}

// bulkData is the bulk email page: the form, then the confirmation.
type bulkData struct {
	emailCommon
	IDs     []int64
	Return  string
	Plan    email.BulkPlan
	Confirm bool
	// Recipients are the choices of whom to preview.
	Recipients []choice
}

// emailBulk is the bulk email flow from the contact list: the ticked ids
// come in; the form writes the email; Preview shows it for one recipient;
// Review asks to confirm how many will be sent; Send queues them.
func (s *Server) emailBulk(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	ret := listReturn(f.Get("return"))
	var ids []int64
	for _, x := range f.Values["id"] {
		if id, err := strconv.ParseInt(x, 10, 64); err == nil && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		s.setFlash(w, "error", "Tick the contacts to email first.")
		http.Redirect(w, r, ret, http.StatusSeeOther)
		return
	}
	plan, err := s.Email.PlanBulk(ctx, v, ids)
	if err != nil {
		s.setFlash(w, "error", fieldMessage(err))
		http.Redirect(w, r, ret, http.StatusSeeOther)
		return
	}
	common, err := s.emailCommon(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := &bulkData{emailCommon: common, IDs: ids, Return: ret, Plan: plan}
	for _, rc := range plan.Recipients {
		d.Recipients = append(d.Recipients, choice{Value: strconv.FormatInt(rc.ContactID, 10), Label: rc.Name + " <" + rc.Email + ">"})
	}
	page := &Page{Title: "Email contacts", Form: f, Data: d}
	tid, _ := strconv.ParseInt(f.Get("template_id"), 10, 64)
	draft := email.BulkDraft{ContactIDs: ids, TemplateID: tid, Subject: f.Get("subject"), Body: f.Get("body")}
	status := http.StatusOK
	refuse := func(err error) {
		if !f.fail(err, "body") {
			s.fail(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "app/email_bulk", page)
	}
	switch f.Get("action") {
	case "template":
		s.applyTemplate(r, f)
	case "preview", "review":
		pid, _ := strconv.ParseInt(f.Get("preview_id"), 10, 64)
		if pid == 0 && len(plan.Recipients) > 0 {
			pid = plan.Recipients[0].ContactID
			f.Values.Set("preview_id", strconv.FormatInt(pid, 10))
		}
		if len(plan.Recipients) == 0 {
			f.Errors["body"] = "None of these contacts has an email address."
			status = http.StatusUnprocessableEntity
			break
		}
		p, err := s.Email.PreviewBulk(ctx, v, draft, pid)
		if err != nil {
			refuse(err)
			return
		}
		d.Preview = &p
		d.Confirm = f.Get("action") == "review"
	case "send":
		res, err := s.Email.SendBulk(ctx, v, draft)
		if err != nil {
			refuse(err)
			return
		}
		msg := fmt.Sprintf("Queued %s, one per recipient.", plural(res.Queued, "email", "emails"))
		if n := len(res.Skipped); n > 0 {
			msg += fmt.Sprintf(" Skipped %s without an email address.", plural(n, "contact", "contacts"))
		}
		if !s.Email.SMTPConfigured() {
			msg += " Outgoing mail is not configured (FOLIO_SMTP_URL): they stay in the queue until it is."
		}
		s.setFlash(w, "success", msg)
		http.Redirect(w, r, ret, http.StatusSeeOther)
		return
	}
	s.render(w, r, status, "app/email_bulk", page)
}

type emailPageData struct {
	E        *email.Email
	FiledOn  []email.Recipient
	SMTP     bool
	CanWrite bool
}

func (s *Server) emailPage(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	v := contact.ViewerFor(userFrom(r.Context()))
	e, err := s.Email.Get(r.Context(), v, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := emailPageData{E: e, SMTP: s.Email.SMTPConfigured(), CanWrite: !v.ReadOnly}
	if d.FiledOn, err = s.Email.FiledOn(r.Context(), v, id); err != nil {
		s.fail(w, r, err)
		return
	}
	title := e.Subject
	if title == "" {
		title = "Email"
	}
	s.render(w, r, http.StatusOK, "app/email", &Page{Title: title, Data: d})
}

func (s *Server) emailAttachment(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	att, ok := s.pathID(w, r, "att")
	if !ok {
		return
	}
	a, data, err := s.Email.OpenAttachment(r.Context(), contact.ViewerFor(userFrom(r.Context())), id, att)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Always a download, never shown inline: the bytes came from outside.
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename}))
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	_, _ = w.Write(data)
}

type templatesData struct {
	Templates []email.Template
	CanWrite  bool
	Fields    []email.Field
	Editing   *email.Template
	Deleting  *email.Template
}

func (s *Server) emailTemplatesPage(w http.ResponseWriter, r *http.Request) {
	ts, err := s.Email.Templates(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := contact.ViewerFor(userFrom(r.Context()))
	s.render(w, r, http.StatusOK, "app/email_templates", &Page{Title: "Email templates", Data: templatesData{Templates: ts, CanWrite: !v.ReadOnly, Fields: email.Fields}})
}

func (s *Server) emailTemplateNew(w http.ResponseWriter, r *http.Request) {
	s.renderTemplateForm(w, r, http.StatusOK, nil, &Form{Values: url.Values{}, Errors: map[string]string{}})
}

func (s *Server) emailTemplateEdit(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	t, err := s.Email.Template(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := &Form{Values: url.Values{"name": {t.Name}, "subject": {t.Subject}, "body": {t.Body}, "version": {strconv.Itoa(t.Version)}}, Errors: map[string]string{}}
	s.renderTemplateForm(w, r, http.StatusOK, &t, f)
}

func (s *Server) renderTemplateForm(w http.ResponseWriter, r *http.Request, status int, t *email.Template, f *Form) {
	title := "New email template"
	if t != nil {
		title = "Edit " + t.Name
	}
	s.render(w, r, status, "app/email_template_form", &Page{Title: title, Form: f, Data: templatesData{Editing: t, Fields: email.Fields}})
}

func (s *Server) emailTemplateSave(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	version, _ := strconv.Atoi(f.Get("version"))
	in := email.TemplateInput{Name: f.Get("name"), Subject: f.Get("subject"), Body: f.Get("body"), Version: version}
	var t *email.Template
	var err error
	if raw := r.PathValue("id"); raw != "" {
		id, ok := s.pathID(w, r, "id")
		if !ok {
			return
		}
		old, gerr := s.Email.Template(ctx, id)
		if gerr != nil {
			s.fail(w, r, gerr)
			return
		}
		t = &old
		err = s.Email.UpdateTemplate(ctx, v, id, in)
	} else {
		_, err = s.Email.CreateTemplate(ctx, v, in)
	}
	if err != nil {
		if !f.fail(err, "body") {
			s.fail(w, r, err)
			return
		}
		s.renderTemplateForm(w, r, http.StatusUnprocessableEntity, t, f)
		return
	}
	s.setFlash(w, "success", "Template “"+strings.Join(strings.Fields(in.Name), " ")+"” saved.")
	http.Redirect(w, r, "/email-templates", http.StatusSeeOther)
}

func (s *Server) emailTemplateDeleteForm(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	t, err := s.Email.Template(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "app/email_template_delete", &Page{Title: "Delete " + t.Name, Data: templatesData{Deleting: &t}})
}

func (s *Server) emailTemplateDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	t, err := s.Email.Template(r.Context(), id)
	if err == nil {
		err = s.Email.DeleteTemplate(r.Context(), contact.ViewerFor(userFrom(r.Context())), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "Template “"+t.Name+"” deleted.")
	http.Redirect(w, r, "/email-templates", http.StatusSeeOther)
}
