package activity

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/mail"
)

// ReminderHour is the hour, in the assignee's time zone, at which a task
// due on a day without a time falls due.
const ReminderHour = 9

// ReminderEvery is how often RunReminders looks for tasks that fell due.
const ReminderEvery = time.Minute

// FallsDue is when a task due at due (a day at midnight UTC when hasTime
// is false) falls due for an assignee in loc.
func FallsDue(due time.Time, hasTime bool, loc *time.Location) time.Time {
	if hasTime {
		return due
	}
	y, m, d := due.UTC().Date()
	return time.Date(y, m, d, ReminderHour, 0, 0, 0, loc).UTC()
}

// dayOnlyLead is how far ahead of its day's midnight UTC a day-only task
// can fall due: 09:00 at UTC+14 is 19:00 UTC the day before.
const dayOnlyLead = 15 * time.Hour

// SendDueReminders emails the assignee of each open task that has fallen
// due by now and was not reminded yet, once: the email is queued in the
// transaction that sets reminded_at, and only when that update still finds
// the task open, unreminded and unchanged, so Folio instances sharing a
// database never send a reminder twice. It returns how many it queued.
func (s *Service) SendDueReminders(ctx context.Context, now time.Time) (int, error) {
	now = now.UTC()
	sent := 0
	after := int64(0)
	var failed []error
	for {
		type candidate struct {
			id, assignee int64
			version      int
			due          time.Time
			hasTime      bool
			zone         string
		}
		var page []candidate
		rows, err := s.DB.QueryContext(ctx, `SELECT t.id, t.version, t.assignee_id, t.due_at, t.due_has_time, u.time_zone
			FROM tasks t JOIN users u ON u.id = t.assignee_id
			WHERE t.done_at IS NULL AND t.reminded_at IS NULL AND t.id > ?
			AND ((t.due_has_time AND t.due_at <= ?) OR (NOT t.due_has_time AND t.due_at <= ?))
			ORDER BY t.id LIMIT 200`, after, now, now.Add(dayOnlyLead))
		if err != nil {
			return sent, fmt.Errorf("activity: due tasks: %w", err)
		}
		for rows.Next() {
			var c candidate
			if err := rows.Scan(&c.id, &c.version, &c.assignee, &c.due, &c.hasTime, &c.zone); err != nil {
				rows.Close()
				return sent, err
			}
			page = append(page, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return sent, err
		}
		for _, c := range page {
			after = c.id
			if FallsDue(c.due, c.hasTime, zone(c.zone)).After(now) {
				continue
			}
			ok, err := s.remind(ctx, c.id, c.version, now)
			if err != nil { // the others still go out; this one is tried again next time
				failed = append(failed, fmt.Errorf("activity: remind task %d: %w", c.id, err))
				continue
			}
			if ok {
				sent++
			}
		}
		if len(page) < 200 {
			return sent, errors.Join(failed...)
		}
	}
}

// remind claims task id at version for its reminder and queues the email;
// false when another instance claimed it first or the task changed.
func (s *Service) remind(ctx context.Context, id int64, version int, now time.Time) (bool, error) {
	queued := false
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE tasks SET reminded_at = ?
			WHERE id = ? AND version = ? AND reminded_at IS NULL AND done_at IS NULL`, now, id, version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return nil
		}
		ts, err := queryTasks(ctx, tx, contact.Viewer{Admin: true}, "t.id = ?", "", id)
		if err != nil || len(ts) == 0 {
			return err
		}
		t := ts[0]
		var role string
		var ownOnly bool
		var disabled sql.NullTime
		if err := tx.QueryRowContext(ctx, "SELECT role, own_contacts_only, disabled_at FROM users WHERE id = ?", t.AssigneeID).
			Scan(&role, &ownOnly, &disabled); err != nil {
			return err
		}
		entry := audit.Entry{Entity: "task", EntityID: idStr(id), Action: "task.remind"}
		if disabled.Valid {
			entry.Changes = []audit.Change{{Field: "reminder", New: "not sent: " + t.Assignee + " is disabled"}}
			return audit.WriteAs(ctx, tx, audit.System, entry)
		}
		if t.contactID != 0 && ownOnly && role != "owner" && role != "admin" {
			var owner int64
			if err := tx.QueryRowContext(ctx, "SELECT owner_id FROM contacts WHERE id = ?", t.contactID).Scan(&owner); err != nil {
				return err
			}
			if owner != t.AssigneeID {
				t.ContactName = ""
			}
		}
		mailID, err := mail.Enqueue(ctx, tx, reminderMessage(&t, strings.TrimRight(s.BaseURL, "/")+t.URL()))
		if err != nil {
			return err
		}
		queued = true
		entry.Changes = []audit.Change{{Field: "reminder", New: fmt.Sprintf("emailed to %s <%s> (mail #%d)", t.Assignee, t.assigneeEmail, mailID)}}
		return audit.WriteAs(ctx, tx, audit.System, entry)
	})
	return queued, err
}

// reminderMessage is the email that tells the assignee t fell due.
func reminderMessage(t *Task, link string) mail.Message {
	loc := zone(t.assigneeZone)
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\nThis task of yours is due:\n\n    %s\n\n", t.Assignee, t.Title)
	due := t.DueLabel(loc)
	if t.DueHasTime {
		due += " (" + loc.String() + ")"
	}
	fmt.Fprintf(&b, "Due:      %s\n", due)
	if t.ContactName != "" {
		fmt.Fprintf(&b, "About:    %s\n", t.ContactName)
	}
	fmt.Fprintf(&b, "Priority: %s\n", t.PriorityLabel())
	if t.CreatedBy != "" && t.CreatedByID != t.AssigneeID {
		fmt.Fprintf(&b, "From:     %s\n", t.CreatedBy)
	}
	fmt.Fprintf(&b, "\nOpen it in Folio: %s\n\nFolio sends one reminder per due date.\n", link)
	return mail.Message{To: t.assigneeEmail, ToName: t.Assignee, Subject: "Task due: " + t.Title, Body: b.String()}
}

// RunReminders sends due task reminders every ReminderEvery until ctx
// ends; wake tells the mail worker that mail was queued.
func (s *Service) RunReminders(ctx context.Context, wake func(), log *slog.Logger) {
	ctx = audit.WithActor(ctx, audit.System)
	t := time.NewTicker(ReminderEvery)
	defer t.Stop()
	for {
		n, err := s.SendDueReminders(ctx, time.Now())
		if err != nil && ctx.Err() == nil {
			log.Error("task reminders", "err", err)
		}
		if n > 0 {
			log.Info("task reminders queued", "count", n)
			wake()
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
