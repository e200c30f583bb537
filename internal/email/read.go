package email

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"strings"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

var errNoEmail = errs.E(errs.NotFound, "No such email, or it is about contacts that are not yours.")

const emailColumns = `e.id, e.direction, COALESCE(e.user_id, 0), COALESCE(u.name, ''), COALESCE(e.contact_id, 0),
	COALESCE(c.display_name, ''), e.from_addr, e.from_name, e.to_addrs, e.cc_addrs, e.subject, e.body_text, e.body_html,
	COALESCE(e.template_id, 0), COALESCE(e.batch_id, 0), e.portal, e.message_id, e.filed, e.created_at,
	COALESCE(e.outbox_id, 0), COALESCE(o.status, ''), COALESCE(o.attempts, 0), COALESCE(o.last_error, ''), o.sent_at,
	(SELECT COUNT(*) FROM email_attachments a WHERE a.email_id = e.id)`

const emailFrom = ` FROM emails e LEFT JOIN users u ON u.id = e.user_id LEFT JOIN contacts c ON c.id = e.contact_id
	LEFT JOIN mail_outbox o ON o.id = e.outbox_id`

// emailRow is an email with how many attachments it has.
type emailRow struct {
	Email
	attachments int
}

func queryEmails(ctx context.Context, q db.Queryer, where string, args ...any) ([]emailRow, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+emailColumns+emailFrom+" WHERE "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("email: read: %w", err)
	}
	defer rows.Close()
	var out []emailRow
	for rows.Next() {
		var r emailRow
		e := &r.Email
		var sent sql.NullTime
		if err := rows.Scan(&e.ID, &e.Direction, &e.UserID, &e.User, &e.ContactID, &e.Contact, &e.FromAddr, &e.FromName,
			&e.To, &e.Cc, &e.Subject, &e.BodyText, &e.BodyHTML, &e.TemplateID, &e.BatchID, &e.Portal, &e.MessageID, &e.Filed,
			&e.CreatedAt, &e.OutboxID, &e.Status, &e.Attempts, &e.LastError, &sent, &r.attachments); err != nil {
			return nil, err
		}
		e.CreatedAt = e.CreatedAt.UTC()
		if sent.Valid {
			t := sent.Time.UTC()
			e.SentAt = &t
		}
		if e.Direction == In {
			e.Status = "received"
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Get returns one email v may see: an outgoing one to a contact v sees,
// an inbound one received by v or filed on a contact v sees (admins see
// all).
func (s *Service) Get(ctx context.Context, v contact.Viewer, id int64) (*Email, error) {
	es, err := queryEmails(ctx, s.DB, "e.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, errNoEmail
	}
	e := &es[0].Email
	if err := s.checkVisible(ctx, v, e); err != nil {
		return nil, err
	}
	if es[0].attachments > 0 {
		if e.Attachments, err = s.attachments(ctx, id); err != nil {
			return nil, err
		}
	}
	return e, nil
}

func (s *Service) checkVisible(ctx context.Context, v contact.Viewer, e *Email) error {
	if e.Direction == Out {
		if err := s.Contacts.CheckVisible(ctx, s.DB, v, e.ContactID); err != nil {
			var moved *contact.MovedError
			if errors.As(err, &moved) { // the email moved with the merge
				return nil
			}
			return errNoEmail
		}
		return nil
	}
	if v.Admin || (e.UserID != 0 && e.UserID == v.UserID) {
		return nil
	}
	ids, err := s.filedOn(ctx, e.ID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if s.Contacts.CheckVisible(ctx, s.DB, v, id) == nil {
			return nil
		}
	}
	return errNoEmail
}

// filedOn lists the contacts whose timelines hold email id.
func (s *Service) filedOn(ctx context.Context, id int64) ([]int64, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT contact_id FROM timeline WHERE kind = ? AND ref_id = ? ORDER BY contact_id", activity.KindEmail, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var c int64
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		ids = append(ids, c)
	}
	return ids, rows.Err()
}

// FiledOn are the contacts v sees whose timelines hold email id, with
// their names.
func (s *Service) FiledOn(ctx context.Context, v contact.Viewer, id int64) ([]Recipient, error) {
	ids, err := s.filedOn(ctx, id)
	if err != nil {
		return nil, err
	}
	var out []Recipient
	for _, cid := range ids {
		if s.Contacts.CheckVisible(ctx, s.DB, v, cid) != nil {
			continue
		}
		var r Recipient
		if err := s.DB.QueryRowContext(ctx, "SELECT id, display_name, primary_email FROM contacts WHERE id = ?", cid).Scan(&r.ContactID, &r.Name, &r.Email); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

func (s *Service) attachments(ctx context.Context, emailID int64) ([]Attachment, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT id, email_id, filename, content_type, size FROM email_attachments WHERE email_id = ? ORDER BY id", emailID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Attachment
	for rows.Next() {
		var a Attachment
		if err := rows.Scan(&a.ID, &a.EmailID, &a.Filename, &a.ContentType, &a.Size); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// OpenAttachment returns an attachment of an email v may see, with its
// bytes.
func (s *Service) OpenAttachment(ctx context.Context, v contact.Viewer, emailID, attID int64) (Attachment, []byte, error) {
	if _, err := s.Get(ctx, v, emailID); err != nil {
		return Attachment{}, nil, err
	}
	var a Attachment
	var data []byte
	err := s.DB.QueryRowContext(ctx, "SELECT id, email_id, filename, content_type, size, data FROM email_attachments WHERE id = ? AND email_id = ?",
		attID, emailID).Scan(&a.ID, &a.EmailID, &a.Filename, &a.ContentType, &a.Size, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return a, nil, errs.E(errs.NotFound, "No such attachment on this email.")
	}
	return a, data, err
}

// ForContact lists the emails on a contact's timeline (both directions),
// newest first: limit of them (at most 200) with ids below before (0 for
// the newest).
func (s *Service) ForContact(ctx context.Context, v contact.Viewer, contactID, before int64, limit int) ([]Email, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	if err := s.Contacts.CheckVisible(ctx, s.DB, v, contactID); err != nil {
		return nil, err
	}
	where := "e.id IN (SELECT t.ref_id FROM timeline t WHERE t.contact_id = ? AND t.kind = ?)"
	args := []any{contactID, activity.KindEmail}
	if before > 0 {
		where += " AND e.id < ?"
		args = append(args, before)
	}
	rows, err := queryEmails(ctx, s.DB, where+" ORDER BY e.id DESC LIMIT ?", append(args, limit)...)
	if err != nil {
		return nil, err
	}
	out := make([]Email, len(rows))
	for i, r := range rows {
		out[i] = r.Email
		out[i].Attachments = make([]Attachment, 0, r.attachments)
	}
	return out, nil
}

// Loader shows emails of both directions on timelines (kind email).
func (s *Service) Loader() activity.Loader {
	return func(ctx context.Context, ids []int64) (map[int64]activity.Summary, error) {
		out := make(map[int64]activity.Summary, len(ids))
		err := db.InChunks(ids, func(in string, args []any) error {
			rows, err := queryEmails(ctx, s.DB, "e.id IN ("+in+")", args...)
			for _, r := range rows {
				out[r.ID] = summary(&r.Email, r.attachments)
			}
			return err
		})
		return out, err
	}
}

func summary(e *Email, attachments int) activity.Summary {
	sum := activity.Summary{URL: "/emails/" + idStr(e.ID), Status: e.Status}
	subject := e.Subject
	if subject == "" {
		subject = "(no subject)"
	}
	var detail []string
	if e.Direction == Out {
		sum.Title = "Email: " + subject
		if e.Portal {
			sum.Title = "Portal message: " + subject
		}
		detail = append(detail, "To "+e.To)
		if e.User != "" {
			detail = append(detail, "from "+e.User)
		}
		if e.Status == "failed" && e.LastError != "" {
			detail = append(detail, "server said: "+excerpt(e.LastError, "", 160))
		}
	} else {
		sum.Title = "Email received: " + subject
		from := e.FromAddr
		if e.FromName != "" {
			from = e.FromName + " <" + e.FromAddr + ">"
		}
		detail = append(detail, "From "+from, "to "+e.To)
		if e.Cc != "" {
			detail = append(detail, "cc "+e.Cc)
		}
		switch attachments {
		case 0:
		case 1:
			detail = append(detail, "1 attachment")
		default:
			detail = append(detail, fmt.Sprintf("%d attachments", attachments))
		}
	}
	sum.Detail = strings.Join(detail, " · ")
	if text := excerpt(e.BodyText, e.BodyHTML, 300); text != "" {
		sum.Body = template.HTML("<p>" + template.HTMLEscapeString(text) + "</p>")
	}
	return sum
}
