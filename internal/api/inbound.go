package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/inbound"
)

// inboundRoutes are BCC logging's operations: the caller's unfiled
// received mail, filing it on a contact, making a contact of its sender,
// deleting it.
func (x *API) inboundRoutes() {
	const (
		bad      = http.StatusBadRequest
		notFound = http.StatusNotFound
		conflict = http.StatusConflict
		invalid  = http.StatusUnprocessableEntity
	)
	tags := []string{"BCC logging"}
	register(x, huma.Operation{OperationID: "list-unfiled-emails", Method: http.MethodGet, Path: "/emails/unfiled",
		Summary: "List your unfiled received mail",
		Description: "Mail sent to your BCC address (bcc_address in GET /api/v1/me) that names none of your contacts in From, To or Cc, " +
			"newest first.",
		Tags: tags, Errors: []int{bad}}, auth.PermContactsRead, x.listUnfiled)
	register(x, huma.Operation{OperationID: "file-email", Method: http.MethodPost, Path: "/emails/{id}/file",
		Summary:     "File a received email on a contact",
		Description: "Puts one of your received emails on the timeline of a contact you may change. Filing it where it is already changes nothing.",
		Tags:        tags, Errors: []int{bad, notFound, invalid}}, auth.PermWrite, x.fileEmail)
	register(x, huma.Operation{OperationID: "create-contact-from-email", Method: http.MethodPost, Path: "/emails/{id}/create-contact",
		Summary: "Create a contact from a received email's sender",
		Description: "A person owned by you, named and addressed as the sender, with the email on their timeline. When you already see a " +
			"contact with that address, 409 names it: file the email on it instead.",
		Tags: tags, DefaultStatus: http.StatusCreated, Errors: []int{bad, notFound, conflict, invalid}}, auth.PermWrite, x.createFromSender)
	register(x, huma.Operation{OperationID: "delete-unfiled-email", Method: http.MethodDelete, Path: "/emails/unfiled/{id}",
		Summary: "Delete an unfiled received email", Description: "With its attachments, for good. Filed mail cannot be deleted here (409).",
		Tags: tags, DefaultStatus: http.StatusNoContent, Errors: []int{bad, notFound, conflict}}, auth.PermWrite, x.deleteUnfiled)
}

// ReceivedEmail is mail received through a BCC address, as the API shows
// it in the unfiled list.
type ReceivedEmail struct {
	ID          int64        `json:"id"`
	FromAddr    string       `json:"from_addr"`
	FromName    string       `json:"from_name"`
	To          string       `json:"to_addrs" doc:"Addresses separated by \", \""`
	Cc          string       `json:"cc_addrs" doc:"Addresses separated by \", \""`
	Subject     string       `json:"subject"`
	BodyText    string       `json:"body_text" doc:"The plain-text part (or the text of an HTML-only message), with notes about attachments that were too large to keep"`
	MessageID   string       `json:"message_id"`
	Filed       bool         `json:"filed" doc:"Whether it is on at least one contact's timeline"`
	Attachments []Attachment `json:"attachments"`
	ReceivedAt  time.Time    `json:"received_at"`
}

func receivedOut(e inbound.Email) ReceivedEmail {
	out := ReceivedEmail{ID: e.ID, FromAddr: e.FromAddr, FromName: e.FromName, To: e.To, Cc: e.Cc, Subject: e.Subject,
		BodyText: e.Text, MessageID: e.MessageID, Filed: e.Filed, ReceivedAt: e.CreatedAt, Attachments: []Attachment{}}
	for _, f := range e.Files {
		out.Attachments = append(out.Attachments, Attachment{ID: f.ID, Filename: f.Filename, ContentType: f.ContentType, Size: f.Size})
	}
	return out
}

type unfiledListOutput struct {
	Body struct {
		Items      []ReceivedEmail `json:"items"`
		NextCursor string          `json:"next_cursor"`
	}
}

func (x *API) listUnfiled(ctx context.Context, in *listInput) (*unfiledListOutput, error) {
	limit := min(in.Limit, 200)
	p, err := x.Inbound.Unfiled(ctx, userFrom(ctx), in.Cursor, limit)
	if err != nil {
		if errs.Is(err, errs.Invalid) {
			return nil, badCursor()
		}
		return nil, x.problem(ctx, err)
	}
	out := &unfiledListOutput{}
	out.Body.Items = make([]ReceivedEmail, 0, len(p.Emails))
	for _, e := range p.Emails {
		out.Body.Items = append(out.Body.Items, receivedOut(e))
	}
	out.Body.NextCursor = p.NextCursor
	return out, nil
}

type receivedOutput struct{ Body ReceivedEmail }

type fileEmailInput struct {
	ID   int64 `path:"id"`
	Body struct {
		ContactID int64 `json:"contact_id" minimum:"1" doc:"The contact whose timeline gets the email"`
	}
}

func (x *API) fileEmail(ctx context.Context, in *fileEmailInput) (*receivedOutput, error) {
	u := userFrom(ctx)
	if err := x.Inbound.File(ctx, u, in.ID, in.Body.ContactID); err != nil {
		if errs.Is(err, errs.NotFound) && !errs.Is(x.emailExists(ctx, in.ID), errs.NotFound) {
			// The email is there: it is the contact that is not.
			return nil, x.problem(ctx, errs.FieldErrors(map[string]string{"contact_id": "no such contact, or it is not one of yours"}))
		}
		return nil, x.problem(ctx, err)
	}
	e, err := x.Inbound.Email(ctx, u, in.ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return &receivedOutput{Body: receivedOut(*e)}, nil
}

// emailExists is nil when the caller has received email id.
func (x *API) emailExists(ctx context.Context, id int64) error {
	_, err := x.Inbound.Email(ctx, userFrom(ctx), id)
	return err
}

type createFromSenderOutput struct {
	Location string `header:"Location"`
	Body     struct {
		ContactID int64 `json:"contact_id"`
	}
}

func (x *API) createFromSender(ctx context.Context, in *idInput) (*createFromSenderOutput, error) {
	id, err := x.Inbound.CreateFromSender(ctx, userFrom(ctx), in.ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &createFromSenderOutput{Location: Prefix + "/contacts/" + itoa(id)}
	out.Body.ContactID = id
	return out, nil
}

func (x *API) deleteUnfiled(ctx context.Context, in *idInput) (*struct{}, error) {
	if err := x.Inbound.Delete(ctx, userFrom(ctx), in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}

// Me is the user behind the token, with their BCC address.
type Me struct {
	User
	BCCAddress string `json:"bcc_address" doc:"Your personal BCC address: mail sent to it is filed on the timelines of the contacts it names. Empty for read-only users."`
}

// meOut is the caller as GET /me shows them.
func (x *API) meOut(ctx context.Context) (Me, error) {
	u := userFrom(ctx)
	me := Me{User: userOut(u)}
	if x.Inbound != nil && u.Can(auth.PermWrite) {
		addr, err := x.Inbound.Address(ctx, u)
		if err != nil {
			return Me{}, x.problem(ctx, err)
		}
		me.BCCAddress = addr
	}
	return me, nil
}
