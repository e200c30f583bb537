package activity

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// MaxCalendarDays is the longest range one calendar query expands.
const MaxCalendarDays = 400

// Entry kinds on a calendar.
const (
	EntryEvent = "event"
	EntryTask  = "task"
)

// Entry is one occurrence of an event, or a due task, on a calendar. Start
// and End are in the reader's zone; an all-day entry runs from the
// midnight of its first day to the midnight after its last, as dates (an
// all-day event is on the same dates wherever it is read). A timed task
// has End equal to Start.
type Entry struct {
	Kind      string // event or task
	ID        int64  // the event's or task's id
	Title     string
	Start     time.Time
	End       time.Time
	AllDay    bool
	Location  string
	Recurring bool
	ContactID int64 // the task's contact, 0 for none
	URL       string
}

// Span is how an entry reads on a page, e.g. "09:00–10:00" or "All day".
func (e Entry) Span() string {
	switch {
	case e.AllDay:
		return "All day"
	case e.Kind == EntryTask:
		return "Due " + e.Start.Format("15:04")
	}
	return e.Start.Format("15:04") + "–" + e.End.Format("15:04")
}

// LastDay is the last day of an all-day entry.
func (e Entry) LastDay() time.Time { return e.End.AddDate(0, 0, -1) }

// Calendar lists v's events (v organises or attends them) and the open
// tasks assigned to v that fall due, overlapping [from, to), repeating
// events expanded, in loc, all-day entries first then by start.
func (s *Service) Calendar(ctx context.Context, v contact.Viewer, loc *time.Location, from, to time.Time) ([]Entry, error) {
	if !to.After(from) {
		return nil, errs.FieldErrors(map[string]string{"to": "the end of the range must be after its start"})
	}
	if to.Sub(from) > MaxCalendarDays*24*time.Hour {
		return nil, errs.FieldErrors(map[string]string{"to": fmt.Sprintf("a range covers at most %d days", MaxCalendarDays)})
	}
	// All-day entries are dates: pad the query by more than any zone's
	// offset, then compare dates.
	pad := 2 * 24 * time.Hour
	es, err := s.queryEvents(ctx, s.DB, `(e.organizer_id = ? OR EXISTS (SELECT 1 FROM event_attendees a WHERE a.event_id = e.id AND a.user_id = ?))
		AND e.start_at < ? AND (e.end_at > ? OR e.recur <> '')`, v.UserID, v.UserID, to.Add(pad).UTC(), from.Add(-pad).UTC())
	if err != nil {
		return nil, err
	}
	var out []Entry
	for i := range es {
		e := &es[i]
		for _, oc := range e.Occurrences(from.Add(-pad), to.Add(pad)) {
			en := Entry{Kind: EntryEvent, ID: e.ID, Title: e.Title, Start: oc[0].In(loc), End: oc[1].In(loc), AllDay: e.AllDay,
				Location: e.Location, Recurring: e.Recur != RecurNone, URL: "/events/" + idStr(e.ID)}
			if e.AllDay {
				en.Start, en.End = sameDate(oc[0], loc), sameDate(oc[1], loc)
			}
			if en.Start.Before(to) && en.End.After(from) {
				out = append(out, en)
			}
		}
	}
	tasks, err := s.dueTasks(ctx, v.UserID, loc, from.Add(-pad), to.Add(pad))
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if t.Start.Before(to) && (t.End.After(from) || (t.End.Equal(t.Start) && !t.Start.Before(from))) {
			out = append(out, t)
		}
	}
	slices.SortStableFunc(out, func(a, b Entry) int {
		if a.AllDay != b.AllDay {
			if a.AllDay {
				return -1
			}
			return 1
		}
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// sameDate is the midnight in loc of t's date in t's own zone.
func sameDate(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// dueTasks are the open tasks assigned to user due in [from, to) (a
// little wider for date-only ones). A task due on a day without a time
// is read as due on due_at's date in UTC, which is how a date-only due
// is stored.
func (s *Service) dueTasks(ctx context.Context, userID int64, loc *time.Location, from, to time.Time) ([]Entry, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT id, title, due_at, due_has_time, COALESCE(contact_id, 0) FROM tasks
		WHERE assignee_id = ? AND done_at IS NULL AND due_at IS NOT NULL AND due_at >= ? AND due_at < ? ORDER BY due_at, id`,
		userID, from.UTC(), to.UTC())
	if err != nil {
		return nil, fmt.Errorf("activity: due tasks: %w", err)
	}
	defer rows.Close()
	var out []Entry
	for rows.Next() {
		var e Entry
		var due time.Time
		var timed bool
		if err := rows.Scan(&e.ID, &e.Title, &due, &timed, &e.ContactID); err != nil {
			return nil, err
		}
		e.Kind, e.URL = EntryTask, "/tasks/"+idStr(e.ID)
		if timed {
			e.Start = due.In(loc)
			e.End = e.Start
		} else {
			e.AllDay = true
			e.Start = sameDate(due.UTC(), loc)
			e.End = e.Start.AddDate(0, 0, 1)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
