package ticket

import (
	"context"
	"fmt"
	"strings"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// fieldErrs gathers the per-field messages of several checks into one
// Invalid error, so a form shows every problem at once.
type fieldErrs map[string]string

func (f fieldErrs) add(err error) error {
	if err == nil {
		return nil
	}
	fs := errs.FieldsOf(err)
	if len(fs) == 0 {
		return err
	}
	for k, m := range fs {
		f[k] = m
	}
	return nil
}

func (f fieldErrs) err() error {
	if len(f) == 0 {
		return nil
	}
	return errs.FieldErrors(f)
}

// Create stores a new ticket about a contact v may change, puts it on the
// contact's timeline and, when it is assigned to someone else, emails them.
func (s *Service) Create(ctx context.Context, v contact.Viewer, in Input) (int64, error) {
	if err := v.CanWrite(); err != nil {
		return 0, err
	}
	bad := fieldErrs{}
	var err error
	if in.Title, err = cleanTitle(in.Title); bad.add(err) != nil {
		return 0, err
	}
	if in.Description, err = cleanDescription(in.Description); bad.add(err) != nil {
		return 0, err
	}
	if in.Priority == "" {
		in.Priority = "normal"
	}
	if in.Status == "" {
		in.Status = "open"
	}
	_ = bad.add(checkOption("priority", "priority", Priorities, in.Priority))
	_ = bad.add(checkOption("status", "status", Statuses, in.Status))
	if in.ContactID <= 0 {
		bad["contact_id"] = "Choose the contact this ticket is about."
	}
	if in.AssigneeID < 0 {
		bad["assignee_id"] = "Choose an active staff user, or nobody."
	}
	if err := bad.err(); err != nil {
		return 0, err
	}
	var id int64
	mailed := false
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := s.forNew(ctx, tx, v, in.ContactID); err != nil {
			return err
		}
		var assignee *staff
		if in.AssigneeID != 0 {
			if assignee, err = assignable(ctx, tx, in.AssigneeID); err != nil {
				return err
			}
		}
		now := db.Now()
		var closed any
		if in.Status == StatusClosed {
			closed = now
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO tickets (contact_id, title, title_key, description, search_text, priority, status,
			assignee_id, created_by, closed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			in.ContactID, in.Title, fold(in.Title), in.Description, fold(in.Title, in.Description), in.Priority, in.Status,
			db.NullID(in.AssigneeID), db.NullID(v.UserID), closed, now, now).Scan(&id); err != nil {
			return fmt.Errorf("ticket: create: %w", err)
		}
		if err := activity.AddToTimeline(ctx, tx, in.ContactID, activity.KindTicket, id, v.UserID, now); err != nil {
			return err
		}
		changes := []audit.Change{{Field: field(id, "title"), New: in.Title}}
		if in.Description != "" {
			changes = append(changes, audit.Change{Field: field(id, "description"), New: in.Description})
		}
		changes = append(changes, audit.Change{Field: field(id, "priority"), New: PriorityLabel(in.Priority)},
			audit.Change{Field: field(id, "status"), New: StatusLabel(in.Status)})
		if assignee != nil {
			changes = append(changes, audit.Change{Field: field(id, "assignee"), New: assignee.Name})
		}
		if err := audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(in.ContactID), Action: "contact.ticket_add", Changes: changes}); err != nil {
			return err
		}
		if assignee != nil && assignee.ID != v.UserID {
			t, err := loadTicket(ctx, tx, id)
			if err != nil {
				return err
			}
			mailed = true
			return s.mailAssigned(ctx, tx, v, t, assignee)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	if mailed {
		s.MailQueued()
	}
	return id, nil
}

// Update changes a ticket about a contact v may change (and, when it moves
// to another contact, that one too). A ticket changed since e.Version is
// refused (conflict). Closing sets closed_at, reopening clears it. Each
// change is in the activity log with the old and new value; a new assignee
// other than v is emailed.
func (s *Service) Update(ctx context.Context, v contact.Viewer, id int64, e Edit) error {
	bad := fieldErrs{}
	if e.Title != nil {
		t, err := cleanTitle(*e.Title)
		if bad.add(err) != nil {
			return err
		}
		e.Title = &t
	}
	if e.Description != nil {
		d, err := cleanDescription(*e.Description)
		if bad.add(err) != nil {
			return err
		}
		e.Description = &d
	}
	if e.Priority != nil {
		_ = bad.add(checkOption("priority", "priority", Priorities, *e.Priority))
	}
	if e.Status != nil {
		_ = bad.add(checkOption("status", "status", Statuses, *e.Status))
	}
	if e.ContactID != nil && *e.ContactID <= 0 {
		bad["contact_id"] = "Choose the contact this ticket is about."
	}
	if e.AssigneeID != nil && *e.AssigneeID < 0 {
		bad["assignee_id"] = "Choose an active staff user, or nobody."
	}
	if err := bad.err(); err != nil {
		return err
	}
	mailed := false
	err := s.change(ctx, v, id, func(tx *db.Tx, t *Ticket) error {
		if e.Version != 0 && e.Version != t.Version {
			return errStale()
		}
		next := *t
		var changes []audit.Change
		var assignee *staff
		if e.ContactID != nil && *e.ContactID != t.ContactID {
			if err := s.forNew(ctx, tx, v, *e.ContactID); err != nil {
				return err
			}
			next.ContactID = *e.ContactID
		}
		if e.Title != nil && *e.Title != t.Title {
			next.Title = *e.Title
			changes = append(changes, audit.Change{Field: field(id, "title"), Old: t.Title, New: next.Title})
		}
		if e.Description != nil && *e.Description != t.Description {
			next.Description = *e.Description
			changes = append(changes, audit.Change{Field: field(id, "description"), Old: t.Description, New: next.Description})
		}
		if e.Priority != nil && *e.Priority != t.Priority {
			next.Priority = *e.Priority
			changes = append(changes, audit.Change{Field: field(id, "priority"), Old: PriorityLabel(t.Priority), New: PriorityLabel(next.Priority)})
		}
		if e.Status != nil && *e.Status != t.Status {
			next.Status = *e.Status
			changes = append(changes, audit.Change{Field: field(id, "status"), Old: StatusLabel(t.Status), New: StatusLabel(next.Status)})
		}
		if e.AssigneeID != nil && *e.AssigneeID != t.AssigneeID {
			next.AssigneeID, next.Assignee = *e.AssigneeID, ""
			if next.AssigneeID != 0 {
				var err error
				if assignee, err = assignable(ctx, tx, next.AssigneeID); err != nil {
					return err
				}
				next.Assignee = assignee.Name
			}
			changes = append(changes, audit.Change{Field: field(id, "assignee"), Old: t.Assignee, New: next.Assignee})
		}
		if len(changes) == 0 && next.ContactID == t.ContactID {
			return nil
		}
		now := db.Now()
		closed := any(nil)
		switch {
		case next.Status == StatusClosed && t.Status != StatusClosed:
			closed = now
		case next.Status == StatusClosed:
			closed = *t.ClosedAt
		}
		res, err := tx.ExecContext(ctx, `UPDATE tickets SET contact_id = ?, title = ?, title_key = ?, description = ?, search_text = ?,
			priority = ?, status = ?, assignee_id = ?, closed_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			next.ContactID, next.Title, fold(next.Title), next.Description, fold(next.Title, next.Description), next.Priority, next.Status,
			db.NullID(next.AssigneeID), closed, now, id, t.Version)
		if err != nil {
			return fmt.Errorf("ticket: update: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errStale()
		}
		if next.ContactID != t.ContactID {
			if err := s.move(ctx, tx, t, next.ContactID); err != nil {
				return err
			}
			changes = append([]audit.Change{{Field: field(id, "contact"), Old: contactLabel(t.ContactID, t.ContactName),
				New: contactLabel(next.ContactID, contactName(ctx, tx, next.ContactID))}}, changes...)
		}
		if err := audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(next.ContactID), Action: editAction(changes), Changes: changes}); err != nil {
			return err
		}
		if assignee != nil && assignee.ID != v.UserID {
			t, err := loadTicket(ctx, tx, id)
			if err != nil {
				return err
			}
			mailed = true
			return s.mailAssigned(ctx, tx, v, t, assignee)
		}
		return nil
	})
	if err == nil && mailed {
		s.MailQueued()
	}
	return err
}

// editAction names a change by what it changed: only the status, only
// the assignee, or more.
func editAction(changes []audit.Change) string {
	if len(changes) == 1 {
		switch {
		case strings.HasSuffix(changes[0].Field, " status"):
			return "contact.ticket_status"
		case strings.HasSuffix(changes[0].Field, " assignee"):
			return "contact.ticket_assign"
		}
	}
	return "contact.ticket_edit"
}

// move puts ticket t on contact to's timeline instead of its own, and
// records on the old contact that it left.
func (s *Service) move(ctx context.Context, tx *db.Tx, t *Ticket, to int64) error {
	if err := activity.RemoveFromTimeline(ctx, tx, activity.KindTicket, t.ID); err != nil {
		return err
	}
	if err := activity.AddToTimeline(ctx, tx, to, activity.KindTicket, t.ID, t.CreatedByID, t.CreatedAt); err != nil {
		return err
	}
	return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(t.ContactID), Action: "contact.ticket_move",
		Changes: []audit.Change{{Field: field(t.ID, "contact"), Old: contactLabel(t.ContactID, t.ContactName),
			New: contactLabel(to, contactName(ctx, tx, to))}}})
}

func contactLabel(id int64, name string) string { return name + " (#" + idStr(id) + ")" }

func contactName(ctx context.Context, q db.Queryer, id int64) string {
	var name string
	_ = q.QueryRowContext(ctx, "SELECT display_name FROM contacts WHERE id = ?", id).Scan(&name)
	return name
}

// Delete removes a ticket and its comments; only an admin may. The
// activity log keeps its text.
func (s *Service) Delete(ctx context.Context, v contact.Viewer, id int64) error {
	return s.change(ctx, v, id, func(tx *db.Tx, t *Ticket) error {
		if !v.Admin {
			return errs.E(errs.Forbidden, "Only an admin can delete a ticket.")
		}
		for _, q := range []string{"DELETE FROM ticket_comments WHERE ticket_id = ?", "DELETE FROM tickets WHERE id = ?"} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("ticket: delete: %w", err)
			}
		}
		if err := activity.RemoveFromTimeline(ctx, tx, activity.KindTicket, id); err != nil {
			return err
		}
		changes := []audit.Change{{Field: field(id, "title"), Old: t.Title}}
		if t.Description != "" {
			changes = append(changes, audit.Change{Field: field(id, "description"), Old: t.Description})
		}
		if t.Comments > 0 {
			changes = append(changes, audit.Change{Field: field(id, "comments"), Old: fmt.Sprint(t.Comments)})
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "contact", EntityID: idStr(t.ContactID), Action: "contact.ticket_delete", Changes: changes})
	})
}

// change runs fn on ticket id inside a transaction once v may change it:
// v may write and sees the ticket's contact.
func (s *Service) change(ctx context.Context, v contact.Viewer, id int64, fn func(tx *db.Tx, t *Ticket) error) error {
	if err := v.CanWrite(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		t, err := loadTicket(ctx, tx, id)
		if err != nil {
			return err
		}
		if ok, err := sees(ctx, tx, v, t.ContactID); err != nil {
			return err
		} else if !ok {
			return errNoTicket
		}
		return fn(tx, t)
	})
}
