package email

import (
	"context"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/mail"
	"github.com/foliocrm/folio/internal/markdown"
)

// Draft is an email to one contact as staff wrote it: Subject and Body
// may hold merge fields; Body is Markdown.
type Draft struct {
	ContactID int64
	// To is one of the contact's addresses; "" for the primary one.
	To string
	// TemplateID, when Subject and Body are both empty, fills them from
	// the template; otherwise it only records which template was used.
	TemplateID int64
	Subject    string
	Body       string
	// Portal makes it a portal message.
	Portal bool
}

// Rendered is an email as it will be sent to one recipient.
type Rendered struct {
	ContactID int64
	To        string
	ToName    string
	Subject   string
	Text      string        // the text/plain part
	HTML      template.HTML // the sanitised text/html part
}

// composer renders drafts for recipients: what is the same for every
// recipient of one send is read once.
type composer struct {
	subject, body compiled
	from          sender
	firm          string
	now           time.Time
	// html is the rendered body when it has no merge field.
	html template.HTML
}

func (s *Service) newComposer(ctx context.Context, v contact.Viewer, subject, body string) (*composer, error) {
	from, err := s.sender(ctx, s.DB, v.UserID)
	if err != nil {
		return nil, err
	}
	c := &composer{subject: compile(subject), body: compile(body), from: from, firm: s.FirmName(ctx), now: time.Now()}
	if !usesFields(body) {
		c.html = markdown.Render(body)
	}
	return c, nil
}

func (c *composer) render(ct *contact.Contact, to, owner string) Rendered {
	values := mergeValues(ct, to, owner, c.from, c.firm, c.now)
	r := Rendered{ContactID: ct.ID, To: to, ToName: ct.Name(), Subject: c.subject.merge(values, nil), Text: c.body.merge(values, nil), HTML: c.html}
	// A merged value (a name) can hold a line break only if stored badly;
	// it must not become a header line.
	r.Subject = strings.Join(strings.Fields(r.Subject), " ")
	if r.HTML == "" {
		r.HTML = markdown.Render(c.body.merge(values, escapeMarkdown))
	}
	return r
}

// message is the outbox message of r sent by c's sender.
func (s *Service) message(c *composer, r Rendered) mail.Message {
	fromName := c.from.Name
	if c.firm != "" && fromName != "" {
		fromName += " (" + c.firm + ")"
	}
	return mail.Message{To: r.To, ToName: r.ToName, Subject: r.Subject, Body: r.Text, HTML: htmlDocument(r.Subject, r.HTML),
		FromName: fromName, ReplyTo: c.from.Email, MessageID: s.newMessageID()}
}

// htmlDocument wraps the sanitised body in a minimal HTML document.
func htmlDocument(subject string, body template.HTML) string {
	return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + template.HTMLEscapeString(subject) +
		"</title></head><body>\n" + string(body) + "</body></html>\n"
}

// resolve fills an empty subject and body from the template and checks
// the result.
func (s *Service) resolve(ctx context.Context, templateID int64, subject, body string) (string, string, error) {
	subject, body = cleanText(subject, body)
	if templateID != 0 {
		t, err := s.Template(ctx, templateID)
		if err != nil {
			return "", "", errs.FieldErrors(map[string]string{"template_id": "no such template; it may have been deleted"})
		}
		if subject == "" && body == "" {
			subject, body = t.Subject, t.Body
		}
	}
	return subject, body, checkDraft(subject, body)
}

// address picks the address of c a draft goes to.
func address(c *contact.Contact, to string) (string, error) {
	to = strings.TrimSpace(to)
	if strings.ContainsAny(to, "\r\n") {
		return "", errs.FieldErrors(map[string]string{"to": "line breaks are not allowed in an email address"})
	}
	if len(c.Emails) == 0 {
		return "", errs.FieldErrors(map[string]string{"to": c.Name() + " has no email address; add one to their record first"})
	}
	if to == "" {
		for _, e := range c.Emails {
			if e.Primary {
				return e.Address, nil
			}
		}
		return c.Emails[0].Address, nil
	}
	for _, e := range c.Emails {
		if strings.EqualFold(e.Address, to) {
			return e.Address, nil
		}
	}
	return "", errs.FieldErrors(map[string]string{"to": fmt.Sprintf("%q is not one of %s's addresses", to, c.Name())})
}

// Preview renders a draft for one contact v sees, as it would be sent.
func (s *Service) Preview(ctx context.Context, v contact.Viewer, d Draft) (Rendered, error) {
	subject, body, err := s.resolve(ctx, d.TemplateID, d.Subject, d.Body)
	if err != nil {
		return Rendered{}, err
	}
	c, err := s.Contacts.Get(ctx, v, d.ContactID)
	if err != nil {
		return Rendered{}, err
	}
	to, err := address(c, d.To)
	if err != nil {
		return Rendered{}, err
	}
	comp, err := s.newComposer(ctx, v, subject, body)
	if err != nil {
		return Rendered{}, err
	}
	return comp.render(c, to, c.OwnerName), nil
}

// Send queues an email to one contact v may change, records it on the
// contact's timeline and in the activity log, and marks when the contact
// was last emailed. It returns the email's id.
func (s *Service) Send(ctx context.Context, v contact.Viewer, d Draft) (int64, error) {
	if err := v.CanWrite(); err != nil {
		return 0, err
	}
	subject, body, err := s.resolve(ctx, d.TemplateID, d.Subject, d.Body)
	if err != nil {
		return 0, err
	}
	c, err := s.Contacts.Get(ctx, v, d.ContactID)
	if err != nil {
		return 0, err
	}
	if c.DeletedAt != nil {
		return 0, errs.E(errs.Invalid, "%s is in the trash; restore them before writing to them.", c.Name())
	}
	to, err := address(c, d.To)
	if err != nil {
		return 0, err
	}
	comp, err := s.newComposer(ctx, v, subject, body)
	if err != nil {
		return 0, err
	}
	r := comp.render(c, to, c.OwnerName)
	m := s.message(comp, r)
	if err := m.Validate(); err != nil {
		return 0, errs.FieldErrors(map[string]string{"to": errs.MessageOf(err)})
	}
	var id int64
	err = s.Contacts.ChangeVisible(ctx, v, c.ID, func(tx *db.Tx) error {
		outboxID, err := mail.Enqueue(ctx, tx, m)
		if err != nil {
			return err
		}
		now := db.Now()
		err = tx.QueryRowContext(ctx, `INSERT INTO emails (direction, user_id, contact_id, from_addr, from_name, to_addrs, subject,
			body_text, body_html, outbox_id, template_id, portal, message_id, filed, created_at)
			VALUES ('out', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE, ?) RETURNING id`,
			db.NullID(v.UserID), c.ID, s.fromAddress(), m.FromName, to, r.Subject, r.Text, string(r.HTML), outboxID,
			db.NullID(d.TemplateID), d.Portal, m.MessageID, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("email: store: %w", err)
		}
		if err := activity.AddToTimeline(ctx, tx, c.ID, activity.KindEmail, id, v.UserID, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE contacts SET last_emailed_at = ? WHERE id = ?", now, c.ID); err != nil {
			return err
		}
		action := "contact.email_send"
		if d.Portal {
			action = "contact.portal_message"
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(c.ID), Action: action,
			Changes: []audit.Change{{Field: emailField(id) + " to", New: to}, {Field: emailField(id) + " subject", New: r.Subject}}})
	})
	if err != nil {
		return 0, err
	}
	s.wake()
	return id, nil
}

func emailField(id int64) string { return "email #" + idStr(id) }
