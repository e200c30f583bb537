package email

import (
	"context"
	"fmt"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/mail"
)

// BulkDraft is one email written for many contacts: each gets their own
// message with their own To: line and merge fields.
type BulkDraft struct {
	ContactIDs []int64
	TemplateID int64
	Subject    string
	Body       string
}

// BulkPlan is who a bulk email reaches: Recipients get it; Skipped have
// no email address; Unavailable is how many of the ids are not contacts v
// may write to (gone, merged, in the trash, or not theirs).
type BulkPlan struct {
	Recipients  []Recipient
	Skipped     []Recipient
	Unavailable int

	contacts map[int64]*bulkContact
}

// BulkResult is what a bulk send queued.
type BulkResult struct {
	// BatchID groups the emails of this send (emails.batch_id).
	BatchID     int64
	Queued      int
	Skipped     []Recipient
	Unavailable int
}

type bulkContact struct {
	c     contact.Contact
	owner string
}

// PlanBulk reads who of ids a bulk email would reach, in the order given.
func (s *Service) PlanBulk(ctx context.Context, v contact.Viewer, ids []int64) (BulkPlan, error) {
	ids = db.UniqueIDs(ids)
	if len(ids) == 0 {
		return BulkPlan{}, errs.FieldErrors(map[string]string{"contact_ids": "choose at least one contact"})
	}
	if len(ids) > MaxBulk {
		return BulkPlan{}, errs.FieldErrors(map[string]string{"contact_ids": fmt.Sprintf("one bulk email reaches at most %d contacts; this selection has %d", MaxBulk, len(ids))})
	}
	p := BulkPlan{contacts: make(map[int64]*bulkContact, len(ids))}
	// Own-contacts-only users reach only the contacts they own.
	scope, scopeArgs := v.ScopeOn("c.")
	err := db.InChunks(ids, func(in string, args []any) error {
		rows, err := s.DB.QueryContext(ctx, `SELECT c.id, c.kind, c.prefix, c.first_name, c.middle_name, c.last_name, c.suffix,
			c.nickname, c.entity_name, c.display_name, c.primary_email, COALESCE(u.name, '')
			FROM contacts c LEFT JOIN users u ON u.id = c.owner_id
			WHERE c.id IN (`+in+`) AND c.erased_at IS NULL AND c.merged_into_id IS NULL AND c.deleted_at IS NULL`+scope,
			append(args, scopeArgs...)...)
		if err != nil {
			return fmt.Errorf("email: bulk recipients: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			b := &bulkContact{}
			var kind string
			c := &b.c
			if err := rows.Scan(&c.ID, &kind, &c.Prefix, &c.FirstName, &c.MiddleName, &c.LastName, &c.Suffix, &c.Nickname,
				&c.EntityName, &c.DisplayName, &c.PrimaryEmail, &b.owner); err != nil {
				return err
			}
			c.Kind = contact.Kind(kind)
			p.contacts[c.ID] = b
		}
		return rows.Err()
	})
	if err != nil {
		return BulkPlan{}, err
	}
	for _, id := range ids {
		b := p.contacts[id]
		if b == nil {
			p.Unavailable++
			continue
		}
		r := Recipient{ContactID: id, Name: b.c.Name(), Email: b.c.PrimaryEmail}
		if r.Email == "" {
			p.Skipped = append(p.Skipped, r)
		} else {
			p.Recipients = append(p.Recipients, r)
		}
	}
	return p, nil
}

// PreviewBulk renders a bulk draft for one of its recipients.
func (s *Service) PreviewBulk(ctx context.Context, v contact.Viewer, d BulkDraft, contactID int64) (Rendered, error) {
	subject, body, err := s.resolve(ctx, d.TemplateID, d.Subject, d.Body)
	if err != nil {
		return Rendered{}, err
	}
	p, err := s.PlanBulk(ctx, v, []int64{contactID})
	if err != nil {
		return Rendered{}, err
	}
	if len(p.Recipients) == 0 {
		return Rendered{}, errs.FieldErrors(map[string]string{"preview_id": "this contact has no email address or is not one you may write to"})
	}
	comp, err := s.newComposer(ctx, v, subject, body)
	if err != nil {
		return Rendered{}, err
	}
	b := p.contacts[contactID]
	return comp.render(&b.c, b.c.PrimaryEmail, b.owner), nil
}

// SendBulk queues one email per recipient of d (their primary address,
// their own To: line), each on its contact's timeline, in one transaction
// with one activity-log entry for the send. Contacts without an address
// are skipped and listed.
func (s *Service) SendBulk(ctx context.Context, v contact.Viewer, d BulkDraft) (BulkResult, error) {
	if err := v.CanWrite(); err != nil {
		return BulkResult{}, err
	}
	subject, body, err := s.resolve(ctx, d.TemplateID, d.Subject, d.Body)
	if err != nil {
		return BulkResult{}, err
	}
	p, err := s.PlanBulk(ctx, v, d.ContactIDs)
	if err != nil {
		return BulkResult{}, err
	}
	res := BulkResult{Skipped: p.Skipped, Unavailable: p.Unavailable}
	if len(p.Recipients) == 0 {
		return res, errs.FieldErrors(map[string]string{"contact_ids": "none of these contacts has an email address"})
	}
	comp, err := s.newComposer(ctx, v, subject, body)
	if err != nil {
		return res, err
	}
	n := len(p.Recipients)
	msgs := make([]mail.Message, n)
	rendered := make([]Rendered, n)
	for i, r := range p.Recipients {
		b := p.contacts[r.ContactID]
		rendered[i] = comp.render(&b.c, r.Email, b.owner)
		msgs[i] = s.message(comp, rendered[i])
		if err := msgs[i].Validate(); err != nil {
			return res, errs.FieldErrors(map[string]string{"contact_ids": fmt.Sprintf("%s (#%d): %s", r.Name, r.ContactID, errs.MessageOf(err))})
		}
	}
	err = s.DB.InBulkTx(ctx, func(tx *db.Tx) error {
		outbox, err := mail.EnqueueBulk(ctx, tx, msgs)
		if err != nil {
			return err
		}
		ids, err := tx.Dialect.NextIDs(ctx, tx, "emails", n)
		if err != nil {
			return err
		}
		res.BatchID = ids[0]
		now := db.Now()
		emails := make([][]any, n)
		timeline := make([][]any, n)
		contactIDs := make([]int64, n)
		for i, r := range rendered {
			emails[i] = []any{ids[i], "out", db.NullID(v.UserID), r.ContactID, s.fromAddress(), msgs[i].FromName, r.To, r.Subject,
				r.Text, string(r.HTML), outbox[i], db.NullID(d.TemplateID), res.BatchID, false, msgs[i].MessageID, true, now}
			timeline[i] = []any{r.ContactID, now, activity.KindEmail, ids[i], db.NullID(v.UserID), false}
			contactIDs[i] = r.ContactID
		}
		if err := tx.Copy(ctx, "emails", []string{"id", "direction", "user_id", "contact_id", "from_addr", "from_name", "to_addrs",
			"subject", "body_text", "body_html", "outbox_id", "template_id", "batch_id", "portal", "message_id", "filed", "created_at"}, emails); err != nil {
			return err
		}
		if err := tx.Copy(ctx, "timeline", []string{"contact_id", "at", "kind", "ref_id", "actor_id", "pinned"}, timeline); err != nil {
			return err
		}
		err = db.InChunks(contactIDs, func(in string, args []any) error {
			_, err := tx.ExecContext(ctx, "UPDATE contacts SET last_emailed_at = ? WHERE id IN ("+in+")", append([]any{now}, args...)...)
			return err
		})
		if err != nil {
			return err
		}
		res.Queued = n
		changes := []audit.Change{{Field: "recipients", New: fmt.Sprintf("%d", n)}, {Field: "subject", New: subject}}
		if len(p.Skipped) > 0 {
			changes = append(changes, audit.Change{Field: "skipped (no email address)", New: fmt.Sprintf("%d", len(p.Skipped))})
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "email_batch", EntityID: idStr(res.BatchID), Action: "email.bulk_send", Changes: changes})
	})
	if err != nil {
		res.Queued, res.BatchID = 0, 0
		return res, err
	}
	s.wake()
	return res, nil
}
