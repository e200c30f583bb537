package activity

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/markdown"
)

// Limits on an event's fields.
const (
	MaxEventTitle     = 200
	MaxEventLocation  = 500
	MaxEventNotes     = 20_000
	MaxEventAttendees = 50 // of each kind: staff and contacts
	// MaxEventDays is the longest an event (one occurrence) may last.
	MaxEventDays = 31
)

// Recurrences an event may have.
const (
	RecurNone    = ""
	RecurWeekly  = "weekly"
	RecurMonthly = "monthly"
)

// Attendee is a staff user or a contact at an event.
type Attendee struct {
	ID   int64
	Name string
}

// Event is a calendar event. Start and End are in the event's own zone;
// for an all-day event they are midnights and End is the midnight after
// the last day.
type Event struct {
	ID        int64
	Title     string
	Location  string
	Notes     string        // Markdown as written
	NotesHTML template.HTML // Notes rendered and sanitised
	Start     time.Time
	End       time.Time
	AllDay    bool
	TimeZone  string
	Recur     string // "", weekly or monthly
	Interval  int    // every Interval weeks or months
	Until     string // last day of a repeating event (YYYY-MM-DD), "" for none

	OrganizerID int64
	Organizer   string
	Users       []Attendee
	// Contacts are the attendee contacts the reader may see; HiddenContacts
	// counts the others.
	Contacts       []Attendee
	HiddenContacts int
	Version        int
	CreatedAt      time.Time
	UpdatedAt      time.Time

	contactIDs []int64 // every attendee contact, seen or not
}

// LastDay is the last day of an all-day event.
func (e *Event) LastDay() time.Time { return e.End.AddDate(0, 0, -1) }

// UserIDs are the ids of the staff attendees.
func (e *Event) UserIDs() []int64 {
	out := make([]int64, len(e.Users))
	for i, a := range e.Users {
		out[i] = a.ID
	}
	return out
}

// When describes the event's time in its own zone, e.g. "Fri 27 Mar 2026,
// 09:00–10:00 (Europe/London)" or "Fri 27 Mar 2026 (all day)".
func (e *Event) When() string { return describeSpan(e.Start, e.End, e.AllDay, e.TimeZone) }

// Repeats describes the recurrence ("" for none), e.g. "Every 2 weeks until 2026-06-30".
func (e *Event) Repeats() string {
	if e.Recur == RecurNone {
		return ""
	}
	unit := map[string]string{RecurWeekly: "week", RecurMonthly: "month"}[e.Recur]
	s := "Every " + unit
	if e.Interval > 1 {
		s = fmt.Sprintf("Every %d %ss", e.Interval, unit)
	}
	if e.Until != "" {
		s += " until " + e.Until
	}
	return s
}

func describeSpan(start, end time.Time, allDay bool, zone string) string {
	const day = "Mon 2 Jan 2006"
	if allDay {
		last := end.AddDate(0, 0, -1)
		if last.Equal(start) {
			return start.Format(day) + " (all day)"
		}
		return start.Format(day) + " – " + last.Format(day) + " (all day)"
	}
	if y1, m1, d1 := start.Date(); true {
		if y2, m2, d2 := end.Date(); y1 == y2 && m1 == m2 && d1 == d2 {
			return start.Format(day+", 15:04") + "–" + end.Format("15:04") + " (" + zone + ")"
		}
	}
	return start.Format(day+", 15:04") + " – " + end.Format(day+", 15:04") + " (" + zone + ")"
}

// EventInput is what a user enters for an event. Start and End are wall
// times in TimeZone, "2006-01-02T15:04" (an RFC 3339 time with an offset
// is accepted too), or dates "2006-01-02" for an all-day event, whose End
// is its last day. Users and Contacts are the attendees' ids.
type EventInput struct {
	Title    string
	Location string
	Notes    string
	TimeZone string
	AllDay   bool
	Start    string
	End      string
	Recur    string
	Interval int // 0 means 1
	Until    string
	Users    []int64
	Contacts []int64
}

// eventValues is an EventInput checked and parsed.
type eventValues struct {
	title, location, notes string
	loc                    *time.Location
	start, end             time.Time
	allDay                 bool
	recur                  string
	interval               int
	until                  string
	users, contacts        []int64
}

var errNoEvent = errs.E(errs.NotFound, "No such event, or it is not one you may see.")

// checkEvent validates in, with every problem at once, field by field.
func checkEvent(in EventInput) (eventValues, error) {
	c := errs.Collector{}
	var v eventValues
	v.title = strings.TrimSpace(in.Title)
	switch {
	case v.title == "":
		c.Add("title", "give the event a title")
	case strings.ContainsAny(v.title, "\r\n"):
		c.Add("title", "the title must be one line")
	case !textOK(v.title):
		c.Add("title", "the title holds characters that are not text")
	case utf8.RuneCountInString(v.title) > MaxEventTitle:
		c.Add("title", fmt.Sprintf("at most %d characters", MaxEventTitle))
	}
	v.location = strings.TrimSpace(in.Location)
	switch {
	case strings.ContainsAny(v.location, "\r\n"):
		c.Add("location", "the location must be one line")
	case !textOK(v.location):
		c.Add("location", "the location holds characters that are not text")
	case utf8.RuneCountInString(v.location) > MaxEventLocation:
		c.Add("location", fmt.Sprintf("at most %d characters", MaxEventLocation))
	}
	v.notes = strings.TrimSpace(strings.ReplaceAll(in.Notes, "\r\n", "\n"))
	switch {
	case !textOK(v.notes):
		c.Add("notes", "the notes hold characters that are not text")
	case utf8.RuneCountInString(v.notes) > MaxEventNotes:
		c.Add("notes", fmt.Sprintf("at most %d characters", MaxEventNotes))
	}
	zone := strings.TrimSpace(in.TimeZone)
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" || strings.EqualFold(zone, "local") {
		c.Add("time_zone", "choose a time zone from the list, like Europe/London or America/New_York")
		loc = nil
	}
	v.loc, v.allDay = loc, in.AllDay
	if loc != nil {
		v.start, v.end = parseSpan(c, loc, in.AllDay, strings.TrimSpace(in.Start), strings.TrimSpace(in.End))
	}
	v.recur, v.interval, v.until = in.Recur, in.Interval, strings.TrimSpace(in.Until)
	if v.interval == 0 {
		v.interval = 1
	}
	switch v.recur {
	case RecurNone:
		v.interval, v.until = 1, ""
	case RecurWeekly, RecurMonthly:
		maxInterval := map[string]int{RecurWeekly: 52, RecurMonthly: 12}[v.recur]
		if v.interval < 1 || v.interval > maxInterval {
			c.Add("interval", fmt.Sprintf("repeat every 1 to %d %s", maxInterval, strings.TrimSuffix(v.recur, "ly")+"s"))
		}
		if v.until != "" {
			u, err := time.Parse(time.DateOnly, v.until)
			switch {
			case err != nil:
				c.Add("until", "give the last date as YYYY-MM-DD")
			case !v.start.IsZero() && u.Before(dateOf(v.start)):
				c.Add("until", "the last date is before the event starts")
			}
		}
		if !v.start.IsZero() && !v.end.IsZero() && v.interval >= 1 {
			period := time.Duration(v.interval) * 7 * 24 * time.Hour
			if v.recur == RecurMonthly {
				period = 28 * 24 * time.Hour
			}
			if v.end.Sub(v.start) > period {
				c.Add("end", "a repeating event must end before it starts again")
			}
		}
	default:
		c.Add("recur", "repeat weekly, monthly or not at all")
	}
	if len(in.Users) > MaxEventAttendees {
		c.Add("users", fmt.Sprintf("at most %d staff attendees", MaxEventAttendees))
	}
	if len(in.Contacts) > MaxEventAttendees {
		c.Add("contacts", fmt.Sprintf("at most %d contacts", MaxEventAttendees))
	}
	v.users, v.contacts = db.UniqueIDs(in.Users), db.UniqueIDs(in.Contacts)
	return v, c.Err()
}

// parseSpan reads start and end in loc; an all-day event's end is its last
// day and comes back as the midnight after it.
func parseSpan(c errs.Collector, loc *time.Location, allDay bool, start, end string) (time.Time, time.Time) {
	var s, e time.Time
	var okS, okE bool
	if allDay {
		s, okS = parseDay(start, loc)
		e, okE = parseDay(end, loc)
		if end == "" && okS {
			e, okE = s, true
		}
		if !okS {
			c.Add("start", "give the first day as YYYY-MM-DD")
		}
		if !okE {
			c.Add("end", "give the last day as YYYY-MM-DD")
		}
		if okE {
			y, m, d := e.Date()
			e = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
		}
	} else {
		s, okS = parseWall(start, loc)
		e, okE = parseWall(end, loc)
		if !okS {
			c.Add("start", "give the start as a date and a time, like 2026-03-27 09:30")
		}
		if !okE {
			c.Add("end", "give the end as a date and a time, like 2026-03-27 10:30")
		}
	}
	if !okS || !okE {
		return s, e
	}
	switch {
	case !e.After(s) && allDay:
		c.Add("end", "the last day is before the first")
	case !e.After(s):
		c.Add("end", "the end must be after the start")
	case e.Sub(s) > MaxEventDays*24*time.Hour+2*time.Hour:
		c.Add("end", fmt.Sprintf("an event lasts at most %d days", MaxEventDays))
	case s.Year() < 1900 || s.Year() > 2200:
		c.Add("start", "give a year between 1900 and 2200")
	}
	return s, e
}

func parseDay(s string, loc *time.Location) (time.Time, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, false
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc), true
}

// parseWall reads a wall time in loc ("2006-01-02T15:04", a space instead
// of the T, seconds allowed) or an RFC 3339 instant, shown in loc.
func parseWall(s string, loc *time.Location) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.In(loc).Truncate(time.Minute), true
	}
	s = strings.Replace(s, " ", "T", 1)
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.Truncate(time.Minute), true
		}
	}
	return time.Time{}, false
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func textOK(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// checkAttendees refuses staff who do not exist or are disabled, and
// contacts v may not see (named as not found, so nothing about them leaks).
func (s *Service) checkAttendees(ctx context.Context, q db.Queryer, v contact.Viewer, users, contacts []int64) error {
	c := errs.Collector{}
	for _, id := range users {
		var disabled sql.NullTime
		err := q.QueryRowContext(ctx, "SELECT disabled_at FROM users WHERE id = ?", id).Scan(&disabled)
		if errors.Is(err, sql.ErrNoRows) || disabled.Valid {
			c.Add("users", fmt.Sprintf("staff user #%d does not exist or is disabled", id))
		} else if err != nil {
			return err
		}
	}
	for _, id := range contacts {
		if err := s.Contacts.CheckVisible(ctx, q, v, id); err != nil {
			var moved *contact.MovedError
			switch {
			case errors.As(err, &moved):
				c.Add("contacts", fmt.Sprintf("contact #%d was merged into #%d; choose that one", id, moved.To))
			case errs.Is(err, errs.NotFound):
				c.Add("contacts", fmt.Sprintf("contact #%d does not exist or is not one of yours", id))
			default:
				return err
			}
		}
	}
	return c.Err()
}

// CreateEvent stores an event organised by v, with its attendees, on the
// timeline of each attendee contact. Attendee contacts must be ones v may
// see.
func (s *Service) CreateEvent(ctx context.Context, v contact.Viewer, in EventInput) (int64, error) {
	if err := v.CanWrite(); err != nil {
		return 0, err
	}
	ev, err := checkEvent(in)
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.DB.InTx(ctx, func(tx *db.Tx) error {
		if err := s.checkAttendees(ctx, tx, v, ev.users, ev.contacts); err != nil {
			return err
		}
		now := db.Now()
		if err := tx.QueryRowContext(ctx, `INSERT INTO events (title, location, notes, start_at, end_at, all_day, time_zone, recur,
			recur_interval, recur_until, organizer_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			ev.title, ev.location, ev.notes, ev.start.UTC(), ev.end.UTC(), ev.allDay, ev.loc.String(), ev.recur, ev.interval, ev.until,
			db.NullID(v.UserID), now, now).Scan(&id); err != nil {
			return fmt.Errorf("activity: add event: %w", err)
		}
		if err := addAttendees(ctx, tx, id, ev.users, ev.contacts); err != nil {
			return err
		}
		for _, cid := range ev.contacts {
			if err := AddToTimeline(ctx, tx, cid, KindEvent, id, v.UserID, ev.start.UTC()); err != nil {
				return err
			}
		}
		changes := []audit.Change{{Field: "title", New: ev.title}, {Field: "when", New: describeSpan(ev.start, ev.end, ev.allDay, ev.loc.String())}}
		changes = appendIf(changes, "location", "", ev.location)
		changes = appendIf(changes, "notes", "", ev.notes)
		changes = appendIf(changes, "repeats", "", repeatsOf(ev.recur, ev.interval, ev.until))
		changes = appendIf(changes, "staff", "", idList("user", ev.users))
		changes = appendIf(changes, "contacts", "", idList("contact", ev.contacts))
		return audit.Write(ctx, tx, audit.Entry{Entity: "event", EntityID: idStr(id), Action: "event.create", Changes: changes})
	})
	return id, err
}

func addAttendees(ctx context.Context, tx *db.Tx, id int64, users, contacts []int64) error {
	for _, u := range users {
		if _, err := tx.ExecContext(ctx, "INSERT INTO event_attendees (event_id, user_id) VALUES (?, ?)", id, u); err != nil {
			return fmt.Errorf("activity: event attendee: %w", err)
		}
	}
	for _, c := range contacts {
		if _, err := tx.ExecContext(ctx, "INSERT INTO event_attendees (event_id, contact_id) VALUES (?, ?)", id, c); err != nil {
			return fmt.Errorf("activity: event attendee: %w", err)
		}
	}
	return nil
}

func appendIf(cs []audit.Change, field, old, new string) []audit.Change {
	if old == new {
		return cs
	}
	return append(cs, audit.Change{Field: field, Old: old, New: new})
}

// idList names attendees by id in the activity log: names of contacts
// would outlive an erasure there.
func idList(kind string, ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = kind + " #" + strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ", ")
}

func repeatsOf(recur string, interval int, until string) string {
	e := Event{Recur: recur, Interval: interval, Until: until}
	return e.Repeats()
}

// UpdateEvent replaces an event's fields and attendees. The organizer or an
// admin may; version is the one the edit started from (0 skips the check).
// Attendee contacts v may not see stay as they are: in.Contacts lists only
// those v sees.
func (s *Service) UpdateEvent(ctx context.Context, v contact.Viewer, id int64, version int, in EventInput) error {
	if err := v.CanWrite(); err != nil {
		return err
	}
	ev, err := checkEvent(in)
	if err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		old, err := s.loadEvent(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if old.OrganizerID != v.UserID && !v.Admin {
			return errs.E(errs.Forbidden, "Only the event's organizer or an admin can change it.")
		}
		if version != 0 && version != old.Version {
			return errs.E(errs.Conflict, "Someone changed this event while you were editing it; reload to see their version.")
		}
		// Keep the contacts v cannot see; check only the ones v adds.
		seen := map[int64]bool{}
		for _, a := range old.Contacts {
			seen[a.ID] = true
		}
		var added []int64
		contacts := slices.Clone(ev.contacts)
		for _, cid := range ev.contacts {
			if !slices.Contains(old.contactIDs, cid) {
				added = append(added, cid)
			}
		}
		for _, cid := range old.contactIDs {
			if !seen[cid] && !slices.Contains(contacts, cid) {
				contacts = append(contacts, cid)
			}
		}
		var newUsers []int64
		for _, u := range ev.users {
			if !slices.Contains(old.UserIDs(), u) {
				newUsers = append(newUsers, u)
			}
		}
		if err := s.checkAttendees(ctx, tx, v, newUsers, added); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE events SET title = ?, location = ?, notes = ?, start_at = ?, end_at = ?, all_day = ?,
			time_zone = ?, recur = ?, recur_interval = ?, recur_until = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			ev.title, ev.location, ev.notes, ev.start.UTC(), ev.end.UTC(), ev.allDay, ev.loc.String(), ev.recur, ev.interval, ev.until,
			db.Now(), id, old.Version)
		if err != nil {
			return fmt.Errorf("activity: change event: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return errs.E(errs.Conflict, "Someone changed this event while you were editing it; reload to see their version.")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM event_attendees WHERE event_id = ?", id); err != nil {
			return err
		}
		if err := addAttendees(ctx, tx, id, ev.users, contacts); err != nil {
			return err
		}
		for _, cid := range old.contactIDs {
			if !slices.Contains(contacts, cid) {
				if _, err := tx.ExecContext(ctx, "DELETE FROM timeline WHERE kind = ? AND ref_id = ? AND contact_id = ?", KindEvent, id, cid); err != nil {
					return err
				}
			}
		}
		for _, cid := range added {
			if err := AddToTimeline(ctx, tx, cid, KindEvent, id, v.UserID, ev.start.UTC()); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "UPDATE timeline SET at = ? WHERE kind = ? AND ref_id = ?", ev.start.UTC(), KindEvent, id); err != nil {
			return err
		}
		var cs []audit.Change
		cs = appendIf(cs, "title", old.Title, ev.title)
		cs = appendIf(cs, "when", old.When(), describeSpan(ev.start, ev.end, ev.allDay, ev.loc.String()))
		cs = appendIf(cs, "location", old.Location, ev.location)
		cs = appendIf(cs, "notes", old.Notes, ev.notes)
		cs = appendIf(cs, "repeats", old.Repeats(), repeatsOf(ev.recur, ev.interval, ev.until))
		cs = appendIf(cs, "staff", idList("user", sorted(old.UserIDs())), idList("user", sorted(ev.users)))
		cs = appendIf(cs, "contacts", idList("contact", sorted(old.contactIDs)), idList("contact", sorted(contacts)))
		return audit.Write(ctx, tx, audit.Entry{Entity: "event", EntityID: idStr(id), Action: "event.update", Changes: cs})
	})
}

func sorted(ids []int64) []int64 {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

// DeleteEvent removes an event and takes it off every timeline; the
// organizer or an admin may. The activity log keeps what it was.
func (s *Service) DeleteEvent(ctx context.Context, v contact.Viewer, id int64) error {
	if err := v.CanWrite(); err != nil {
		return err
	}
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		old, err := s.loadEvent(ctx, tx, v, id)
		if err != nil {
			return err
		}
		if old.OrganizerID != v.UserID && !v.Admin {
			return errs.E(errs.Forbidden, "Only the event's organizer or an admin can delete it.")
		}
		for _, q := range []string{"DELETE FROM event_attendees WHERE event_id = ?", "DELETE FROM events WHERE id = ?"} {
			if _, err := tx.ExecContext(ctx, q, id); err != nil {
				return fmt.Errorf("activity: delete event: %w", err)
			}
		}
		if err := RemoveFromTimeline(ctx, tx, KindEvent, id); err != nil {
			return err
		}
		cs := []audit.Change{{Field: "title", Old: old.Title}, {Field: "when", Old: old.When()}}
		cs = appendIf(cs, "location", old.Location, "")
		cs = appendIf(cs, "notes", old.Notes, "")
		cs = appendIf(cs, "contacts", idList("contact", sorted(old.contactIDs)), "")
		return audit.Write(ctx, tx, audit.Entry{Entity: "event", EntityID: idStr(id), Action: "event.delete", Changes: cs})
	})
}

// Event returns an event v may see: v organises or attends it, is an
// admin, or sees one of its attendee contacts.
func (s *Service) Event(ctx context.Context, v contact.Viewer, id int64) (*Event, error) {
	return s.loadEvent(ctx, s.DB, v, id)
}

func (s *Service) loadEvent(ctx context.Context, q db.Queryer, v contact.Viewer, id int64) (*Event, error) {
	es, err := s.queryEvents(ctx, q, "e.id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(es) == 0 {
		return nil, errNoEvent
	}
	e := &es[0]
	if err := s.fillAttendees(ctx, q, v, es); err != nil {
		return nil, err
	}
	if !v.Admin && e.OrganizerID != v.UserID && !slices.Contains(e.UserIDs(), v.UserID) && len(e.Contacts) == 0 {
		return nil, errNoEvent
	}
	return e, nil
}

const eventColumns = `e.id, e.title, e.location, e.notes, e.start_at, e.end_at, e.all_day, e.time_zone, e.recur, e.recur_interval,
	e.recur_until, COALESCE(e.organizer_id, 0), COALESCE(u.name, ''), e.version, e.created_at, e.updated_at`

func (s *Service) queryEvents(ctx context.Context, q db.Queryer, where string, args ...any) ([]Event, error) {
	rows, err := q.QueryContext(ctx, "SELECT "+eventColumns+" FROM events e LEFT JOIN users u ON u.id = e.organizer_id WHERE "+where, args...)
	if err != nil {
		return nil, fmt.Errorf("activity: events: %w", err)
	}
	defer rows.Close()
	var out []Event
	for rows.Next() {
		var e Event
		if err := rows.Scan(&e.ID, &e.Title, &e.Location, &e.Notes, &e.Start, &e.End, &e.AllDay, &e.TimeZone, &e.Recur, &e.Interval,
			&e.Until, &e.OrganizerID, &e.Organizer, &e.Version, &e.CreatedAt, &e.UpdatedAt); err != nil {
			return nil, err
		}
		loc, err := time.LoadLocation(e.TimeZone)
		if err != nil { // a zone this machine no longer knows
			loc = time.UTC
		}
		e.Start, e.End = e.Start.In(loc), e.End.In(loc)
		e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
		e.NotesHTML = markdown.Render(e.Notes)
		out = append(out, e)
	}
	return out, rows.Err()
}

// fillAttendees reads the attendees of es. A contact merged into another is
// shown as the survivor; an erased one is left out; contacts v may not see
// are only counted.
func (s *Service) fillAttendees(ctx context.Context, q db.Queryer, v contact.Viewer, es []Event) error {
	if len(es) == 0 {
		return nil
	}
	byID := map[int64]*Event{}
	ids := make([]int64, len(es))
	for i := range es {
		byID[es[i].ID], ids[i] = &es[i], es[i].ID
	}
	return db.InChunks(ids, func(in string, args []any) error {
		rows, err := q.QueryContext(ctx, `SELECT a.event_id, COALESCE(a.user_id, 0), COALESCE(u.name, ''),
			COALESCE(c2.id, c.id, 0), COALESCE(c2.display_name, c.display_name, ''), COALESCE(c2.owner_id, c.owner_id, 0)
			FROM event_attendees a LEFT JOIN users u ON u.id = a.user_id
			LEFT JOIN contacts c ON c.id = a.contact_id AND c.erased_at IS NULL
			LEFT JOIN contacts c2 ON c2.id = c.merged_into_id AND c2.erased_at IS NULL
			WHERE a.event_id IN (`+in+`) ORDER BY u.name, c.display_name`, args...)
		if err != nil {
			return fmt.Errorf("activity: event attendees: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var eid, uid, cid, owner int64
			var uname, cname string
			if err := rows.Scan(&eid, &uid, &uname, &cid, &cname, &owner); err != nil {
				return err
			}
			e := byID[eid]
			switch {
			case uid != 0:
				e.Users = append(e.Users, Attendee{ID: uid, Name: uname})
			case cid != 0 && !slices.Contains(e.contactIDs, cid):
				e.contactIDs = append(e.contactIDs, cid)
				if !v.OwnOnly || v.Admin || owner == v.UserID {
					e.Contacts = append(e.Contacts, Attendee{ID: cid, Name: cname})
				} else {
					e.HiddenContacts++
				}
			}
		}
		return rows.Err()
	})
}

// ContactEvents are the events on a contact's timeline, newest start
// first, at most limit (up to 200).
func (s *Service) ContactEvents(ctx context.Context, v contact.Viewer, contactID int64, limit int) ([]Event, error) {
	if limit <= 0 || limit > 200 {
		limit = 200
	}
	if err := s.Contacts.CheckVisible(ctx, s.DB, v, contactID); err != nil {
		return nil, err
	}
	es, err := s.queryEvents(ctx, s.DB, `e.id IN (SELECT t.ref_id FROM timeline t WHERE t.contact_id = ? AND t.kind = ?)
		ORDER BY e.start_at DESC, e.id DESC LIMIT ?`, contactID, KindEvent, limit)
	if err != nil {
		return nil, err
	}
	return es, s.fillAttendees(ctx, s.DB, v, es)
}

// EventSummaries is the timeline's Loader for events: the title, when and
// where, who attends, the notes.
func (s *Service) EventSummaries(ctx context.Context, ids []int64) (map[int64]Summary, error) {
	out := make(map[int64]Summary, len(ids))
	err := db.InChunks(ids, func(in string, args []any) error {
		es, err := s.queryEvents(ctx, s.DB, "e.id IN ("+in+")", args...)
		if err != nil {
			return err
		}
		// The timeline shows only contacts its reader sees, so staff
		// attendees alone are named here.
		if err := s.fillAttendees(ctx, s.DB, contact.Viewer{Admin: true}, es); err != nil {
			return err
		}
		for i := range es {
			e := &es[i]
			detail := e.When()
			if r := e.Repeats(); r != "" {
				detail += " · " + strings.ToLower(r[:1]) + r[1:]
			}
			if e.Location != "" {
				detail += " · " + e.Location
			}
			if len(e.Users) > 0 {
				names := make([]string, len(e.Users))
				for i, u := range e.Users {
					names[i] = u.Name
				}
				detail += " · with " + strings.Join(names, ", ")
			}
			out[e.ID] = Summary{Title: e.Title, Detail: detail, Body: e.NotesHTML, URL: "/events/" + idStr(e.ID)}
		}
		return nil
	})
	return out, err
}
