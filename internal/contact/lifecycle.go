package contact

import (
	"context"
	"fmt"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// TrashDays is how long a deleted contact can be restored before it is
// erased for good.
const TrashDays = 30

// Delete moves contacts to the trash. Contacts v cannot see are not
// found; ones already in the trash are skipped.
func (s *Service) Delete(ctx context.Context, v Viewer, ids ...int64) (int, error) {
	if err := v.canWrite(); err != nil {
		return 0, err
	}
	return s.setDeleted(ctx, v, ids, true)
}

// Restore takes contacts out of the trash.
func (s *Service) Restore(ctx context.Context, v Viewer, ids ...int64) (int, error) {
	if err := v.canWrite(); err != nil {
		return 0, err
	}
	return s.setDeleted(ctx, v, ids, false)
}

func (s *Service) setDeleted(ctx context.Context, v Viewer, ids []int64, del bool) (int, error) {
	now := db.Now()
	n := 0
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		n = 0
		cond, args := v.ScopeOn("")
		for _, id := range ids {
			q := "UPDATE contacts SET deleted_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND erased_at IS NULL AND merged_into_id IS NULL"
			a := []any{now, now, id}
			action := "contact.delete"
			if del {
				q += " AND deleted_at IS NULL"
			} else {
				q += " AND deleted_at IS NOT NULL"
				a[0] = nil
				action = "contact.restore"
			}
			res, err := tx.ExecContext(ctx, q+cond, append(a, args...)...)
			if err != nil {
				return fmt.Errorf("contact: %s: %w", action, err)
			}
			if k, _ := res.RowsAffected(); k == 0 {
				continue
			}
			n++
			if _, err := tx.ExecContext(ctx, "DELETE FROM contact_leases WHERE contact_id = ?", id); err != nil {
				return err
			}
			if err := audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(id), Action: action}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// Erase removes a contact's personal data for good (GDPR): its names,
// profile, emails, phones, addresses, identifiers, bank accounts,
// documents, tags, groups and relationships. A tombstone row stays so the
// activity log still points somewhere; the log keeps who did what and when,
// with every value masked, and its chain still verifies. Admins only.
func (s *Service) Erase(ctx context.Context, v Viewer, id int64) error {
	if !v.Admin {
		return errs.E(errs.Forbidden, "Only an admin can erase a contact.")
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		return s.erase(ctx, tx, id)
	})
}

func (s *Service) erase(ctx context.Context, tx *db.Tx, id int64) error {
	now := db.Now()
	var joint int
	if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM contacts WHERE (joint_a_id = ? OR joint_b_id = ?) AND erased_at IS NULL",
		id, id).Scan(&joint); err != nil {
		return err
	}
	if joint > 0 {
		return errs.E(errs.Conflict, "This person holds a joint account. Erase or change the joint account first.")
	}
	// A joint account keeps the ids of its two holders (they are records of
	// their own); everything else goes.
	res, err := tx.ExecContext(ctx, `UPDATE contacts SET prefix = '', first_name = '', middle_name = '', last_name = '',
		suffix = '', nickname = '', entity_name = '', display_name = ?, sort_name = '', external_id = '', language = '',
		time_zone = '', birth_date = '', citizenship = '', employment = '', employer = '', occupation = '',
		income_source = '', annual_income = '', net_worth = '', tax_residency = '', markets_traded = '',
		experience_years = '', trades_per_year = '', qualification = '', risk_tolerance = '', investment_objective = '',
		time_horizon = '', linkedin = '', x_url = '', facebook = '', website = '', invested_minor = 0, primary_email = '',
		primary_phone = '', city = '', tags_text = '', completeness = 0, deleted_at = COALESCE(deleted_at, ?),
		erased_at = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND erased_at IS NULL`,
		fmt.Sprintf("Erased contact #%d", id), now, now, now, id)
	if err != nil {
		return fmt.Errorf("contact: erase: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errNotFound
	}
	for _, q := range []string{
		"DELETE FROM contact_emails WHERE contact_id = ?",
		"DELETE FROM contact_phones WHERE contact_id = ?",
		"DELETE FROM contact_addresses WHERE contact_id = ?",
		"DELETE FROM contact_identifiers WHERE contact_id = ?",
		"DELETE FROM contact_bank_accounts WHERE contact_id = ?",
		"DELETE FROM contact_documents WHERE contact_id = ?",
		"DELETE FROM notes WHERE contact_id = ?",
		"DELETE FROM timeline WHERE contact_id = ?",
		"DELETE FROM stage_changes WHERE contact_id = ?",
		"DELETE FROM ticket_comments WHERE ticket_id IN (SELECT id FROM tickets WHERE contact_id = ?)",
		"DELETE FROM tickets WHERE contact_id = ?",
		"DELETE FROM tasks WHERE contact_id = ?",
		"DELETE FROM event_attendees WHERE contact_id = ?",
		// Emails to the contact: the outbox keeps that a message was sent,
		// without its address or words; one still waiting is not sent.
		`UPDATE mail_outbox SET to_addr = '', to_name = '', subject = '(erased)', body_text = '', body_html = '',
			status = CASE WHEN status = 'sent' THEN status ELSE 'failed' END,
			last_error = CASE WHEN status = 'sent' THEN last_error ELSE 'the recipient was erased' END
			WHERE id IN (SELECT outbox_id FROM emails WHERE contact_id = ?)`,
		"DELETE FROM emails WHERE contact_id = ?",
		"DELETE FROM contact_terms WHERE contact_id = ?",
		"DELETE FROM contact_tags WHERE contact_id = ?",
		"DELETE FROM group_members WHERE contact_id = ?",
		"DELETE FROM contact_leases WHERE contact_id = ?",
		"DELETE FROM duplicate_dismissals WHERE a_id = ?",
		"DELETE FROM duplicate_dismissals WHERE b_id = ?",
		"DELETE FROM relationships WHERE a_id = ?",
		"DELETE FROM relationships WHERE b_id = ?",
	} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("contact: erase: %w", err)
		}
	}
	if _, err := audit.Erase(ctx, tx, "contact", idStr(id)); err != nil {
		return err
	}
	return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(id), Action: "contact.erase"})
}

// PurgeTrash erases the contacts that have been in the trash longer than
// TrashDays, as the system. It returns how many it erased.
func (s *Service) PurgeTrash(ctx context.Context, now time.Time) (int, error) {
	cutoff := now.Add(-TrashDays * 24 * time.Hour)
	ids, err := queryAll(ctx, s.DB, scanOne[int64], "SELECT id FROM contacts WHERE deleted_at < ? AND erased_at IS NULL ORDER BY id LIMIT 500", cutoff)
	if err != nil {
		return 0, err
	}
	n := 0
	ctx = audit.WithActor(ctx, audit.System)
	for _, id := range ids {
		err := s.DB.InTx(ctx, func(tx *db.Tx) error { return s.erase(ctx, tx, id) })
		if errs.Is(err, errs.Conflict) {
			continue // a joint account holder; the account goes first
		}
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// TrashRow is a deleted contact that can still be restored.
type TrashRow struct {
	ID        int64
	Kind      Kind
	Name      string
	OwnerID   int64
	DeletedAt time.Time
	// PurgeAt is when it will be erased for good.
	PurgeAt time.Time
}

// Trash lists the deleted, not yet erased contacts v may see, newest
// contacts first (by id; each row says when it was deleted), limit at a time
// after the cursor (the last id seen, 0 for the first page). The next cursor
// is 0 at the end.
func (s *Service) Trash(ctx context.Context, v Viewer, after int64, limit int) ([]TrashRow, int64, error) {
	if limit <= 0 || limit > MaxLimit {
		limit = 50
	}
	cond, args := v.scope()
	q := "SELECT c.id, c.kind, c.display_name, c.owner_id, c.deleted_at FROM contacts c WHERE c.deleted_at IS NOT NULL AND c.erased_at IS NULL" + cond
	if after > 0 {
		q += " AND c.id < ?"
		args = append(args, after)
	}
	out, err := queryAll(ctx, s.DB, func(row scanner) (TrashRow, error) {
		var r TrashRow
		var kind string
		if err := row.Scan(&r.ID, &kind, &r.Name, &r.OwnerID, &r.DeletedAt); err != nil {
			return r, err
		}
		r.Kind = Kind(kind)
		r.DeletedAt = r.DeletedAt.UTC()
		r.PurgeAt = r.DeletedAt.Add(TrashDays * 24 * time.Hour)
		return r, nil
	}, q+" ORDER BY c.id DESC LIMIT ?", append(args, limit+1)...)
	if err != nil {
		return nil, 0, err
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[len(out)-1].ID
	}
	return out, next, nil
}
