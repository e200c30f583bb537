package inbound

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
)

// Delivery is what became of a received message for one BCC owner.
type Delivery struct {
	EmailID int64
	// Contacts are those it was filed on; none means it is unfiled.
	Contacts []int64
	// Duplicate is true when the owner already had this Message-ID: the
	// message was not stored again.
	Duplicate bool
}

// Receive stores m for u, whose BCC address received it, and files it on
// the timeline of every contact u may see whose address appears in its
// From, To or Cc, attributed to u. A Message-ID u already has is not
// stored twice. ip is the sending client, for the activity log.
func (s *Service) Receive(ctx context.Context, u *auth.User, m *Message, ip string) (Delivery, error) {
	var d Delivery
	who := actor(u, ip)
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		d = Delivery{}
		at := db.Now()
		err := tx.QueryRowContext(ctx, `INSERT INTO emails (direction, user_id, from_addr, from_name, to_addrs, cc_addrs, subject,
			body_text, body_html, message_id, filed, created_at) VALUES ('in', ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?)
			ON CONFLICT DO NOTHING RETURNING id`,
			u.ID, m.FromAddr, m.FromName, strings.Join(m.To, ", "), strings.Join(m.Cc, ", "), m.Subject, m.Text, m.HTML,
			m.MessageID, at).Scan(&d.EmailID)
		if errors.Is(err, sql.ErrNoRows) {
			d.Duplicate = true
			return tx.QueryRowContext(ctx, "SELECT id FROM emails WHERE direction = 'in' AND user_id = ? AND message_id = ?",
				u.ID, m.MessageID).Scan(&d.EmailID)
		}
		if err != nil {
			return fmt.Errorf("inbound: store email: %w", err)
		}
		for _, f := range m.Files {
			if _, err := tx.ExecContext(ctx, "INSERT INTO email_attachments (email_id, filename, content_type, size, data) VALUES (?, ?, ?, ?, ?)",
				d.EmailID, f.Filename, f.ContentType, len(f.Data), f.Data); err != nil {
				return fmt.Errorf("inbound: store attachment: %w", err)
			}
		}
		if d.Contacts, err = matchContacts(ctx, tx, contact.ViewerFor(u), m.Addresses()); err != nil {
			return err
		}
		var names []string
		for _, c := range d.Contacts {
			if err := activity.AddToTimeline(ctx, tx, c, activity.KindEmail, d.EmailID, u.ID, at); err != nil {
				return err
			}
			if err := audit.WriteAs(ctx, tx, who, audit.Entry{Entity: "contact", EntityID: idStr(c), Action: "contact.bcc_email_file",
				Changes: []audit.Change{{Field: emailField(d.EmailID), New: m.Subject}}}); err != nil {
				return err
			}
			names = append(names, "contact #"+idStr(c))
		}
		filedOn := "unfiled"
		if len(names) > 0 {
			filedOn = strings.Join(names, ", ")
			if _, err := tx.ExecContext(ctx, "UPDATE emails SET filed = TRUE WHERE id = ?", d.EmailID); err != nil {
				return err
			}
		}
		return audit.WriteAs(ctx, tx, who, audit.Entry{Entity: "email", EntityID: idStr(d.EmailID), Action: "email.bcc_receive",
			Changes: []audit.Change{{Field: "from", New: m.FromAddr}, {Field: "subject", New: m.Subject}, {Field: "filed on", New: filedOn}}})
	})
	return d, err
}

// matchContacts are the contacts v sees (not in the trash, not merged
// away) with one of the addresses (lower-cased), by id.
func matchContacts(ctx context.Context, q db.Queryer, v contact.Viewer, addrs []string) ([]int64, error) {
	if len(addrs) == 0 {
		return nil, nil
	}
	args := make([]any, 0, len(addrs)+1)
	for _, a := range addrs {
		args = append(args, a)
	}
	query := `SELECT DISTINCT c.id FROM contact_emails e JOIN contacts c ON c.id = e.contact_id
		WHERE e.address_key IN (` + db.Placeholders("?", len(addrs)) + `)
		AND c.deleted_at IS NULL AND c.erased_at IS NULL AND c.merged_into_id IS NULL`
	// The same limit as contact.Viewer's own scope: own-contacts-only users
	// match only the contacts they own.
	if v.OwnOnly && !v.Admin {
		query += " AND c.owner_id = ?"
		args = append(args, v.UserID)
	}
	rows, err := q.QueryContext(ctx, query+" ORDER BY c.id", args...)
	if err != nil {
		return nil, fmt.Errorf("inbound: match contacts: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
