package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/ticket"
)

// ticketRoutes are the pages of tickets about contacts: reading needs
// contacts.read (which tickets, the domain decides by their contact),
// changing records.write; deleting is for admins, checked by the domain.
func (s *Server) ticketRoutes() {
	read, write := auth.PermContactsRead, auth.PermWrite
	s.handle("GET /tickets", read, s.ticketList)
	s.handle("POST /tickets/columns", read, s.ticketColumns)
	s.handle("GET /tickets/comments", read, s.ticketCommentReport)
	s.handle("GET /tickets/new", write, s.ticketNewForm)
	s.handle("POST /tickets/new", write, s.ticketCreate)
	s.handle("GET /tickets/{id}", read, s.ticketPage)
	s.handle("GET /tickets/{id}/edit", write, s.ticketEditForm)
	s.handle("POST /tickets/{id}/edit", write, s.ticketUpdate)
	s.handle("POST /tickets/{id}/status", write, s.ticketQuickChange)
	s.handle("POST /tickets/{id}/assignee", write, s.ticketQuickChange)
	s.handle("GET /tickets/{id}/delete", write, s.ticketDeleteForm)
	s.handle("POST /tickets/{id}/delete", write, s.ticketDelete)
	s.handle("POST /tickets/{id}/comments", write, s.ticketCommentAdd)
	s.handle("POST /tickets/{id}/comments/{cid}/edit", write, s.ticketCommentEdit)
	s.handle("GET /tickets/{id}/comments/{cid}/delete", write, s.ticketCommentDeleteForm)
	s.handle("POST /tickets/{id}/comments/{cid}/delete", write, s.ticketCommentDelete)
}

// ticketOption is a choice of a select box (the "select" partial).
type ticketOption struct{ Value, Label string }

func ticketOptions(opts []contact.Option) []ticketOption {
	out := make([]ticketOption, len(opts))
	for i, o := range opts {
		out[i] = ticketOption{o.Key, o.Label}
	}
	return out
}

func (s *Server) assigneeOptions(r *http.Request) ([]ticketOption, error) {
	people, err := s.Tickets.Assignees(r.Context())
	out := make([]ticketOption, 0, len(people))
	for _, p := range people {
		out = append(out, ticketOption{strconv.FormatInt(p.ID, 10), p.Name})
	}
	return out, err
}

// ticketView is a ticket with the badges the pages show it with.
type ticketView struct{ *ticket.Ticket }

func (t ticketView) StatusBadge() string {
	return map[string]string{"open": "badge-blue", "in_progress": "badge-amber", "on_hold": "badge-gray", "closed": "badge-green"}[t.Status]
}

func (t ticketView) PriorityBadge() string {
	return map[string]string{"urgent": "badge-red", "high": "badge-amber"}[t.Priority]
}

// ticketListState is the list's search, filters and order as they are in
// the URL.
type ticketListState struct {
	Q, Status, Priority, Assignee, Contact, Sort, Cursor string
}

func (st ticketListState) values() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"q": st.Q, "status": st.Status, "priority": st.Priority, "assignee": st.Assignee,
		"contact": st.Contact, "sort": st.Sort} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

func ticketListURL(q url.Values) string {
	if len(q) == 0 {
		return "/tickets"
	}
	return "/tickets?" + q.Encode()
}

// URL is the list as it is now, from its first page.
func (st ticketListState) URL() string { return ticketListURL(st.values()) }

// Filtered reports whether a search or filter narrows the list.
func (st ticketListState) Filtered() bool {
	return st.Q != "" || st.Status != "" || st.Priority != "" || st.Assignee != "" || st.Contact != ""
}

// Clear is the list without search and filters, in the same order.
func (st ticketListState) Clear() string {
	return ticketListState{Sort: st.Sort}.URL()
}

type ticketHeader struct {
	Key, Label, URL string
	Sort            string // ascending, descending or ""
}

type ticketListData struct {
	State       ticketListState
	Rows        []ticketView
	Columns     []string
	Choices     []ticketColumnChoice
	Headers     []ticketHeader
	Statuses    []ticketOption
	Priorities  []ticketOption
	Assignees   []ticketOption
	ContactName string
	NextURL     string
	FirstURL    string
	Refused     string
	NoTickets   bool
	CanWrite    bool
}

type ticketColumnChoice struct {
	Key, Label string
	On         bool
}

// Has reports whether the list shows column key.
func (d ticketListData) Has(key string) bool { return slices.Contains(d.Columns, key) }

func (s *Server) ticketList(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := userFrom(ctx)
	v := contact.ViewerFor(u)
	qv := r.URL.Query()
	st := ticketListState{Q: qv.Get("q"), Status: qv.Get("status"), Priority: qv.Get("priority"), Assignee: qv.Get("assignee"),
		Contact: qv.Get("contact"), Sort: qv.Get("sort"), Cursor: qv.Get("cursor")}
	d := ticketListData{State: st, Statuses: ticketOptions(ticket.Statuses), Priorities: ticketOptions(ticket.Priorities), CanWrite: !v.ReadOnly}
	var err error
	if d.Assignees, err = s.assigneeOptions(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Columns, err = s.Tickets.ColumnsOf(ctx, u.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range ticket.Columns {
		d.Choices = append(d.Choices, ticketColumnChoice{c.Key, c.Label, d.Has(c.Key)})
	}
	q := ticket.Query{Q: st.Q, Status: st.Status, Priority: st.Priority, Assignee: st.Assignee, Sort: st.Sort, Cursor: st.Cursor}
	status := http.StatusOK
	if st.Contact != "" {
		id, perr := strconv.ParseInt(st.Contact, 10, 64)
		if perr != nil || id <= 0 {
			err = errs.FieldErrors(map[string]string{"contact": "The contact filter is a contact's number."})
		} else {
			q.ContactID = id
			if c, cerr := s.Contacts.Get(ctx, v, id); cerr == nil {
				d.ContactName = c.Name()
			}
		}
	}
	var page ticket.Page
	if err == nil {
		page, err = s.Tickets.List(ctx, v, q)
	}
	switch {
	case errs.Is(err, errs.Invalid):
		status = http.StatusBadRequest
		for _, m := range errs.FieldsOf(err) {
			d.Refused = sentence(m)
		}
	case err != nil:
		s.fail(w, r, err)
		return
	}
	for i := range page.Items {
		d.Rows = append(d.Rows, ticketView{&page.Items[i]})
	}
	d.NoTickets = len(d.Rows) == 0 && !st.Filtered() && st.Cursor == "" && d.Refused == ""
	sortKey, desc, _ := ticket.ParseSort(st.Sort)
	for _, c := range ticket.Columns {
		if !d.Has(c.Key) {
			continue
		}
		h := ticketHeader{Key: c.Key, Label: c.Label}
		next := c.Key
		if c.Key == sortKey {
			if desc {
				h.Sort = "descending"
			} else {
				h.Sort, next = "ascending", "-"+c.Key
			}
		}
		vals := st.values()
		vals.Set("sort", next)
		h.URL = ticketListURL(vals)
		d.Headers = append(d.Headers, h)
	}
	if page.NextCursor != "" {
		vals := st.values()
		vals.Set("cursor", page.NextCursor)
		d.NextURL = ticketListURL(vals)
	}
	if st.Cursor != "" {
		d.FirstURL = st.URL()
	}
	s.render(w, r, status, "app/ticket_list", &Page{Title: "Tickets", Form: &Form{}, Data: d})
}

// ticketColumns remembers the columns the user chose and goes back to the
// list as it was.
func (s *Server) ticketColumns(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	if _, err := s.Tickets.SaveColumns(r.Context(), userFrom(r.Context()).ID, f.Values["cols"]); err != nil {
		s.fail(w, r, err)
		return
	}
	back := f.Get("return")
	if back != "/tickets" && !strings.HasPrefix(back, "/tickets?") {
		back = "/tickets"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

type ticketFormData struct {
	Ticket      *ticketView // nil for a new ticket
	ContactName string
	Statuses    []ticketOption
	Priorities  []ticketOption
	Assignees   []ticketOption
	Conflict    bool
}

func (s *Server) ticketForm(w http.ResponseWriter, r *http.Request, status int, t *ticket.Ticket, f *Form) {
	d := ticketFormData{Statuses: ticketOptions(ticket.Statuses), Priorities: ticketOptions(ticket.Priorities)}
	var err error
	if d.Assignees, err = s.assigneeOptions(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if t != nil {
		d.Ticket = &ticketView{t}
		// A disabled assignee stays selectable on their own ticket.
		if t.AssigneeID != 0 && !slices.ContainsFunc(d.Assignees, func(o ticketOption) bool { return o.Value == strconv.FormatInt(t.AssigneeID, 10) }) {
			d.Assignees = append(d.Assignees, ticketOption{strconv.FormatInt(t.AssigneeID, 10), t.Assignee + " (disabled)"})
		}
	}
	if id, err := strconv.ParseInt(f.Get("contact_id"), 10, 64); err == nil && id > 0 {
		if c, err := s.Contacts.Get(r.Context(), contact.ViewerFor(userFrom(r.Context())), id); err == nil {
			d.ContactName = c.Name()
		}
	}
	title := "New ticket"
	if t != nil {
		title = "Edit ticket #" + strconv.FormatInt(t.ID, 10)
		d.Conflict = f.Error("version") != ""
	}
	s.render(w, r, status, "app/ticket_form", &Page{Title: title, Form: f, Data: d})
}

func (s *Server) ticketNewForm(w http.ResponseWriter, r *http.Request) {
	f := &Form{Values: url.Values{}, Errors: map[string]string{}}
	f.Values.Set("priority", "normal")
	f.Values.Set("status", "open")
	if c := r.URL.Query().Get("contact"); c != "" {
		f.Values.Set("contact_id", c)
	}
	s.ticketForm(w, r, http.StatusOK, nil, f)
}

// ticketFormID reads a form's id field: "" is 0, anything but a number is -1
// so the domain refuses it with its own message.
func ticketFormID(s string) int64 {
	if strings.TrimSpace(s) == "" {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || n < 0 {
		return -1
	}
	return n
}

func ticketFormErrors(f *Form, err error) {
	for k, m := range errs.FieldsOf(err) {
		f.Errors[k] = sentence(m)
	}
	if len(errs.FieldsOf(err)) == 0 {
		f.Errors["version"] = errs.MessageOf(err)
	}
}

func (s *Server) ticketCreate(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	v := contact.ViewerFor(userFrom(r.Context()))
	in := ticket.Input{ContactID: ticketFormID(f.Get("contact_id")), Title: f.Get("title"), Description: f.Get("description"),
		Priority: f.Get("priority"), Status: f.Get("status"), AssigneeID: ticketFormID(f.Get("assignee_id"))}
	if in.ContactID < 0 {
		in.ContactID = 0
	}
	id, err := s.Tickets.Create(r.Context(), v, in)
	if err != nil {
		if !errs.Is(err, errs.Invalid) {
			s.fail(w, r, err)
			return
		}
		ticketFormErrors(f, err)
		s.ticketForm(w, r, http.StatusUnprocessableEntity, nil, f)
		return
	}
	s.setFlash(w, "success", "Ticket #"+strconv.FormatInt(id, 10)+" opened.")
	http.Redirect(w, r, ticket.URL(id), http.StatusSeeOther)
}

// loadTicket reads the request's {id} ticket, answering 404 itself.
func (s *Server) loadTicket(w http.ResponseWriter, r *http.Request) (*ticket.Ticket, bool) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return nil, false
	}
	t, err := s.Tickets.Get(r.Context(), contact.ViewerFor(userFrom(r.Context())), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return t, true
}

type ticketPageData struct {
	Ticket     ticketView
	Comments   []ticket.Comment
	Statuses   []ticketOption
	Assignees  []ticketOption
	CanWrite   bool
	IsAdmin    bool
	Me         int64
	EditingCID int64 // the comment whose edit form came back with an error
}

func (s *Server) renderTicket(w http.ResponseWriter, r *http.Request, status int, t *ticket.Ticket, f *Form, editing int64) {
	v := contact.ViewerFor(userFrom(r.Context()))
	cs, err := s.Tickets.Comments(r.Context(), v, t.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := ticketPageData{Ticket: ticketView{t}, Comments: cs, Statuses: ticketOptions(ticket.Statuses), CanWrite: !v.ReadOnly, IsAdmin: v.Admin,
		Me: v.UserID, EditingCID: editing}
	if d.Assignees, err = s.assigneeOptions(r); err != nil {
		s.fail(w, r, err)
		return
	}
	if f == nil {
		f = &Form{Values: url.Values{}, Errors: map[string]string{}}
	}
	if f.Get("status") == "" {
		f.Values.Set("status", t.Status)
	}
	if f.Get("assignee_id") == "" && t.AssigneeID != 0 {
		f.Values.Set("assignee_id", strconv.FormatInt(t.AssigneeID, 10))
	}
	s.render(w, r, status, "app/ticket", &Page{Title: "Ticket #" + strconv.FormatInt(t.ID, 10) + ": " + t.Title, Form: f, Data: d})
}

func (s *Server) ticketPage(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTicket(w, r)
	if !ok {
		return
	}
	s.renderTicket(w, r, http.StatusOK, t, nil, 0)
}

func (s *Server) ticketEditForm(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTicket(w, r)
	if !ok {
		return
	}
	f := &Form{Values: url.Values{}, Errors: map[string]string{}}
	for k, v := range map[string]string{"contact_id": strconv.FormatInt(t.ContactID, 10), "title": t.Title, "description": t.Description,
		"priority": t.Priority, "status": t.Status, "version": strconv.Itoa(t.Version)} {
		f.Values.Set(k, v)
	}
	if t.AssigneeID != 0 {
		f.Values.Set("assignee_id", strconv.FormatInt(t.AssigneeID, 10))
	}
	s.ticketForm(w, r, http.StatusOK, t, f)
}

func (s *Server) ticketUpdate(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTicket(w, r)
	if !ok {
		return
	}
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	v := contact.ViewerFor(userFrom(r.Context()))
	cid, title, desc, prio, status, assignee := ticketFormID(f.Get("contact_id")), f.Get("title"), f.Get("description"),
		f.Get("priority"), f.Get("status"), ticketFormID(f.Get("assignee_id"))
	if cid < 0 {
		cid = 0
	}
	version, _ := strconv.Atoi(f.Get("version"))
	if version <= 0 {
		version = -1 // a form without its version is refused as stale
	}
	err := s.Tickets.Update(r.Context(), v, t.ID, ticket.Edit{ContactID: &cid, Title: &title, Description: &desc, Priority: &prio,
		Status: &status, AssigneeID: &assignee, Version: version})
	if err != nil {
		switch errs.CodeOf(err) {
		case errs.Invalid, errs.Conflict:
			ticketFormErrors(f, err)
			code := http.StatusUnprocessableEntity
			if errs.Is(err, errs.Conflict) {
				code = http.StatusConflict
				if fresh, ferr := s.Tickets.Get(r.Context(), v, t.ID); ferr == nil {
					t = fresh
					f.Values.Set("version", strconv.Itoa(t.Version))
				}
			}
			s.ticketForm(w, r, code, t, f)
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.setFlash(w, "success", "Ticket saved.")
	http.Redirect(w, r, ticket.URL(t.ID), http.StatusSeeOther)
}

// ticketQuickChange changes only the status or only the assignee from the
// ticket's page.
func (s *Server) ticketQuickChange(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTicket(w, r)
	if !ok {
		return
	}
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	v := contact.ViewerFor(userFrom(r.Context()))
	version, _ := strconv.Atoi(f.Get("version"))
	if version <= 0 {
		version = -1
	}
	e := ticket.Edit{Version: version}
	msg := "Status changed."
	if strings.HasSuffix(r.URL.Path, "/status") {
		st := f.Get("status")
		e.Status = &st
	} else {
		a := ticketFormID(f.Get("assignee_id"))
		e.AssigneeID = &a
		msg = "Assignee changed."
	}
	if err := s.Tickets.Update(r.Context(), v, t.ID, e); err != nil {
		if !f.fail(err, "version") {
			s.fail(w, r, err)
			return
		}
		for k, m := range f.Errors {
			f.Errors[k] = sentence(m)
		}
		code := http.StatusUnprocessableEntity
		if errs.Is(err, errs.Conflict) {
			code = http.StatusConflict
		}
		if fresh, ferr := s.Tickets.Get(r.Context(), v, t.ID); ferr == nil {
			t = fresh
		}
		s.renderTicket(w, r, code, t, f, 0)
		return
	}
	s.setFlash(w, "success", msg)
	http.Redirect(w, r, ticket.URL(t.ID), http.StatusSeeOther)
}

type ticketConfirmData struct {
	Ticket  ticketView
	Comment *ticket.Comment
}

func (s *Server) ticketDeleteForm(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTicket(w, r)
	if !ok {
		return
	}
	if !contact.ViewerFor(userFrom(r.Context())).Admin {
		s.renderErrorText(w, r, http.StatusForbidden, "Only an admin can delete a ticket.")
		return
	}
	s.render(w, r, http.StatusOK, "app/ticket_confirm", &Page{Title: "Delete ticket #" + strconv.FormatInt(t.ID, 10), Form: &Form{},
		Data: ticketConfirmData{Ticket: ticketView{t}}})
}

func (s *Server) ticketDelete(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTicket(w, r)
	if !ok {
		return
	}
	if err := s.Tickets.Delete(r.Context(), contact.ViewerFor(userFrom(r.Context())), t.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "Ticket #"+strconv.FormatInt(t.ID, 10)+" deleted. The activity log keeps its text.")
	http.Redirect(w, r, "/tickets", http.StatusSeeOther)
}

func (s *Server) ticketCommentAdd(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTicket(w, r)
	if !ok {
		return
	}
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	id, err := s.Tickets.AddComment(r.Context(), contact.ViewerFor(userFrom(r.Context())), t.ID, f.Get("body"))
	if err != nil {
		if !errs.Is(err, errs.Invalid) {
			s.fail(w, r, err)
			return
		}
		f.Errors["body"] = sentence(errs.FieldsOf(err)["body"])
		s.renderTicket(w, r, http.StatusUnprocessableEntity, t, f, 0)
		return
	}
	http.Redirect(w, r, ticket.URL(t.ID)+"#comment-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// ticketComment reads the request's {cid} comment of the {id} ticket.
func (s *Server) ticketComment(w http.ResponseWriter, r *http.Request) (*ticket.Ticket, *ticket.Comment, bool) {
	t, ok := s.loadTicket(w, r)
	if !ok {
		return nil, nil, false
	}
	cid, ok := s.pathID(w, r, "cid")
	if !ok {
		return nil, nil, false
	}
	c, err := s.Tickets.Comment(r.Context(), contact.ViewerFor(userFrom(r.Context())), cid)
	if err == nil && c.TicketID != t.ID {
		err = errs.E(errs.NotFound, "No such comment on this ticket.")
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	return t, c, true
}

func (s *Server) ticketCommentEdit(w http.ResponseWriter, r *http.Request) {
	t, c, ok := s.ticketComment(w, r)
	if !ok {
		return
	}
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(f.Get("version"))
	if version <= 0 {
		version = -1
	}
	err := s.Tickets.EditComment(r.Context(), contact.ViewerFor(userFrom(r.Context())), c.ID, f.Get("comment_body"), version)
	if err != nil {
		switch errs.CodeOf(err) {
		case errs.Invalid, errs.Conflict:
			if m := errs.FieldsOf(err)["body"]; m != "" {
				f.Errors["comment_body"] = sentence(m)
			} else {
				f.Errors["comment_body"] = errs.MessageOf(err)
			}
			code := http.StatusUnprocessableEntity
			if errs.Is(err, errs.Conflict) {
				code = http.StatusConflict
			}
			s.renderTicket(w, r, code, t, f, c.ID)
		default:
			s.fail(w, r, err)
		}
		return
	}
	s.setFlash(w, "success", "Comment saved.")
	http.Redirect(w, r, ticket.URL(t.ID)+"#comment-"+strconv.FormatInt(c.ID, 10), http.StatusSeeOther)
}

func (s *Server) ticketCommentDeleteForm(w http.ResponseWriter, r *http.Request) {
	t, c, ok := s.ticketComment(w, r)
	if !ok {
		return
	}
	if !contact.ViewerFor(userFrom(r.Context())).Admin {
		s.renderErrorText(w, r, http.StatusForbidden, "Only an admin can delete a comment.")
		return
	}
	s.render(w, r, http.StatusOK, "app/ticket_confirm", &Page{Title: "Delete a comment", Form: &Form{},
		Data: ticketConfirmData{Ticket: ticketView{t}, Comment: c}})
}

func (s *Server) ticketCommentDelete(w http.ResponseWriter, r *http.Request) {
	t, c, ok := s.ticketComment(w, r)
	if !ok {
		return
	}
	if err := s.Tickets.DeleteComment(r.Context(), contact.ViewerFor(userFrom(r.Context())), c.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "Comment deleted. The activity log keeps its text.")
	http.Redirect(w, r, ticket.URL(t.ID)+"#comments", http.StatusSeeOther)
}

type ticketReportData struct {
	Q        string
	Comments []ticket.Comment
	NextURL  string
	FirstURL string
	Refused  string
}

// ticketCommentReport lists every comment on the tickets the user sees,
// newest first, with a keyword search.
func (s *Server) ticketCommentReport(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := ticketReportData{Q: q.Get("q")}
	p, err := s.Tickets.CommentReport(r.Context(), contact.ViewerFor(userFrom(r.Context())), ticket.CommentQuery{Q: d.Q, Cursor: q.Get("cursor")})
	status := http.StatusOK
	switch {
	case errs.Is(err, errs.Invalid):
		status = http.StatusBadRequest
		for _, m := range errs.FieldsOf(err) {
			d.Refused = sentence(m)
		}
	case err != nil:
		s.fail(w, r, err)
		return
	}
	d.Comments = p.Items
	base := url.Values{}
	if d.Q != "" {
		base.Set("q", d.Q)
	}
	if p.NextCursor != "" {
		next := url.Values{"cursor": {p.NextCursor}}
		if d.Q != "" {
			next.Set("q", d.Q)
		}
		d.NextURL = "/tickets/comments?" + next.Encode()
	}
	if q.Get("cursor") != "" {
		d.FirstURL = "/tickets/comments"
		if len(base) > 0 {
			d.FirstURL += "?" + base.Encode()
		}
	}
	s.render(w, r, status, "app/ticket_comments", &Page{Title: "Ticket comments", Form: &Form{}, Data: d})
}
