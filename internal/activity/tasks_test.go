package activity_test

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
)

func (f *fixture) task(v contact.Viewer, in activity.TaskInput) int64 {
	f.t.Helper()
	id, err := f.s.AddTask(ctxAs(v), v, time.UTC, in)
	if err != nil {
		f.t.Fatalf("AddTask %+v: %v", in, err)
	}
	return id
}

func (f *fixture) getTask(v contact.Viewer, id int64) *activity.Task {
	f.t.Helper()
	t, err := f.s.Task(context.Background(), v, id)
	if err != nil {
		f.t.Fatalf("Task %d: %v", id, err)
	}
	return t
}

func (f *fixture) setZone(v contact.Viewer, tz string) {
	f.t.Helper()
	if _, err := f.d.ExecContext(context.Background(), "UPDATE users SET time_zone = ? WHERE id = ?", tz, v.UserID); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) exec(q string, args ...any) {
	f.t.Helper()
	if _, err := f.d.ExecContext(context.Background(), q, args...); err != nil {
		f.t.Fatal(err)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no zone %s: %v", name, err)
	}
	return loc
}

func TestTask_validationMessages(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		disabled := f.other
		f.exec("UPDATE users SET disabled_at = ? WHERE id = ?", db.Now(), disabled.UserID)
		cases := []struct {
			name  string
			in    activity.TaskInput
			field string
			want  string
		}{
			{"no title", activity.TaskInput{Title: "  "}, "title", "give the task a title"},
			{"two lines", activity.TaskInput{Title: "Call\r\nBcc: x@example.com"}, "title", "one line"},
			{"long title", activity.TaskInput{Title: strings.Repeat("é", 201)}, "title", "at most 200 characters; this one has 201"},
			{"long description", activity.TaskInput{Title: "x", Description: strings.Repeat("a", 10_001)}, "description", "at most 10000 characters"},
			{"bad date", activity.TaskInput{Title: "x", DueDate: "31/12/2026"}, "due_date", "use YYYY-MM-DD"},
			{"time without date", activity.TaskInput{Title: "x", DueTime: "10:00"}, "due_date", "enter the day"},
			{"bad time", activity.TaskInput{Title: "x", DueDate: "2026-12-31", DueTime: "25:00"}, "due_time", "HH:MM"},
			{"bad priority", activity.TaskInput{Title: "x", Priority: "urgent"}, "priority", "choose low, normal or high"},
			{"unknown assignee", activity.TaskInput{Title: "x", AssigneeID: 999999}, "assignee_id", "there is no staff user 999999"},
			{"disabled assignee", activity.TaskInput{Title: "x", AssigneeID: disabled.UserID}, "assignee_id", "Olga Other is disabled"},
			{"read-only assignee", activity.TaskInput{Title: "x", AssigneeID: f.reader.UserID}, "assignee_id", "read-only access"},
			{"unknown contact", activity.TaskInput{Title: "x", ContactID: 999999}, "contact_id", "no contact 999999 you may see"},
		}
		for _, c := range cases {
			_, err := f.s.AddTask(ctxAs(f.advisor), f.advisor, time.UTC, c.in)
			if !errs.Is(err, errs.Invalid) || !strings.Contains(errs.FieldsOf(err)[c.field], c.want) {
				t.Errorf("%s: %v (fields %v), want %s: …%s…", c.name, err, errs.FieldsOf(err), c.field, c.want)
			}
		}
		var n int
		_ = d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM tasks").Scan(&n)
		if n != 0 {
			t.Errorf("%d tasks stored from bad input", n)
		}
	})
}

func TestTask_createdWithDefaultsAndDueInCreatorsZone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ny := mustZone(t, "America/New_York")
		c := f.contact(f.advisor, "Nora")
		id, err := f.s.AddTask(ctxAs(f.advisor), f.advisor, ny, activity.TaskInput{Title: "  Call Nora  ", Description: "About the <script>x</script> **IRA**",
			DueDate: "2026-07-01", DueTime: "09:30", ContactID: c})
		if err != nil {
			t.Fatal(err)
		}
		tk := f.getTask(f.advisor, id)
		if tk.Title != "Call Nora" || tk.Priority != "normal" || tk.AssigneeID != f.advisor.UserID || tk.ContactID != c || tk.ContactName != "Nora Client" {
			t.Errorf("task = %+v", tk)
		}
		if want := time.Date(2026, 7, 1, 13, 30, 0, 0, time.UTC); tk.DueAt == nil || !tk.DueAt.Equal(want) || !tk.DueHasTime {
			t.Errorf("due = %v %v, want %v", tk.DueAt, tk.DueHasTime, want)
		}
		if tk.DueDate(ny) != "2026-07-01" || tk.DueTime(ny) != "09:30" {
			t.Errorf("due in New York = %s %s", tk.DueDate(ny), tk.DueTime(ny))
		}
		if h := string(tk.HTML); strings.Contains(h, "<script") || !strings.Contains(h, "<strong>IRA</strong>") {
			t.Errorf("description html = %s", h)
		}
		// A day without a time is the same day everywhere.
		id2 := f.task(f.advisor, activity.TaskInput{Title: "Review", DueDate: "2026-07-02"})
		tk2 := f.getTask(f.advisor, id2)
		tokyo := mustZone(t, "Asia/Tokyo")
		if tk2.DueHasTime || tk2.DueDate(tokyo) != "2026-07-02" || tk2.DueDate(ny) != "2026-07-02" || tk2.DueTime(ny) != "" {
			t.Errorf("day-only due = %v %v", tk2.DueAt, tk2.DueHasTime)
		}
	})
}

func TestTask_invisibleContactRefused(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		theirs := f.contact(f.advisor, "Theirs")
		_, err := f.s.AddTask(ctxAs(f.limited), f.limited, time.UTC, activity.TaskInput{Title: "Peek", ContactID: theirs})
		if !strings.Contains(errs.FieldsOf(err)["contact_id"], "no contact") {
			t.Errorf("own-only user on another's contact: %v", err)
		}
		if _, err := f.s.AddTask(ctxAs(f.reader), f.reader, time.UTC, activity.TaskInput{Title: "Read"}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("read-only user adds: %v", err)
		}
		// A task given to the own-only user about a contact they may not
		// see shows them the task, never the contact.
		id := f.task(f.advisor, activity.TaskInput{Title: "Help with Theirs", ContactID: theirs, AssigneeID: f.limited.UserID})
		tk := f.getTask(f.limited, id)
		if !tk.ContactHidden || tk.ContactID != 0 || tk.ContactName != "" {
			t.Errorf("own-only assignee sees contact: %+v", tk)
		}
		// Nor can they move it to a contact, or see the contact's tasks.
		other := f.contact(f.limited, "Mine")
		if err := f.s.EditTask(ctxAs(f.limited), f.limited, time.UTC, id, activity.TaskEdit{ContactID: &other, Version: tk.Version}); !errs.Is(err, errs.Invalid) {
			t.Errorf("own-only moves a hidden contact's task: %v", err)
		}
		if _, err := f.s.Tasks(context.Background(), f.limited, time.UTC, time.Now(), activity.TaskQuery{ContactID: theirs}); !errs.Is(err, errs.NotFound) {
			t.Errorf("own-only lists another's contact's tasks: %v", err)
		}
		// A task neither given to, created by nor about a contact of the
		// own-only user is invisible to them.
		hidden := f.task(f.advisor, activity.TaskInput{Title: "Private", ContactID: theirs})
		if _, err := f.s.Task(context.Background(), f.limited, hidden); !errs.Is(err, errs.NotFound) {
			t.Errorf("own-only reads another's task: %v", err)
		}
		if err := f.s.DeleteTask(ctxAs(f.limited), f.limited, hidden); !errs.Is(err, errs.NotFound) {
			t.Errorf("own-only deletes another's task: %v", err)
		}
	})
}

func TestTask_editVersionConflictAndActivityLog(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.contact(f.advisor, "Nora")
		id := f.task(f.advisor, activity.TaskInput{Title: "Call", DueDate: "2026-05-01"})
		tk := f.getTask(f.advisor, id)
		title, prio, who := "Call Nora back", "high", f.other.UserID
		err := f.s.EditTask(ctxAs(f.advisor), f.advisor, time.UTC, id, activity.TaskEdit{Title: &title, Priority: &prio, AssigneeID: &who,
			ContactID: &c, Due: &activity.TaskDue{Date: "2026-05-02", Time: "14:00"}, Version: tk.Version})
		if err != nil {
			t.Fatal(err)
		}
		// The same edit made on the old version is refused, not lost.
		stale := "stale"
		err = f.s.EditTask(ctxAs(f.other), f.other, time.UTC, id, activity.TaskEdit{Title: &stale, Version: tk.Version})
		if !errs.Is(err, errs.Conflict) {
			t.Errorf("stale edit: %v, want conflict", err)
		}
		if err := f.s.EditTask(ctxAs(f.other), f.other, time.UTC, id, activity.TaskEdit{Title: &stale}); !errs.Is(err, errs.Invalid) {
			t.Errorf("edit without version: %v", err)
		}
		tk = f.getTask(f.other, id)
		if tk.Title != title || tk.Priority != "high" || tk.AssigneeID != f.other.UserID || tk.ContactID != c || tk.Version != 2 {
			t.Errorf("after edit: %+v", tk)
		}
		done := true
		if err := f.s.EditTask(ctxAs(f.other), f.other, time.UTC, id, activity.TaskEdit{Done: &done, Version: tk.Version}); err != nil {
			t.Fatal(err)
		}
		tk = f.getTask(f.other, id)
		if !tk.Done() || tk.DoneByID != f.other.UserID || tk.DoneBy != "Olga Other" {
			t.Errorf("done: %+v", tk)
		}
		recs, _, err := audit.List(context.Background(), d, audit.Filter{Entity: "task", EntityID: strconv.FormatInt(id, 10)})
		if err != nil {
			t.Fatal(err)
		}
		var log []string
		for _, r := range recs {
			for _, ch := range r.Changes {
				log = append(log, r.Action+" "+ch.Field+": "+ch.Old+" -> "+ch.New)
			}
		}
		joined := strings.Join(log, "\n")
		for _, want := range []string{"task.create title:  -> Call", "task.update title: Call -> Call Nora back",
			"task.update due: 2026-05-01 -> 2026-05-02 14:00 UTC", "task.update assignee: Otto Advisor -> Olga Other",
			"task.update priority: normal -> high", "task.update contact:  -> Nora Client (#" + strconv.FormatInt(c, 10) + ")",
			"task.update status: open -> done"} {
			if !strings.Contains(joined, want) {
				t.Errorf("activity log lacks %q:\n%s", want, joined)
			}
		}
	})
}

func TestTask_onlyCreatorAssigneeOrAdminDeletes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		third := f.contact(f.advisor, "Nora")
		for _, who := range []contact.Viewer{f.advisor, f.other, f.admin} {
			id := f.task(f.advisor, activity.TaskInput{Title: "Call", AssigneeID: f.other.UserID, ContactID: third})
			// Someone else with write access may change it but not delete it.
			if who == f.advisor {
				extra := contact.Viewer{UserID: f.limited.UserID, Name: "Lim", OwnOnly: false}
				if err := f.s.DeleteTask(ctxAs(extra), extra, id); !errs.Is(err, errs.Forbidden) {
					t.Errorf("bystander deletes: %v", err)
				}
			}
			if err := f.s.DeleteTask(ctxAs(who), who, id); err != nil {
				t.Errorf("%s deletes: %v", who.Name, err)
			}
			if _, err := f.s.Task(context.Background(), f.admin, id); !errs.Is(err, errs.NotFound) {
				t.Errorf("deleted task: %v", err)
			}
		}
		var n int
		_ = d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM timeline WHERE kind = 'task'").Scan(&n)
		if n != 0 {
			t.Errorf("%d timeline rows left for deleted tasks", n)
		}
	})
}

func TestTask_myTasksGroupedInUsersTimeZone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		tokyo := mustZone(t, "Asia/Tokyo")
		// 23:30 UTC on 10 March is 08:30 on 11 March in Tokyo.
		now := time.Date(2026, 3, 10, 23, 30, 0, 0, time.UTC)
		add := func(title, date, clock string, loc *time.Location) int64 {
			id, err := f.s.AddTask(ctxAs(f.advisor), f.advisor, loc, activity.TaskInput{Title: title, DueDate: date, DueTime: clock})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		add("day 10", "2026-03-10", "", time.UTC)
		add("day 11", "2026-03-11", "", time.UTC)
		add("day 12", "2026-03-12", "", time.UTC)
		add("Tokyo 11th 10:00", "2026-03-11", "10:00", tokyo) // 01:00 UTC on the 11th
		add("Tokyo 11th 07:00", "2026-03-11", "07:00", tokyo) // 22:00 UTC on the 10th: passed
		add("someday", "", "", time.UTC)
		doneID := add("finished", "2026-03-01", "", time.UTC)
		if _, err := f.s.BulkTasks(ctxAs(f.advisor), f.advisor, []int64{doneID}, activity.BulkComplete, 0); err != nil {
			t.Fatal(err)
		}
		f.task(f.other, activity.TaskInput{Title: "someone else's"})
		titles := func(ts []activity.Task) string {
			var out []string
			for _, x := range ts {
				out = append(out, x.Title)
			}
			return strings.Join(out, ", ")
		}
		for _, c := range []struct {
			loc                                   *time.Location
			overdue, today, upcoming, nodue, done string
		}{
			{tokyo, "day 10, Tokyo 11th 07:00", "day 11, Tokyo 11th 10:00", "day 12", "someday", "finished"},
			{time.UTC, "Tokyo 11th 07:00", "day 10", "day 11, Tokyo 11th 10:00, day 12", "someday", "finished"},
		} {
			b, err := f.s.TaskBoard(context.Background(), f.advisor, c.loc, now, f.advisor.UserID)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{titles(b.Overdue), titles(b.Today), titles(b.Upcoming), titles(b.NoDue)}
			want := []string{c.overdue, c.today, c.upcoming, c.nodue}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s group %d = %q, want %q", c.loc, i, got[i], want[i])
				}
			}
			if titles(b.Done) != c.done {
				t.Errorf("%s done = %q", c.loc, titles(b.Done))
			}
		}
		// Everyone's board holds the other's task; the own-only user may
		// not ask for it.
		b, err := f.s.TaskBoard(context.Background(), f.advisor, time.UTC, now, 0)
		if err != nil || !strings.Contains(titles(b.NoDue), "someone else's") {
			t.Errorf("everyone's board: %v %q", err, titles(b.NoDue))
		}
		if _, err := f.s.TaskBoard(context.Background(), f.limited, time.UTC, now, 0); !errs.Is(err, errs.Forbidden) {
			t.Errorf("own-only everyone's board: %v", err)
		}
		// The API's overdue filter agrees with the board.
		p, err := f.s.Tasks(context.Background(), f.advisor, tokyo, now, activity.TaskQuery{Status: activity.TaskOverdue, AssigneeID: f.advisor.UserID})
		if err != nil || titles(p.Items) != "Tokyo 11th 07:00, day 10" {
			t.Errorf("overdue in Tokyo: %v %q", err, titles(p.Items))
		}
	})
}

func TestTask_bulkActions(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.task(f.advisor, activity.TaskInput{Title: "a"})
		b := f.task(f.advisor, activity.TaskInput{Title: "b"})
		c := f.task(f.advisor, activity.TaskInput{Title: "c"})
		ctx := ctxAs(f.advisor)
		if n, err := f.s.BulkTasks(ctx, f.advisor, []int64{a, b, a}, activity.BulkComplete, 0); err != nil || n != 2 {
			t.Fatalf("complete: %d %v", n, err)
		}
		// Already done ones are left as they are.
		if n, err := f.s.BulkTasks(ctx, f.advisor, []int64{a, b, c}, activity.BulkComplete, 0); err != nil || n != 1 {
			t.Errorf("complete again: %d %v", n, err)
		}
		if n, err := f.s.BulkTasks(ctx, f.advisor, []int64{a}, activity.BulkReopen, 0); err != nil || n != 1 {
			t.Errorf("reopen: %d %v", n, err)
		}
		if f.getTask(f.advisor, a).Done() || !f.getTask(f.advisor, b).Done() {
			t.Error("reopen changed the wrong tasks")
		}
		if n, err := f.s.BulkTasks(ctx, f.advisor, []int64{a, b}, activity.BulkReassign, f.other.UserID); err != nil || n != 2 {
			t.Errorf("reassign: %d %v", n, err)
		}
		if got := f.getTask(f.advisor, b); got.AssigneeID != f.other.UserID || got.Version != 3 {
			t.Errorf("reassigned: %+v", got)
		}
		// One task the user may not see refuses the whole action.
		theirs := f.contact(f.advisor, "Theirs")
		hidden := f.task(f.advisor, activity.TaskInput{Title: "hidden", ContactID: theirs})
		mine := f.task(f.limited, activity.TaskInput{Title: "mine"})
		_, err := f.s.BulkTasks(ctxAs(f.limited), f.limited, []int64{mine, hidden}, activity.BulkComplete, 0)
		if !errs.Is(err, errs.NotFound) || !strings.Contains(errs.MessageOf(err), strconv.FormatInt(hidden, 10)) {
			t.Errorf("bulk with an invisible task: %v", err)
		}
		if f.getTask(f.limited, mine).Done() {
			t.Error("a refused bulk action changed a task")
		}
		for _, bad := range []struct {
			action string
			ids    []int64
			to     int64
			field  string
		}{
			{"archive", []int64{a}, 0, "action"}, {activity.BulkReassign, []int64{a}, 0, "assignee_id"},
			{activity.BulkComplete, nil, 0, "ids"}, {activity.BulkReassign, []int64{a}, f.reader.UserID, "assignee_id"},
		} {
			if _, err := f.s.BulkTasks(ctx, f.advisor, bad.ids, bad.action, bad.to); errs.FieldsOf(err)[bad.field] == "" {
				t.Errorf("bulk %s %v → %d: %v", bad.action, bad.ids, bad.to, err)
			}
		}
	})
}

func outbox(t *testing.T, d *db.DB) []string {
	t.Helper()
	rows, err := d.QueryContext(context.Background(), "SELECT to_addr, subject, body_text FROM mail_outbox ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var to, subject, body string
		if err := rows.Scan(&to, &subject, &body); err != nil {
			t.Fatal(err)
		}
		out = append(out, to+" | "+subject+" | "+body)
	}
	return out
}

func TestTask_reminderSentOnceWhenDue(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.contact(f.advisor, "Nora")
		id := f.task(f.advisor, activity.TaskInput{Title: "Call Nora", DueDate: "2026-04-01", DueTime: "10:00", ContactID: c,
			AssigneeID: f.other.UserID, Priority: "high"})
		f.s.BaseURL = "https://crm.example.com/"
		ctx := context.Background()
		if n, err := f.s.SendDueReminders(ctx, time.Date(2026, 4, 1, 9, 59, 0, 0, time.UTC)); err != nil || n != 0 {
			t.Fatalf("before due: %d %v", n, err)
		}
		// Two instances look at once: one reminder.
		at := time.Date(2026, 4, 1, 10, 0, 30, 0, time.UTC)
		var wg sync.WaitGroup
		counts := make([]int, 4)
		for i := range counts {
			wg.Go(func() {
				n, err := f.s.SendDueReminders(ctx, at)
				if err != nil {
					t.Error(err)
				}
				counts[i] = n
			})
		}
		wg.Wait()
		if total := counts[0] + counts[1] + counts[2] + counts[3]; total != 1 {
			t.Errorf("concurrent callers queued %v reminders, want 1 in all", counts)
		}
		if n, _ := f.s.SendDueReminders(ctx, at.Add(time.Hour)); n != 0 {
			t.Errorf("second look queued %d", n)
		}
		mails := outbox(t, d)
		if len(mails) != 1 {
			t.Fatalf("outbox = %q", mails)
		}
		for _, want := range []string{"olga.other@example.com | Task due: Call Nora | Hello Olga Other", "About:    Nora Client",
			"Priority: High", "https://crm.example.com/tasks/" + strconv.FormatInt(id, 10), "From:     Otto Advisor"} {
			if !strings.Contains(mails[0], want) {
				t.Errorf("reminder lacks %q:\n%s", want, mails[0])
			}
		}
		// A new due date re-arms it.
		tk := f.getTask(f.advisor, id)
		if err := f.s.EditTask(ctxAs(f.advisor), f.advisor, time.UTC, id, activity.TaskEdit{Due: &activity.TaskDue{Date: "2026-04-02", Time: "10:00"},
			Version: tk.Version}); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.s.SendDueReminders(ctx, at.Add(2*time.Hour)); n != 0 {
			t.Errorf("re-armed reminder sent before the new due time: %d", n)
		}
		if n, _ := f.s.SendDueReminders(ctx, at.Add(24*time.Hour)); n != 1 {
			t.Errorf("re-armed reminder: %d, want 1", n)
		}
		// A done task is not reminded.
		done := f.task(f.advisor, activity.TaskInput{Title: "Done already", DueDate: "2026-04-01", DueTime: "08:00"})
		if _, err := f.s.BulkTasks(ctxAs(f.advisor), f.advisor, []int64{done}, activity.BulkComplete, 0); err != nil {
			t.Fatal(err)
		}
		if n, _ := f.s.SendDueReminders(ctx, at.Add(25*time.Hour)); n != 0 {
			t.Errorf("done task reminded: %d", n)
		}
		recs, _, _ := audit.List(context.Background(), d, audit.Filter{Entity: "task", EntityID: strconv.FormatInt(id, 10)})
		reminded := 0
		for _, r := range recs {
			if r.Action == "task.remind" {
				reminded++
			}
		}
		if reminded != 2 {
			t.Errorf("%d reminders in the activity log, want 2", reminded)
		}
	})
}

func TestTask_dayOnlyReminderAtNineInAssigneesZone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.setZone(f.other, "Pacific/Kiritimati") // UTC+14: 09:00 on the 5th is 19:00 UTC on the 4th
		f.setZone(f.advisor, "America/Los_Angeles")
		early := f.task(f.advisor, activity.TaskInput{Title: "Kiritimati", DueDate: "2026-06-05", AssigneeID: f.other.UserID})
		late := f.task(f.advisor, activity.TaskInput{Title: "Los Angeles", DueDate: "2026-06-05"}) // 16:00 UTC on the 5th (PDT)
		ctx := context.Background()
		if n, _ := f.s.SendDueReminders(ctx, time.Date(2026, 6, 4, 18, 59, 0, 0, time.UTC)); n != 0 {
			t.Errorf("before 09:00 in Kiritimati: %d", n)
		}
		if n, _ := f.s.SendDueReminders(ctx, time.Date(2026, 6, 4, 19, 0, 0, 0, time.UTC)); n != 1 {
			t.Errorf("at 09:00 in Kiritimati: %d", n)
		}
		if n, _ := f.s.SendDueReminders(ctx, time.Date(2026, 6, 5, 15, 59, 0, 0, time.UTC)); n != 0 {
			t.Errorf("before 09:00 in Los Angeles: %d", n)
		}
		if n, _ := f.s.SendDueReminders(ctx, time.Date(2026, 6, 5, 16, 0, 0, 0, time.UTC)); n != 1 {
			t.Errorf("at 09:00 in Los Angeles: %d", n)
		}
		for _, id := range []int64{early, late} {
			if f.getTask(f.admin, id).RemindedAt == nil {
				t.Errorf("task %d not marked reminded", id)
			}
		}
	})
}

func TestTask_timelineShowsTask(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.s.RegisterKind(activity.KindTask, f.s.TaskSummaries)
		c := f.contact(f.advisor, "Nora")
		c2 := f.contact(f.advisor, "Omar")
		id := f.task(f.advisor, activity.TaskInput{Title: "Send the forms", DueDate: "2000-01-03", ContactID: c})
		f.note(f.advisor, c, "A note", false)
		page, err := f.s.Timeline(context.Background(), f.advisor, c, activity.TimelineQuery{Kind: activity.KindTask})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Items) != 1 || page.Items[0].Entry == nil {
			t.Fatalf("timeline = %+v", page.Items)
		}
		e := page.Items[0].Entry
		if e.Title != "Send the forms" || e.Status != activity.TaskOverdue || e.URL != "/tasks/"+strconv.FormatInt(id, 10) ||
			!strings.Contains(e.Detail, "Due Mon 3 Jan 2000") || !strings.Contains(e.Detail, "Otto Advisor") || page.Items[0].Actor != "Otto Advisor" {
			t.Errorf("timeline entry = %+v (actor %q)", e, page.Items[0].Actor)
		}
		// Moving the task to another contact moves it on the timelines.
		tk := f.getTask(f.advisor, id)
		if err := f.s.EditTask(ctxAs(f.advisor), f.advisor, time.UTC, id, activity.TaskEdit{ContactID: &c2, Version: tk.Version}); err != nil {
			t.Fatal(err)
		}
		for contactID, want := range map[int64]int{c: 0, c2: 1} {
			p, err := f.s.Timeline(context.Background(), f.advisor, contactID, activity.TimelineQuery{Kind: activity.KindTask})
			if err != nil || len(p.Items) != want {
				t.Errorf("timeline of %d: %d items, want %d (%v)", contactID, len(p.Items), want, err)
			}
		}
		if _, err := f.s.BulkTasks(ctxAs(f.advisor), f.advisor, []int64{id}, activity.BulkComplete, 0); err != nil {
			t.Fatal(err)
		}
		p, _ := f.s.Timeline(context.Background(), f.advisor, c2, activity.TimelineQuery{})
		if len(p.Items) != 1 || p.Items[0].Entry.Status != activity.TaskDone {
			t.Errorf("done task on the timeline: %+v", p.Items)
		}
	})
}

func TestTask_listPagesAndFilters(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := f.contact(f.advisor, "Nora")
		var ids []int64
		for i := range 5 {
			in := activity.TaskInput{Title: "t" + strconv.Itoa(i)}
			if i%2 == 0 {
				in.ContactID = c
			}
			ids = append(ids, f.task(f.advisor, in))
		}
		var seen []int64
		cursor := ""
		for {
			p, err := f.s.Tasks(context.Background(), f.advisor, time.UTC, time.Now(), activity.TaskQuery{Cursor: cursor, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range p.Items {
				seen = append(seen, x.ID)
			}
			if cursor = p.NextCursor; cursor == "" {
				break
			}
		}
		if len(seen) != 5 || seen[0] != ids[4] || seen[4] != ids[0] {
			t.Errorf("pages = %v, ids %v", seen, ids)
		}
		p, err := f.s.Tasks(context.Background(), f.advisor, time.UTC, time.Now(), activity.TaskQuery{ContactID: c})
		if err != nil || len(p.Items) != 3 {
			t.Errorf("contact's tasks: %d %v", len(p.Items), err)
		}
		for _, bad := range []activity.TaskQuery{{Status: "late"}, {Cursor: "x"}, {Limit: 201}} {
			if _, err := f.s.Tasks(context.Background(), f.advisor, time.UTC, time.Now(), bad); !errs.Is(err, errs.Invalid) {
				t.Errorf("query %+v: %v", bad, err)
			}
		}
	})
}

func TestTask_reminderHidesContactsTheAssigneeMayNotSeeAndSkipsDisabledAssignees(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		theirs := f.contact(f.advisor, "Secret")
		f.task(f.advisor, activity.TaskInput{Title: "For Lim", DueDate: "2026-04-01", DueTime: "10:00", ContactID: theirs, AssigneeID: f.limited.UserID})
		gone := f.task(f.advisor, activity.TaskInput{Title: "For Olga", DueDate: "2026-04-01", DueTime: "10:00", AssigneeID: f.other.UserID})
		f.exec("UPDATE users SET disabled_at = ? WHERE id = ?", db.Now(), f.other.UserID)
		if n, err := f.s.SendDueReminders(context.Background(), time.Date(2026, 4, 1, 11, 0, 0, 0, time.UTC)); err != nil || n != 1 {
			t.Fatalf("reminders = %d %v, want 1", n, err)
		}
		mails := outbox(t, d)
		if len(mails) != 1 || !strings.HasPrefix(mails[0], "lim.ited@example.com | Task due: For Lim") || strings.Contains(mails[0], "Secret") {
			t.Errorf("outbox = %q", mails)
		}
		if f.getTask(f.admin, gone).RemindedAt == nil {
			t.Error("the disabled assignee's task is looked at again every minute")
		}
		recs, _, _ := audit.List(context.Background(), d, audit.Filter{Entity: "task", EntityID: strconv.FormatInt(gone, 10), Action: "task.remind"})
		if len(recs) != 1 || !strings.Contains(recs[0].Changes[0].New, "not sent: Olga Other is disabled") {
			t.Errorf("activity log of the skipped reminder: %+v", recs)
		}
	})
}

// Merging contacts moves the other's tasks to the survivor; erasing a
// contact deletes the tasks about it (their titles name the client).
func TestTask_followsMergeAndGoesWithErase(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.contact(f.admin, "Ann"), f.contact(f.admin, "Anne")
		id := f.task(f.admin, activity.TaskInput{Title: "Call Anne about her ISA", AssigneeID: f.admin.UserID, ContactID: b})
		if err := f.cs.Merge(ctxAs(f.admin), f.admin, a, b, nil, contact.MergeBase{}); err != nil {
			t.Fatal(err)
		}
		var on int64
		_ = d.QueryRowContext(context.Background(), "SELECT contact_id FROM tasks WHERE id = ?", id).Scan(&on)
		if on != a {
			t.Errorf("task on contact %d after the merge, want the survivor %d", on, a)
		}
		if err := f.cs.Erase(ctxAs(f.admin), f.admin, a); err != nil {
			t.Fatal(err)
		}
		var left int
		_ = d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM tasks").Scan(&left)
		if left != 0 {
			t.Errorf("%d tasks left after erasing their contact", left)
		}
	})
}
