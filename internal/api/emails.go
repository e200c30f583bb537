package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/email"
)

// emailRoutes are email out: send to a contact, bulk email, the emails of
// a contact, one email, and the saved templates with their preview.
func (x *API) emailRoutes() {
	const (
		notFound = http.StatusNotFound
		conflict = http.StatusConflict
		invalid  = http.StatusUnprocessableEntity
	)
	read, write := auth.PermContactsRead, auth.PermWrite
	tags := []string{"Emails"}
	register(x, huma.Operation{OperationID: "send-email", Method: http.MethodPost, Path: "/contacts/{id}/emails", Summary: "Email a contact",
		Description: "Queues one email to the contact (the address given, or their primary one) from the firm's address, with " +
			"Reply-To your address. subject and body may hold merge fields ({{first_name}}, …); body is Markdown, sent as text " +
			"with a sanitised HTML version. With template_id and no subject or body, the template's are used. portal=true makes " +
			"it a portal message (kept for the client portal's inbox, and emailed). The answer's status is queued; without " +
			"outgoing mail configured (smtp_configured false) it stays queued until FOLIO_SMTP_URL is set.",
		Tags: tags, DefaultStatus: http.StatusCreated, Errors: []int{notFound, invalid}}, write, x.sendEmail)
	register(x, huma.Operation{OperationID: "list-contact-emails", Method: http.MethodGet, Path: "/contacts/{id}/emails",
		Summary: "List a contact's emails, sent and received, newest first", Tags: tags, Errors: []int{notFound}}, read, x.listContactEmails)
	register(x, huma.Operation{OperationID: "get-email", Method: http.MethodGet, Path: "/emails/{id}", Summary: "Get an email and its delivery",
		Tags: tags, Errors: []int{notFound}}, read, x.getEmail)
	register(x, huma.Operation{OperationID: "send-bulk-email", Method: http.MethodPost, Path: "/emails/bulk", Summary: "Email many contacts",
		Description: "Queues one email per contact (their primary address alone in To:; never a shared To: line), with merge " +
			"fields filled for each. Contacts without an email address are skipped and listed; contacts you may not write to " +
			"are counted in unavailable. One transaction: all are queued or none.",
		Tags: tags, DefaultStatus: http.StatusCreated, Errors: []int{invalid}}, write, x.sendBulkEmail)
	register(x, huma.Operation{OperationID: "list-email-templates", Method: http.MethodGet, Path: "/email-templates", Summary: "List email templates",
		Tags: tags}, read, x.listEmailTemplates)
	register(x, huma.Operation{OperationID: "create-email-template", Method: http.MethodPost, Path: "/email-templates", Summary: "Create an email template",
		Tags: tags, DefaultStatus: http.StatusCreated, Errors: []int{invalid}}, write, x.createEmailTemplate)
	register(x, huma.Operation{OperationID: "get-email-template", Method: http.MethodGet, Path: "/email-templates/{id}", Summary: "Get an email template",
		Tags: tags, Errors: []int{notFound}}, read, x.getEmailTemplate)
	register(x, huma.Operation{OperationID: "update-email-template", Method: http.MethodPut, Path: "/email-templates/{id}", Summary: "Change an email template",
		Description: "Send the version you edited; a template changed since is refused with 409.",
		Tags:        tags, Errors: []int{notFound, conflict, invalid}}, write, x.updateEmailTemplate)
	register(x, huma.Operation{OperationID: "delete-email-template", Method: http.MethodDelete, Path: "/email-templates/{id}", Summary: "Delete an email template",
		Tags: tags, DefaultStatus: http.StatusNoContent, Errors: []int{notFound}}, write, x.deleteEmailTemplate)
	register(x, huma.Operation{OperationID: "preview-email-template", Method: http.MethodPost, Path: "/email-templates/{id}/preview",
		Summary: "The template as one contact would get it", Tags: tags, Errors: []int{http.StatusBadRequest, notFound, invalid}}, read, x.previewEmailTemplate)
}

// Email is an email on contacts' timelines.
type Email struct {
	ID          int64        `json:"id"`
	Direction   string       `json:"direction" enum:"out,in" doc:"out: sent from Folio; in: received through a BCC address"`
	UserID      int64        `json:"user_id" doc:"out: the sender; in: whose BCC address received it"`
	User        string       `json:"user"`
	ContactID   int64        `json:"contact_id" doc:"out: the recipient; 0 for in (see the contacts' timelines)"`
	FromAddr    string       `json:"from_addr"`
	FromName    string       `json:"from_name"`
	To          string       `json:"to"`
	Cc          string       `json:"cc"`
	Subject     string       `json:"subject"`
	BodyText    string       `json:"body_text" doc:"out: the Markdown as sent (text/plain); in: the text part"`
	BodyHTML    string       `json:"body_html" doc:"Sanitised HTML, safe to show"`
	TemplateID  int64        `json:"template_id"`
	BatchID     int64        `json:"batch_id" doc:"The bulk send it was part of (0 for none)"`
	Portal      bool         `json:"portal" doc:"A portal message"`
	MessageID   string       `json:"message_id"`
	Status      string       `json:"status" enum:"queued,sending,sent,failed,received"`
	Attempts    int          `json:"attempts"`
	LastError   string       `json:"last_error" doc:"The mail server's reply when it failed or was deferred"`
	SentAt      *time.Time   `json:"sent_at"`
	CreatedAt   time.Time    `json:"created_at"`
	Attachments []Attachment `json:"attachments"`
}

// Attachment is a file received with an email (without its bytes).
type Attachment struct {
	ID          int64  `json:"id"`
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size" doc:"In bytes"`
}

func emailOut(e email.Email) Email {
	out := Email{ID: e.ID, Direction: e.Direction, UserID: e.UserID, User: e.User, ContactID: e.ContactID, FromAddr: e.FromAddr,
		FromName: e.FromName, To: e.To, Cc: e.Cc, Subject: e.Subject, BodyText: e.BodyText, BodyHTML: string(e.SafeHTML()),
		TemplateID: e.TemplateID, BatchID: e.BatchID, Portal: e.Portal, MessageID: e.MessageID, Status: e.Status,
		Attempts: e.Attempts, LastError: e.LastError, SentAt: e.SentAt, CreatedAt: e.CreatedAt, Attachments: []Attachment{}}
	for _, a := range e.Attachments {
		out.Attachments = append(out.Attachments, Attachment{ID: a.ID, Filename: a.Filename, ContentType: a.ContentType, Size: a.Size})
	}
	return out
}

type emailOutput struct {
	Body struct {
		Email
		SMTPConfigured bool `json:"smtp_configured" doc:"false: outgoing mail is not configured and the email stays queued"`
	}
}

type sendEmailInput struct {
	ID   int64 `path:"id" doc:"Contact id"`
	Body struct {
		To         string `json:"to,omitempty" doc:"One of the contact's addresses; the primary one when left out"`
		TemplateID int64  `json:"template_id,omitempty"`
		Subject    string `json:"subject,omitempty" maxLength:"250"`
		Body       string `json:"body,omitempty" doc:"Markdown"`
		Portal     bool   `json:"portal,omitempty" doc:"Send as a portal message"`
	}
}

func (x *API) sendEmail(ctx context.Context, in *sendEmailInput) (*emailOutput, error) {
	v := viewer(ctx)
	id, err := x.Email.Send(ctx, v, email.Draft{ContactID: in.ID, To: in.Body.To, TemplateID: in.Body.TemplateID,
		Subject: in.Body.Subject, Body: in.Body.Body, Portal: in.Body.Portal})
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return x.emailByID(ctx, id)
}

func (x *API) emailByID(ctx context.Context, id int64) (*emailOutput, error) {
	e, err := x.Email.Get(ctx, viewer(ctx), id)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &emailOutput{}
	out.Body.Email = emailOut(*e)
	out.Body.SMTPConfigured = x.Email.SMTPConfigured()
	return out, nil
}

type emailIDInput struct {
	ID int64 `path:"id" doc:"Email id"`
}

func (x *API) getEmail(ctx context.Context, in *emailIDInput) (*emailOutput, error) {
	return x.emailByID(ctx, in.ID)
}

type contactEmailsInput struct {
	ID     int64 `path:"id" doc:"Contact id"`
	Before int64 `query:"before" doc:"Emails with ids below this one (next_before of the previous page)"`
	Limit  int   `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

type contactEmailsOutput struct {
	Body struct {
		Items      []Email `json:"items"`
		NextBefore int64   `json:"next_before" doc:"0 on the last page"`
	}
}

func (x *API) listContactEmails(ctx context.Context, in *contactEmailsInput) (*contactEmailsOutput, error) {
	es, err := x.Email.ForContact(ctx, viewer(ctx), in.ID, in.Before, in.Limit+1)
	if err != nil {
		return nil, x.readProblem(ctx, err, "/emails")
	}
	out := &contactEmailsOutput{}
	if len(es) > in.Limit {
		es = es[:in.Limit]
		out.Body.NextBefore = es[len(es)-1].ID
	}
	out.Body.Items = listOf(es, emailOut)
	return out, nil
}

type bulkEmailInput struct {
	Body struct {
		ContactIDs []int64 `json:"contact_ids" minItems:"1" maxItems:"50000"`
		TemplateID int64   `json:"template_id,omitempty"`
		Subject    string  `json:"subject,omitempty" maxLength:"250"`
		Body       string  `json:"body,omitempty" doc:"Markdown"`
	}
}

// Recipient is a contact of a bulk email.
type Recipient struct {
	ContactID int64  `json:"contact_id"`
	Name      string `json:"name"`
}

type bulkEmailOutput struct {
	Body struct {
		BatchID        int64       `json:"batch_id" doc:"batch_id of each email of this send"`
		Queued         int         `json:"queued"`
		Skipped        []Recipient `json:"skipped" doc:"Contacts without an email address"`
		Unavailable    int         `json:"unavailable" doc:"Ids that are not contacts you may write to"`
		SMTPConfigured bool        `json:"smtp_configured"`
	}
}

func (x *API) sendBulkEmail(ctx context.Context, in *bulkEmailInput) (*bulkEmailOutput, error) {
	res, err := x.Email.SendBulk(ctx, viewer(ctx), email.BulkDraft{ContactIDs: in.Body.ContactIDs, TemplateID: in.Body.TemplateID,
		Subject: in.Body.Subject, Body: in.Body.Body})
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &bulkEmailOutput{}
	out.Body.BatchID, out.Body.Queued, out.Body.Unavailable = res.BatchID, res.Queued, res.Unavailable
	out.Body.Skipped = listOf(res.Skipped, func(r email.Recipient) Recipient { return Recipient{ContactID: r.ContactID, Name: r.Name} })
	out.Body.SMTPConfigured = x.Email.SMTPConfigured()
	return out, nil
}

// EmailTemplate is a saved email with merge fields.
type EmailTemplate struct {
	ID        int64     `json:"id" readOnly:"true"`
	Name      string    `json:"name" maxLength:"100"`
	Subject   string    `json:"subject" maxLength:"250"`
	Body      string    `json:"body" doc:"Markdown with merge fields"`
	Author    string    `json:"author" readOnly:"true"`
	Version   int       `json:"version" doc:"On update: the version you edited"`
	CreatedAt time.Time `json:"created_at" readOnly:"true"`
	UpdatedAt time.Time `json:"updated_at" readOnly:"true"`
}

func templateOut(t email.Template) EmailTemplate {
	return EmailTemplate{ID: t.ID, Name: t.Name, Subject: t.Subject, Body: t.Body, Author: t.Author, Version: t.Version,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

type templateListOutput struct {
	Body struct {
		Items []EmailTemplate `json:"items"`
	}
}

func (x *API) listEmailTemplates(ctx context.Context, _ *struct{}) (*templateListOutput, error) {
	ts, err := x.Email.Templates(ctx)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &templateListOutput{}
	out.Body.Items = listOf(ts, templateOut)
	return out, nil
}

type templateOutput struct {
	Body EmailTemplate
}

type templateIDInput struct {
	ID int64 `path:"id" doc:"Template id"`
}

type templateBody struct {
	Name    string `json:"name" maxLength:"100"`
	Subject string `json:"subject" maxLength:"250"`
	Body    string `json:"body" doc:"Markdown with merge fields"`
	Version int    `json:"version,omitempty" doc:"On update: the version you edited (0: do not check)"`
}

type createTemplateInput struct {
	Body templateBody
}

func (x *API) templateByID(ctx context.Context, id int64) (*templateOutput, error) {
	t, err := x.Email.Template(ctx, id)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return &templateOutput{Body: templateOut(t)}, nil
}

func (x *API) createEmailTemplate(ctx context.Context, in *createTemplateInput) (*templateOutput, error) {
	id, err := x.Email.CreateTemplate(ctx, viewer(ctx), email.TemplateInput{Name: in.Body.Name, Subject: in.Body.Subject, Body: in.Body.Body})
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return x.templateByID(ctx, id)
}

func (x *API) getEmailTemplate(ctx context.Context, in *templateIDInput) (*templateOutput, error) {
	return x.templateByID(ctx, in.ID)
}

type updateTemplateInput struct {
	ID   int64 `path:"id" doc:"Template id"`
	Body templateBody
}

func (x *API) updateEmailTemplate(ctx context.Context, in *updateTemplateInput) (*templateOutput, error) {
	err := x.Email.UpdateTemplate(ctx, viewer(ctx), in.ID, email.TemplateInput{Name: in.Body.Name, Subject: in.Body.Subject,
		Body: in.Body.Body, Version: in.Body.Version})
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return x.templateByID(ctx, in.ID)
}

func (x *API) deleteEmailTemplate(ctx context.Context, in *templateIDInput) (*struct{}, error) {
	if err := x.Email.DeleteTemplate(ctx, viewer(ctx), in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}

type previewTemplateInput struct {
	ID        int64 `path:"id" doc:"Template id"`
	ContactID int64 `query:"contact_id" required:"true" doc:"The contact to preview it for"`
}

type previewOutput struct {
	Body struct {
		ContactID int64  `json:"contact_id"`
		To        string `json:"to"`
		ToName    string `json:"to_name"`
		Subject   string `json:"subject"`
		Text      string `json:"text" doc:"The text/plain part"`
		HTML      string `json:"html" doc:"The sanitised text/html part"`
	}
}

func (x *API) previewEmailTemplate(ctx context.Context, in *previewTemplateInput) (*previewOutput, error) {
	if _, err := x.Email.Template(ctx, in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	r, err := x.Email.Preview(ctx, viewer(ctx), email.Draft{ContactID: in.ContactID, TemplateID: in.ID})
	if err != nil {
		return nil, x.problemAt(ctx, err, inQuery)
	}
	out := &previewOutput{}
	out.Body.ContactID, out.Body.To, out.Body.ToName, out.Body.Subject, out.Body.Text, out.Body.HTML = r.ContactID, r.To, r.ToName, r.Subject, r.Text, string(r.HTML)
	return out, nil
}
