package activity

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/markdown"
)

// TaskQuery selects tasks for a list: those given to AssigneeID (0 for
// anyone), of Status ("" for any, open, done or overdue), about ContactID
// (0 for any), after Cursor, Limit at a time (default 50, at most 200).
type TaskQuery struct {
	AssigneeID int64
	Status     string
	ContactID  int64
	Cursor     string
	Limit      int
}

// TaskPage is a page of tasks, newest first.
type TaskPage struct {
	Items      []Task
	NextCursor string // "" on the last page
}

// Tasks lists the tasks v may see that q selects; loc and now say what
// overdue means (a day-only task is overdue once its day has passed in loc).
func (s *Service) Tasks(ctx context.Context, v contact.Viewer, loc *time.Location, now time.Time, q TaskQuery) (TaskPage, error) {
	c := errs.Collector{}
	if q.Limit <= 0 {
		q.Limit = 50
	}
	if q.Limit > 200 {
		c.Add("limit", "at most 200 tasks per page")
	}
	where, args := "1 = 1", []any{}
	switch q.Status {
	case "":
	case TaskOpen:
		where += " AND t.done_at IS NULL"
	case TaskDone:
		where += " AND t.done_at IS NOT NULL"
	case TaskOverdue:
		w, a := overdueCond(loc, now)
		where += " AND " + w
		args = append(args, a...)
	default:
		c.Add("status", fmt.Sprintf("unknown status %q; choose open, done or overdue", q.Status))
	}
	if q.Cursor != "" {
		after, err := strconv.ParseInt(q.Cursor, 10, 64)
		if err != nil || after <= 0 {
			c.Add("cursor", "this cursor is not one Folio gave out; start from the first page")
		}
		where += " AND t.id < ?"
		args = append(args, after)
	}
	if err := c.Err(); err != nil {
		return TaskPage{}, err
	}
	if q.AssigneeID != 0 {
		where += " AND t.assignee_id = ?"
		args = append(args, q.AssigneeID)
	}
	if q.ContactID != 0 {
		if err := s.Contacts.CheckVisible(ctx, s.DB, v, q.ContactID); err != nil {
			return TaskPage{}, err
		}
		where += " AND t.contact_id = ?"
		args = append(args, q.ContactID)
	}
	ts, err := queryTasks(ctx, s.DB, v, where, " ORDER BY t.id DESC LIMIT "+strconv.Itoa(q.Limit+1), args...)
	if err != nil {
		return TaskPage{}, err
	}
	p := TaskPage{Items: ts}
	if len(ts) > q.Limit {
		p.Items = ts[:q.Limit]
		p.NextCursor = strconv.FormatInt(p.Items[q.Limit-1].ID, 10)
	}
	return p, nil
}

// overdueCond selects open tasks overdue at now for someone in loc.
func overdueCond(loc *time.Location, now time.Time) (string, []any) {
	return "t.done_at IS NULL AND ((t.due_has_time AND t.due_at < ?) OR (NOT t.due_has_time AND t.due_at < ?))",
		[]any{now.UTC(), today(loc, now)}
}

// TaskBoard is a user's task list: open tasks by when they are due, in
// the reader's time zone, then those done lately.
type TaskBoard struct {
	Overdue, Today, Upcoming, NoDue []Task
	Done                            []Task
	// More says open tasks were left out (MaxBoardTasks at most).
	More bool
}

// Empty reports whether the board has no task at all.
func (b TaskBoard) Empty() bool {
	return len(b.Overdue)+len(b.Today)+len(b.Upcoming)+len(b.NoDue)+len(b.Done) == 0
}

// MaxBoardTasks is the most open tasks a board shows; DoneDays how far back
// it lists done ones.
const (
	MaxBoardTasks = 500
	DoneDays      = 7
)

// TaskBoard returns the open tasks given to assigneeID (0 for everyone's)
// grouped Overdue, Today, Upcoming and No due date as seen in loc at now,
// and the tasks done in the last DoneDays days. A user who sees only their
// own contacts sees only their own list.
func (s *Service) TaskBoard(ctx context.Context, v contact.Viewer, loc *time.Location, now time.Time, assigneeID int64) (TaskBoard, error) {
	if v.OwnOnly && !v.Admin && assigneeID != v.UserID {
		return TaskBoard{}, errs.E(errs.Forbidden, "You see your own tasks only.")
	}
	where, args := "t.done_at IS NULL", []any{}
	if assigneeID != 0 {
		where += " AND t.assignee_id = ?"
		args = append(args, assigneeID)
	}
	open, err := queryTasks(ctx, s.DB, v, where, " ORDER BY t.due_at IS NULL, t.due_at, t.id LIMIT "+strconv.Itoa(MaxBoardTasks+1), args...)
	if err != nil {
		return TaskBoard{}, err
	}
	var b TaskBoard
	if len(open) > MaxBoardTasks {
		open, b.More = open[:MaxBoardTasks], true
	}
	// Day-only tasks come first on their day, then timed ones by time.
	slices.SortStableFunc(open, func(x, y Task) int {
		if x.DueAt == nil || y.DueAt == nil {
			return cmp.Compare(boolInt(x.DueAt == nil), boolInt(y.DueAt == nil))
		}
		if c := cmp.Compare(x.DueDate(loc), y.DueDate(loc)); c != 0 {
			return c
		}
		if x.DueHasTime != y.DueHasTime {
			if x.DueHasTime {
				return 1
			}
			return -1
		}
		return x.DueAt.Compare(*y.DueAt)
	})
	day := today(loc, now).Format(time.DateOnly)
	for _, t := range open {
		switch {
		case t.Status(loc, now) == TaskOverdue:
			b.Overdue = append(b.Overdue, t)
		case t.DueAt == nil:
			b.NoDue = append(b.NoDue, t)
		case t.DueDate(loc) == day:
			b.Today = append(b.Today, t)
		default:
			b.Upcoming = append(b.Upcoming, t)
		}
	}
	where, args = "t.done_at IS NOT NULL AND t.done_at >= ?", []any{now.UTC().AddDate(0, 0, -DoneDays)}
	if assigneeID != 0 {
		where += " AND t.assignee_id = ?"
		args = append(args, assigneeID)
	}
	b.Done, err = queryTasks(ctx, s.DB, v, where, " ORDER BY t.done_at DESC, t.id DESC LIMIT 50", args...)
	return b, err
}

// Assignee is a staff user who may be given tasks.
type Assignee struct {
	ID   int64
	Name string
}

// TaskAssignees are the active staff users who can work on tasks, by name.
func (s *Service) TaskAssignees(ctx context.Context) ([]Assignee, error) {
	rows, err := s.DB.QueryContext(ctx, "SELECT id, name FROM users WHERE disabled_at IS NULL AND role <> 'readonly' ORDER BY name, id")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Assignee
	for rows.Next() {
		var a Assignee
		if err := rows.Scan(&a.ID, &a.Name); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// TaskSummaries shows tasks on contacts' timelines: the title, when it is
// due and who does it, and whether it is open, overdue or done (in the
// assignee's time zone). The timeline has checked that its reader sees the
// contact.
func (s *Service) TaskSummaries(ctx context.Context, ids []int64) (map[int64]Summary, error) {
	out := make(map[int64]Summary, len(ids))
	now := time.Now()
	err := db.InChunks(ids, func(in string, args []any) error {
		ts, err := queryTasks(ctx, s.DB, contact.Viewer{Admin: true}, "t.id IN ("+in+")", "", args...)
		for _, t := range ts {
			loc := zone(t.assigneeZone)
			detail := "Assigned to " + t.Assignee
			if t.DueAt != nil {
				detail = "Due " + t.DueLabel(loc)
				if t.DueHasTime && loc != time.UTC {
					detail += " (" + loc.String() + ")"
				}
				detail += " · assigned to " + t.Assignee
			}
			if t.Priority == "high" {
				detail += " · high priority"
			}
			out[t.ID] = Summary{Title: t.Title, Detail: detail, Status: t.Status(loc, now), URL: t.URL()}
		}
		return err
	})
	return out, err
}

// zone is the named time zone, UTC when unknown.
func zone(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil && name != "" {
		return loc
	}
	return time.UTC
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// visibleTasks loads tasks ids in that order; one v may not see, or that
// does not exist, is a not-found error naming it.
func (s *Service) visibleTasks(ctx context.Context, q db.Queryer, v contact.Viewer, ids []int64) ([]*Task, error) {
	byID := make(map[int64]*Task, len(ids))
	err := db.InChunks(ids, func(in string, args []any) error {
		ts, err := queryTasks(ctx, q, v, "t.id IN ("+in+")", "", args...)
		for i := range ts {
			byID[ts[i].ID] = &ts[i]
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]*Task, 0, len(ids))
	for _, id := range ids {
		t, ok := byID[id]
		if !ok {
			if len(ids) == 1 {
				return nil, errNoTask
			}
			return nil, errs.E(errs.NotFound, "There is no task %d you may see; nothing was changed.", id)
		}
		out = append(out, t)
	}
	return out, nil
}

// Task returns a task v may see.
func (s *Service) Task(ctx context.Context, v contact.Viewer, id int64) (*Task, error) {
	ts, err := s.visibleTasks(ctx, s.DB, v, []int64{id})
	if err != nil {
		return nil, err
	}
	return ts[0], nil
}

const taskColumns = `t.id, COALESCE(t.contact_id, 0), t.title, t.description, t.due_at, t.due_has_time, t.assignee_id, a.name, a.email,
	a.time_zone, t.priority, t.done_at, COALESCE(t.done_by, 0), COALESCE(d.name, ''), t.reminded_at, COALESCE(t.created_by, 0),
	COALESCE(cr.name, ''), t.version, t.created_at, t.updated_at, COALESCE(c.display_name, ''), COALESCE(c.owner_id, 0), c.erased_at`

const taskFrom = ` FROM tasks t JOIN users a ON a.id = t.assignee_id LEFT JOIN users d ON d.id = t.done_by
	LEFT JOIN users cr ON cr.id = t.created_by LEFT JOIN contacts c ON c.id = t.contact_id`

// taskScope limits tasks t to those v may see: everyone's, unless v sees
// only their own contacts; then the tasks they are given, created, or that
// are about their contacts.
func taskScope(v contact.Viewer) (string, []any) {
	if v.OwnOnly && !v.Admin {
		return " AND (t.assignee_id = ? OR t.created_by = ? OR c.owner_id = ?)", []any{v.UserID, v.UserID, v.UserID}
	}
	return "", nil
}

// queryTasks reads the tasks v may see among those where selects (args
// are its parameters), followed by tail (ORDER BY, LIMIT: no parameters).
func queryTasks(ctx context.Context, q db.Queryer, v contact.Viewer, where, tail string, args ...any) ([]Task, error) {
	scope, sargs := taskScope(v)
	rows, err := q.QueryContext(ctx, "SELECT "+taskColumns+taskFrom+" WHERE ("+where+")"+scope+tail, append(args, sargs...)...)
	if err != nil {
		return nil, fmt.Errorf("activity: tasks: %w", err)
	}
	defer rows.Close()
	var out []Task
	for rows.Next() {
		t, err := scanTask(rows, v)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func scanTask(rows *sql.Rows, v contact.Viewer) (Task, error) {
	var t Task
	var due, done, reminded, erased sql.NullTime
	var owner int64
	err := rows.Scan(&t.ID, &t.contactID, &t.Title, &t.Description, &due, &t.DueHasTime, &t.AssigneeID, &t.Assignee, &t.assigneeEmail,
		&t.assigneeZone, &t.Priority, &done, &t.DoneByID, &t.DoneBy, &reminded, &t.CreatedByID, &t.CreatedBy, &t.Version,
		&t.CreatedAt, &t.UpdatedAt, &t.ContactName, &owner, &erased)
	if err != nil {
		return t, err
	}
	t.DueAt, t.DoneAt, t.RemindedAt = utcPtr(due), utcPtr(done), utcPtr(reminded)
	t.CreatedAt, t.UpdatedAt = t.CreatedAt.UTC(), t.UpdatedAt.UTC()
	t.HTML = markdown.Render(t.Description)
	if t.contactID != 0 {
		if erased.Valid || (v.OwnOnly && !v.Admin && owner != v.UserID) {
			t.ContactHidden, t.ContactName = true, ""
		} else {
			t.ContactID = t.contactID
		}
	}
	return t, nil
}

func utcPtr(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	u := t.Time.UTC()
	return &u
}
