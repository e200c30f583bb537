package activity

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
)

// Limits of a task's text, in characters.
const (
	MaxTaskTitle       = 200
	MaxTaskDescription = 10_000
)

// Priorities of a task, lowest first.
var Priorities = []contact.Option{{Key: "low", Label: "Low"}, {Key: "normal", Label: "Normal"}, {Key: "high", Label: "High"}}

// Task statuses as lists and the timeline show them.
const (
	TaskOpen    = "open"
	TaskOverdue = "overdue"
	TaskDone    = "done"
)

// Task is something a staff member must do, optionally about a contact.
//
// A task due on a day without a time (DueHasTime false) keeps that day as
// midnight UTC in DueAt: a calendar date, the same in every time zone. A
// timed task keeps the moment in UTC.
type Task struct {
	ID          int64
	Title       string
	Description string        // Markdown as written
	HTML        template.HTML // Description rendered and sanitised
	DueAt       *time.Time
	DueHasTime  bool
	AssigneeID  int64
	Assignee    string
	Priority    string
	DoneAt      *time.Time
	DoneByID    int64
	DoneBy      string
	RemindedAt  *time.Time
	CreatedByID int64
	CreatedBy   string
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time

	// ContactID and ContactName are the contact the task is about (0 and
	// "" for none). When the reader may not see that contact, both are
	// blank and ContactHidden is true.
	ContactID     int64
	ContactName   string
	ContactHidden bool

	contactID     int64 // the stored contact, whoever reads
	assigneeEmail string
	assigneeZone  string
}

// Done reports whether the task is done.
func (t *Task) Done() bool { return t.DoneAt != nil }

// DueDate is the day the task is due in loc ("" without a due date).
func (t *Task) DueDate(loc *time.Location) string {
	if t.DueAt == nil {
		return ""
	}
	if !t.DueHasTime {
		return t.DueAt.UTC().Format(time.DateOnly)
	}
	return t.DueAt.In(loc).Format(time.DateOnly)
}

// DueTime is the time of day the task is due in loc ("" for none).
func (t *Task) DueTime(loc *time.Location) string {
	if t.DueAt == nil || !t.DueHasTime {
		return ""
	}
	return t.DueAt.In(loc).Format("15:04")
}

// DueLabel is the due date (and time) for people in loc, e.g. "Tue 24 Nov
// 2026, 15:00" or "Tue 24 Nov 2026"; "" without a due date.
func (t *Task) DueLabel(loc *time.Location) string {
	if t.DueAt == nil {
		return ""
	}
	if !t.DueHasTime {
		return t.DueAt.UTC().Format("Mon 2 Jan 2006")
	}
	return t.DueAt.In(loc).Format("Mon 2 Jan 2006, 15:04")
}

// Status is done, overdue or open for someone in loc at now. A task due on
// a day is overdue once that day has passed in loc; a timed one once its
// moment has.
func (t *Task) Status(loc *time.Location, now time.Time) string {
	switch {
	case t.DoneAt != nil:
		return TaskDone
	case t.DueAt == nil:
		return TaskOpen
	case t.DueHasTime && t.DueAt.Before(now):
		return TaskOverdue
	case !t.DueHasTime && t.DueAt.Before(today(loc, now)):
		return TaskOverdue
	}
	return TaskOpen
}

// PriorityLabel is the priority's name.
func (t *Task) PriorityLabel() string { return contact.LabelOf(Priorities, t.Priority) }

// URL is the task's page.
func (t *Task) URL() string { return TaskURL(t.ID) }

// TaskURL is the page of task id.
func TaskURL(id int64) string { return "/tasks/" + strconv.FormatInt(id, 10) }

// today is the day of now in loc, as the midnight UTC that date-only tasks
// store.
func today(loc *time.Location, now time.Time) time.Time {
	y, m, d := now.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// TaskInput is a new task as entered: the due date (YYYY-MM-DD) and the
// optional time (HH:MM) are in the acting user's time zone. AssigneeID 0
// assigns the task to its creator, ContactID 0 makes it about no contact,
// Priority "" is normal.
type TaskInput struct {
	Title       string
	Description string
	DueDate     string
	DueTime     string
	AssigneeID  int64
	Priority    string
	ContactID   int64
}

// TaskEdit is a change to a task; nil fields stay as they are. Due changes
// the due date and time together (a blank date removes it); ContactID 0
// makes the task about no contact. Version is the version the change was
// made on.
type TaskEdit struct {
	Title       *string
	Description *string
	Due         *TaskDue
	AssigneeID  *int64
	Priority    *string
	ContactID   *int64
	Done        *bool
	Version     int
}

// TaskDue is a due date and optional time as entered, in the acting user's
// time zone.
type TaskDue struct{ Date, Time string }

var errNoTask = errs.E(errs.NotFound, "No such task, or it is not one you may see.")

func cleanTitle(c errs.Collector, title string) string {
	title = strings.TrimSpace(title)
	switch {
	case title == "":
		c.Add("title", "give the task a title")
	case strings.ContainsAny(title, "\r\n"):
		c.Add("title", "the title is one line: remove the line breaks")
	case !utf8.ValidString(title) || strings.IndexFunc(title, unicode.IsControl) >= 0:
		c.Add("title", "the title holds characters that are not text")
	case utf8.RuneCountInString(title) > MaxTaskTitle:
		c.Add("title", fmt.Sprintf("a title holds at most %d characters; this one has %d", MaxTaskTitle, utf8.RuneCountInString(title)))
	}
	return title
}

func cleanDescription(c errs.Collector, text string) string {
	text = strings.TrimSpace(strings.ReplaceAll(text, "\r\n", "\n"))
	switch {
	case !utf8.ValidString(text) || strings.ContainsRune(text, 0):
		c.Add("description", "the description holds characters that are not text")
	case utf8.RuneCountInString(text) > MaxTaskDescription:
		c.Add("description", fmt.Sprintf("a description holds at most %d characters; this one has %d", MaxTaskDescription,
			utf8.RuneCountInString(text)))
	}
	return text
}

func cleanPriority(c errs.Collector, p string) string {
	p = strings.ToLower(strings.TrimSpace(p))
	if p == "" {
		return "normal"
	}
	if contact.LabelOf(Priorities, p) == p {
		c.Add("priority", fmt.Sprintf("unknown priority %q; choose low, normal or high", p))
	}
	return p
}

// parseDue reads a due date and optional time entered in loc. A date alone
// is kept as midnight UTC of that day.
func parseDue(c errs.Collector, d TaskDue, loc *time.Location) (*time.Time, bool) {
	date, clock := strings.TrimSpace(d.Date), strings.TrimSpace(d.Time)
	if date == "" {
		if clock != "" {
			c.Add("due_date", "enter the day the task is due, or clear the time")
		}
		return nil, false
	}
	day, err := time.Parse(time.DateOnly, date)
	if err != nil {
		c.Add("due_date", fmt.Sprintf("%q is not a date; use YYYY-MM-DD, e.g. 2026-03-31", date))
		return nil, false
	}
	if day.Year() < 1900 || day.Year() > 2999 {
		c.Add("due_date", "enter a date between the years 1900 and 2999")
		return nil, false
	}
	if clock == "" {
		return &day, false
	}
	hm, err := time.Parse("15:04", clock)
	if err != nil {
		c.Add("due_time", fmt.Sprintf("%q is not a time of day; use HH:MM on a 24-hour clock, e.g. 14:30", clock))
		return nil, false
	}
	at := time.Date(day.Year(), day.Month(), day.Day(), hm.Hour(), hm.Minute(), 0, 0, loc).UTC()
	return &at, true
}

// assignee checks that id is an active staff user who can work on tasks
// and returns their name.
func assignee(ctx context.Context, q db.Queryer, c errs.Collector, id int64) string {
	var name, role string
	var disabled sql.NullTime
	err := q.QueryRowContext(ctx, "SELECT name, role, disabled_at FROM users WHERE id = ?", id).Scan(&name, &role, &disabled)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		c.Add("assignee_id", fmt.Sprintf("there is no staff user %d; choose someone from your firm", id))
	case err != nil:
		c.Add("assignee_id", "the assignee could not be checked; try again")
	case disabled.Valid:
		c.Add("assignee_id", name+" is disabled and cannot be given tasks; choose someone else")
	case role == "readonly":
		c.Add("assignee_id", name+" has read-only access and could not mark the task done; choose someone else")
	}
	return name
}

// taskContact checks, inside tx, that v may change contact id and that it
// is not in the trash, and returns its name.
func (s *Service) taskContact(ctx context.Context, tx *db.Tx, v contact.Viewer, id int64) (string, error) {
	if err := s.Contacts.CheckVisible(ctx, tx, v, id); err != nil {
		var moved *contact.MovedError
		if errs.Is(err, errs.NotFound) || errors.As(err, &moved) {
			return "", errs.FieldErrors(map[string]string{"contact_id": fmt.Sprintf("there is no contact %d you may see", id)})
		}
		return "", err
	}
	var name string
	var deleted sql.NullTime
	if err := tx.QueryRowContext(ctx, "SELECT display_name, deleted_at FROM contacts WHERE id = ?", id).Scan(&name, &deleted); err != nil {
		return "", err
	}
	if deleted.Valid {
		return "", errs.FieldErrors(map[string]string{"contact_id": name + " is in the trash; restore the contact first"})
	}
	return name, nil
}

// AddTask creates a task; loc is the time zone its due date and time were
// entered in. A task about a contact needs a contact v may change, and goes
// on that contact's timeline.
func (s *Service) AddTask(ctx context.Context, v contact.Viewer, loc *time.Location, in TaskInput) (int64, error) {
	if err := v.CanWrite(); err != nil {
		return 0, err
	}
	c := errs.Collector{}
	title := cleanTitle(c, in.Title)
	desc := cleanDescription(c, in.Description)
	prio := cleanPriority(c, in.Priority)
	due, hasTime := parseDue(c, TaskDue{Date: in.DueDate, Time: in.DueTime}, loc)
	if in.AssigneeID == 0 {
		in.AssigneeID = v.UserID
	}
	var id int64
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		who := assignee(ctx, tx, c, in.AssigneeID)
		var contactName string
		if in.ContactID != 0 {
			var err error
			if contactName, err = s.taskContact(ctx, tx, v, in.ContactID); err != nil {
				if fields := errs.FieldsOf(err); len(fields) > 0 {
					c.Add("contact_id", fields["contact_id"])
				} else {
					return err
				}
			}
		}
		if err := c.Err(); err != nil {
			return err
		}
		now := db.Now()
		err := tx.QueryRowContext(ctx, `INSERT INTO tasks (contact_id, title, description, due_at, due_has_time, assignee_id, priority,
			created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			db.NullID(in.ContactID), title, desc, due, hasTime, in.AssigneeID, prio, db.NullID(v.UserID), now, now).Scan(&id)
		if err != nil {
			return fmt.Errorf("activity: add task: %w", err)
		}
		if in.ContactID != 0 {
			if err := AddToTimeline(ctx, tx, in.ContactID, KindTask, id, v.UserID, now); err != nil {
				return err
			}
		}
		changes := []audit.Change{{Field: "title", New: title}}
		if desc != "" {
			changes = append(changes, audit.Change{Field: "description", New: desc})
		}
		if due != nil {
			changes = append(changes, audit.Change{Field: "due", New: dueText(due, hasTime)})
		}
		changes = append(changes, audit.Change{Field: "assignee", New: who}, audit.Change{Field: "priority", New: prio})
		if in.ContactID != 0 {
			changes = append(changes, audit.Change{Field: "contact", New: contactRef(in.ContactID, contactName)})
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "task", EntityID: idStr(id), Action: "task.create", Changes: changes})
	})
	return id, err
}

// dueText is a due date as the activity log records it.
func dueText(due *time.Time, hasTime bool) string {
	switch {
	case due == nil:
		return ""
	case hasTime:
		return due.UTC().Format("2006-01-02 15:04 UTC")
	}
	return due.UTC().Format(time.DateOnly)
}

func contactRef(id int64, name string) string {
	if id == 0 {
		return ""
	}
	return name + " (#" + idStr(id) + ")"
}

// EditTask changes a task v may see; loc is the time zone a new due date
// and time were entered in. A task changed since e.Version is refused
// (conflict) so no edit is lost. A new due date re-arms the reminder.
func (s *Service) EditTask(ctx context.Context, v contact.Viewer, loc *time.Location, id int64, e TaskEdit) error {
	if err := v.CanWrite(); err != nil {
		return err
	}
	if e.Version <= 0 {
		return errs.FieldErrors(map[string]string{"version": "send the version of the task you edited"})
	}
	c := errs.Collector{}
	var title, desc, prio string
	var due *time.Time
	var hasTime bool
	if e.Title != nil {
		title = cleanTitle(c, *e.Title)
	}
	if e.Description != nil {
		desc = cleanDescription(c, *e.Description)
	}
	if e.Priority != nil {
		prio = cleanPriority(c, *e.Priority)
	}
	if e.Due != nil {
		due, hasTime = parseDue(c, *e.Due, loc)
	}
	return s.changeTask(ctx, v, id, func(tx *db.Tx, t *Task) error {
		if t.Version != e.Version {
			return errTaskConflict
		}
		var changes []audit.Change
		n := *t
		if e.Title != nil && title != t.Title {
			n.Title = title
			changes = append(changes, audit.Change{Field: "title", Old: t.Title, New: title})
		}
		if e.Description != nil && desc != t.Description {
			n.Description = desc
			changes = append(changes, audit.Change{Field: "description", Old: t.Description, New: desc})
		}
		if e.Priority != nil && prio != t.Priority {
			n.Priority = prio
			changes = append(changes, audit.Change{Field: "priority", Old: t.Priority, New: prio})
		}
		rearm := false
		if e.Due != nil && dueText(due, hasTime) != dueText(t.DueAt, t.DueHasTime) {
			n.DueAt, n.DueHasTime, rearm = due, hasTime, true
			changes = append(changes, audit.Change{Field: "due", Old: dueText(t.DueAt, t.DueHasTime), New: dueText(due, hasTime)})
		}
		if e.AssigneeID != nil && *e.AssigneeID != t.AssigneeID {
			who := assignee(ctx, tx, c, *e.AssigneeID)
			n.AssigneeID = *e.AssigneeID
			changes = append(changes, audit.Change{Field: "assignee", Old: t.Assignee, New: who})
		}
		moveContact := e.ContactID != nil && *e.ContactID != t.contactID
		if moveContact {
			if t.ContactHidden {
				c.Add("contact_id", "this task is about a contact you may not see; only someone who sees it can change the contact")
			} else {
				name := ""
				if *e.ContactID != 0 {
					var err error
					if name, err = s.taskContact(ctx, tx, v, *e.ContactID); err != nil {
						if fields := errs.FieldsOf(err); len(fields) > 0 {
							c.Add("contact_id", fields["contact_id"])
						} else {
							return err
						}
					}
				}
				n.contactID = *e.ContactID
				changes = append(changes, audit.Change{Field: "contact", Old: contactRef(t.contactID, t.ContactName), New: contactRef(n.contactID, name)})
			}
		}
		if err := c.Err(); err != nil {
			return err
		}
		now := db.Now()
		if e.Done != nil && *e.Done != t.Done() {
			changes = append(changes, doneChange(&n, *e.Done, v.UserID, now))
		}
		if len(changes) == 0 {
			return nil
		}
		set := `title = ?, description = ?, priority = ?, due_at = ?, due_has_time = ?, assignee_id = ?, contact_id = ?,
			done_at = ?, done_by = ?, version = version + 1, updated_at = ?`
		args := []any{n.Title, n.Description, n.Priority, n.DueAt, n.DueHasTime, n.AssigneeID, db.NullID(n.contactID),
			n.DoneAt, db.NullID(n.DoneByID), now}
		if rearm {
			set += ", reminded_at = NULL"
		}
		res, err := tx.ExecContext(ctx, "UPDATE tasks SET "+set+" WHERE id = ? AND version = ?", append(args, id, t.Version)...)
		if err != nil {
			return fmt.Errorf("activity: edit task: %w", err)
		}
		if k, _ := res.RowsAffected(); k != 1 {
			return errTaskConflict
		}
		if moveContact {
			if err := RemoveFromTimeline(ctx, tx, KindTask, id); err != nil {
				return err
			}
			if n.contactID != 0 {
				if err := AddToTimeline(ctx, tx, n.contactID, KindTask, id, t.CreatedByID, t.CreatedAt); err != nil {
					return err
				}
			}
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "task", EntityID: idStr(id), Action: "task.update", Changes: changes})
	})
}

var errTaskConflict = errs.E(errs.Conflict, "Someone changed this task while you were editing it; reload to see their version.")

// doneChange marks n done (by user, at now) or open again and returns the
// change for the activity log.
func doneChange(n *Task, done bool, user int64, now time.Time) audit.Change {
	if done {
		n.DoneAt, n.DoneByID = &now, user
		return audit.Change{Field: "status", Old: "open", New: "done"}
	}
	n.DoneAt, n.DoneByID = nil, 0
	return audit.Change{Field: "status", Old: "done", New: "open"}
}

// DeleteTask removes a task; its creator, its assignee or an admin may.
// The activity log keeps what it was.
func (s *Service) DeleteTask(ctx context.Context, v contact.Viewer, id int64) error {
	if err := v.CanWrite(); err != nil {
		return err
	}
	return s.changeTask(ctx, v, id, func(tx *db.Tx, t *Task) error {
		if !v.Admin && v.UserID != t.CreatedByID && v.UserID != t.AssigneeID {
			return errs.E(errs.Forbidden, "Only the task's creator, its assignee or an admin can delete it.")
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM tasks WHERE id = ?", id); err != nil {
			return fmt.Errorf("activity: delete task: %w", err)
		}
		if err := RemoveFromTimeline(ctx, tx, KindTask, id); err != nil {
			return err
		}
		changes := []audit.Change{{Field: "title", Old: t.Title}, {Field: "assignee", Old: t.Assignee}}
		if t.Description != "" {
			changes = append(changes, audit.Change{Field: "description", Old: t.Description})
		}
		if t.contactID != 0 && !t.ContactHidden {
			changes = append(changes, audit.Change{Field: "contact", Old: contactRef(t.contactID, t.ContactName)})
		}
		return audit.Write(ctx, tx, audit.Entry{Entity: "task", EntityID: idStr(id), Action: "task.delete", Changes: changes})
	})
}

// Bulk actions on tasks.
const (
	BulkComplete = "complete"
	BulkReopen   = "reopen"
	BulkReassign = "reassign"
)

// MaxBulkTasks is the most tasks one bulk action changes.
const MaxBulkTasks = 500

// BulkTasks completes, reopens or reassigns (to assigneeID) the tasks ids,
// all or none: one that v may not see refuses the whole action. It returns
// how many tasks changed (those already in the wanted state are left).
func (s *Service) BulkTasks(ctx context.Context, v contact.Viewer, ids []int64, action string, assigneeID int64) (int, error) {
	if err := v.CanWrite(); err != nil {
		return 0, err
	}
	ids = db.UniqueIDs(ids)
	c := errs.Collector{}
	switch action {
	case BulkComplete, BulkReopen:
	case BulkReassign:
		if assigneeID == 0 {
			c.Add("assignee_id", "choose who the tasks go to")
		}
	default:
		c.Add("action", fmt.Sprintf("unknown action %q; choose complete, reopen or reassign", action))
	}
	switch {
	case len(ids) == 0:
		c.Add("ids", "tick the tasks first")
	case len(ids) > MaxBulkTasks:
		c.Add("ids", fmt.Sprintf("at most %d tasks at a time; you chose %d", MaxBulkTasks, len(ids)))
	}
	if err := c.Err(); err != nil {
		return 0, err
	}
	changed := 0
	err := s.DB.InTx(ctx, func(tx *db.Tx) error {
		var who string
		if action == BulkReassign {
			if who = assignee(ctx, tx, c, assigneeID); c.Err() != nil {
				return c.Err()
			}
		}
		tasks, err := s.visibleTasks(ctx, tx, v, ids)
		if err != nil {
			return err
		}
		now := db.Now()
		for _, t := range tasks {
			n := *t
			var ch audit.Change
			switch {
			case action == BulkComplete && !t.Done(), action == BulkReopen && t.Done():
				ch = doneChange(&n, action == BulkComplete, v.UserID, now)
			case action == BulkReassign && t.AssigneeID != assigneeID:
				n.AssigneeID = assigneeID
				ch = audit.Change{Field: "assignee", Old: t.Assignee, New: who}
			default:
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE tasks SET assignee_id = ?, done_at = ?, done_by = ?, version = version + 1, updated_at = ?
				WHERE id = ?`, n.AssigneeID, n.DoneAt, db.NullID(n.DoneByID), now, t.ID); err != nil {
				return fmt.Errorf("activity: bulk tasks: %w", err)
			}
			if err := audit.Write(ctx, tx, audit.Entry{Entity: "task", EntityID: idStr(t.ID), Action: "task.update",
				Changes: []audit.Change{ch}}); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	return changed, err
}

// changeTask runs fn on task id inside a transaction once v may see it.
func (s *Service) changeTask(ctx context.Context, v contact.Viewer, id int64, fn func(tx *db.Tx, t *Task) error) error {
	return s.DB.InTx(ctx, func(tx *db.Tx) error {
		ts, err := s.visibleTasks(ctx, tx, v, []int64{id})
		if err != nil {
			return err
		}
		return fn(tx, ts[0])
	})
}
