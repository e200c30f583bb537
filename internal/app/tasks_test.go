package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/config"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/mail/mailtest"
)

// The tasks, driven over HTTP against the real server on every database
// kind: the pages and the API.

func taskIDFrom(t *testing.T, loc string) int64 {
	t.Helper()
	m := regexp.MustCompile(`^/tasks/([0-9]+)$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("redirect to %q, want /tasks/{id}", loc)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	return n
}

// addTask creates a task through the service as u.
func addTask(t *testing.T, s *apptest.Server, u *auth.User, in activity.TaskInput) int64 {
	t.Helper()
	n, err := s.Activity.AddTask(asUser(u), contact.ViewerFor(u), u.Location(), in)
	if err != nil {
		t.Fatalf("add task %q: %v", in.Title, err)
	}
	return n
}

func limitedUser(t *testing.T, s *apptest.Server, owner *auth.User) *auth.User {
	t.Helper()
	lim, err := s.Auth.CreateUser(asUser(owner), owner, auth.NewUser{Email: limEmail, Name: "Lia Limited", Role: auth.RoleAdvisor,
		Password: limPass, OwnContactsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return lim
}

func TestTasksWeb_createShowEditDoneAndDeleteWithConfirmation(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, advisor := seeded(t, s)
		nora := addContact(t, s, owner, person("Nora", "North", ""))
		c := signedIn(t, s, ownerEmail, ownerPass)
		page := s.Get(t, c, "/tasks")
		if page.StatusCode != http.StatusOK || !strings.Contains(page.Body, "No tasks for you") || !strings.Contains(page.Body, `href="/tasks"`) {
			t.Fatalf("empty task list = %d\n%s", page.StatusCode, page.Body)
		}
		// From a contact's page, the contact is set and locked.
		form := s.Get(t, c, "/tasks/new?contact="+id(nora))
		if form.StatusCode != http.StatusOK || !strings.Contains(form.Body, "Nora North") || !strings.Contains(form.Body, `name="locked_contact" value="`+id(nora)+`"`) {
			t.Fatalf("new task form for a contact = %d\n%s", form.StatusCode, form.Body)
		}
		bad := s.PostForm(t, c, "/tasks/new", url.Values{"title": {"  "}, "due_date": {"tomorrow"}, "priority": {"normal"},
			"locked_contact": {id(nora)}, "description": {"<b>kept</b>"}})
		if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "Give the task a title.") ||
			!strings.Contains(bad.Body, "is not a date; use YYYY-MM-DD") || !strings.Contains(bad.Body, "&lt;b&gt;kept&lt;/b&gt;") {
			t.Fatalf("bad task = %d\n%s", bad.StatusCode, bad.Body)
		}
		res := s.PostForm(t, c, "/tasks/new", url.Values{"title": {"Send the transfer forms"}, "locked_contact": {id(nora)},
			"description": {"Use the **new** form <script>alert(1)</script> [x](javascript:alert(1))"}, "due_date": {"2000-01-03"},
			"due_time": {"10:30"}, "assignee_id": {id(advisor.ID)}, "priority": {"high"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/contacts/"+id(nora) {
			t.Fatalf("create = %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		var taskID int64
		_ = s.DB.QueryRowContext(context.Background(), "SELECT id FROM tasks WHERE contact_id = ?", nora).Scan(&taskID)
		tp := s.Get(t, c, "/tasks/"+id(taskID))
		for _, want := range []string{"Send the transfer forms", "Overdue", "Mon 3 Jan 2000, 10:30", "Adam Advisor", "Nora North",
			"<strong>new</strong>", "High priority", `href="/tasks/` + id(taskID) + `/delete"`} {
			if !strings.Contains(tp.Body, want) {
				t.Errorf("task page lacks %q", want)
			}
		}
		if strings.Contains(tp.Body, "<script>alert") || strings.Contains(tp.Body, "javascript:") {
			t.Errorf("task page runs the description's script:\n%s", tp.Body)
		}
		// It is on the owner's "everyone" list, and on the advisor's own.
		if all := s.Get(t, c, "/tasks?assignee=all"); !strings.Contains(all.Body, "Send the transfer forms") || !strings.Contains(all.Body, "Overdue") {
			t.Errorf("everyone's tasks lack it:\n%s", all.Body)
		}
		if theirs := s.Get(t, c, "/tasks?assignee="+id(advisor.ID)); !strings.Contains(theirs.Body, "Tasks of Adam Advisor") ||
			!strings.Contains(theirs.Body, "Send the transfer forms") {
			t.Errorf("the advisor's tasks seen by the owner:\n%s", theirs.Body)
		}
		if res := s.Get(t, c, "/tasks?assignee=999999"); res.StatusCode != http.StatusNotFound {
			t.Errorf("tasks of an unknown user = %d", res.StatusCode)
		}
		ac := signedIn(t, s, advEmail, advPass)
		if mine := s.Get(t, ac, "/tasks"); !strings.Contains(mine.Body, "Send the transfer forms") {
			t.Errorf("advisor's tasks lack it")
		}
		// An edit on an old version is refused and keeps what was typed.
		edit := url.Values{"title": {"Send the forms today"}, "due_date": {"2000-01-04"}, "assignee_id": {id(advisor.ID)},
			"priority": {"normal"}, "contact_id": {id(nora)}, "version": {"1"}}
		if res := s.PostForm(t, ac, "/tasks/"+id(taskID)+"/edit", edit); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit = %d\n%s", res.StatusCode, res.Body)
		}
		edit.Set("title", "A stale edit")
		stale := s.PostForm(t, c, "/tasks/"+id(taskID)+"/edit", edit)
		if stale.StatusCode != http.StatusConflict || !strings.Contains(stale.Body, "Someone changed this task") || !strings.Contains(stale.Body, "A stale edit") {
			t.Errorf("stale edit = %d\n%s", stale.StatusCode, stale.Body)
		}
		if res := s.PostForm(t, c, "/tasks/"+id(taskID)+"/done", url.Values{"done": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("done = %d", res.StatusCode)
		}
		if tp := s.Get(t, c, "/tasks/"+id(taskID)); !strings.Contains(tp.Body, "Reopen") || !strings.Contains(tp.Body, "by Olivia Owner") {
			t.Errorf("done task page:\n%s", tp.Body)
		}
		confirm := s.Get(t, c, "/tasks/"+id(taskID)+"/delete")
		if confirm.StatusCode != http.StatusOK || !strings.Contains(confirm.Body, "Delete the task Send the forms today?") {
			t.Errorf("delete confirmation = %d\n%s", confirm.StatusCode, confirm.Body)
		}
		if res := s.PostForm(t, c, "/tasks/"+id(taskID)+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete = %d", res.StatusCode)
		}
		if res := s.Get(t, c, "/tasks/"+id(taskID)); res.StatusCode != http.StatusNotFound {
			t.Errorf("deleted task = %d", res.StatusCode)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE entity = 'task' AND entity_id = ?", id(taskID)); n != 4 {
			t.Errorf("%d activity log rows for the task, want create, update, done and delete", n)
		}
	})
}

func TestTasksWeb_limitedAndReadOnlyUsers(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		lim := limitedUser(t, s, owner)
		s.CreateUser(t, readEmail, "Rita Reader", auth.RoleReadOnly, readPass, auth.Grants{})
		theirs := addContact(t, s, owner, person("Olga", "Others", ""))
		private := addTask(t, s, owner, activity.TaskInput{Title: "Owner private", ContactID: theirs})
		given := addTask(t, s, owner, activity.TaskInput{Title: "For Lia", ContactID: theirs, AssigneeID: lim.ID})
		c := signedIn(t, s, limEmail, limPass)
		if res := s.Get(t, c, "/tasks?assignee=all"); res.StatusCode != http.StatusForbidden {
			t.Errorf("own-only everyone's tasks = %d", res.StatusCode)
		}
		if res := s.Get(t, c, "/tasks/"+id(private)); res.StatusCode != http.StatusNotFound {
			t.Errorf("own-only reads another's task = %d", res.StatusCode)
		}
		res := s.Get(t, c, "/tasks/"+id(given))
		if res.StatusCode != http.StatusOK || strings.Contains(res.Body, "Olga Others") || !strings.Contains(res.Body, "A contact you do not see") {
			t.Errorf("own-only assignee's task page = %d\n%s", res.StatusCode, res.Body)
		}
		if res := s.Get(t, c, "/tasks/new?contact="+id(theirs)); res.StatusCode != http.StatusNotFound {
			t.Errorf("new task for an invisible contact = %d", res.StatusCode)
		}
		bad := s.PostForm(t, c, "/tasks/new", url.Values{"title": {"Peek"}, "contact_id": {id(theirs)}})
		if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "There is no contact "+id(theirs)+" you may see.") {
			t.Errorf("task on an invisible contact = %d\n%s", bad.StatusCode, bad.Body)
		}
		rc := signedIn(t, s, readEmail, readPass)
		if res := s.Get(t, rc, "/tasks/new"); res.StatusCode != http.StatusForbidden {
			t.Errorf("read-only new task form = %d", res.StatusCode)
		}
		if res := s.Get(t, rc, "/tasks"); res.StatusCode != http.StatusOK || strings.Contains(res.Body, "Mark done") {
			t.Errorf("read-only task list = %d (bulk actions shown?)", res.StatusCode)
		}
	})
}

func TestTasksWeb_bulkMarkDoneReopenAndReassign(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, advisor := seeded(t, s)
		a := addTask(t, s, owner, activity.TaskInput{Title: "Task A", DueDate: "2000-01-01"})
		b := addTask(t, s, owner, activity.TaskInput{Title: "Task B"})
		c := signedIn(t, s, ownerEmail, ownerPass)
		res := s.PostForm(t, c, "/tasks/bulk", url.Values{"id": {id(a), id(b)}, "action": {"complete"}, "return": {"/tasks?assignee=me"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/tasks?assignee=me" {
			t.Fatalf("bulk done = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if page := s.Get(t, c, "/tasks"); !strings.Contains(page.Body, "2 tasks marked done.") || !strings.Contains(page.Body, "Done lately") {
			t.Errorf("after bulk done:\n%s", page.Body)
		}
		s.PostForm(t, c, "/tasks/bulk", url.Values{"id": {id(a)}, "action": {"reopen"}})
		s.PostForm(t, c, "/tasks/bulk", url.Values{"id": {id(a), id(b)}, "action": {"reassign"}, "assignee_id": {id(advisor.ID)}})
		if n := count(t, s, "SELECT COUNT(*) FROM tasks WHERE assignee_id = ? AND done_at IS NULL", advisor.ID); n != 1 {
			t.Errorf("open tasks of the advisor after reopen and reassign = %d, want 1", n)
		}
		// Nothing ticked: a message, not an error page.
		res = s.PostForm(t, c, "/tasks/bulk", url.Values{"action": {"complete"}})
		if page := follow(t, s, c, res); !strings.Contains(page.Body, "Tick the tasks first.") {
			t.Errorf("bulk without tasks:\n%s", page.Body)
		}
	})
}

func TestTasksAPI_crudFiltersPagingVersionAndBulk(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, advisor := seeded(t, s)
		if err := s.Auth.ChangeTimeZone(asUser(advisor), advisor, "Europe/Berlin"); err != nil {
			t.Fatal(err)
		}
		nora := addContact(t, s, owner, person("Nora", "North", ""))
		api := callerFor(t, s, advisor)
		p := problemOf(t, api.do("POST", "/api/v1/tasks", `{"title":"a\nb","due_time":"10:00","contact_id":999999}`), 422)
		detail, _ := p["detail"].(string)
		for _, want := range []string{"body.title: the title is one line", "body.due_date: enter the day", "body.contact_id: there is no contact 999999"} {
			if !strings.Contains(detail, want) {
				t.Errorf("problem lacks %q: %s", want, detail)
			}
		}
		created := api.do("POST", "/api/v1/tasks", `{"title":"Call Nora","due_date":"2099-07-01","due_time":"09:30","contact_id":`+id(nora)+`,"priority":"high"}`)
		if created.StatusCode != 201 || !strings.HasPrefix(created.Header.Get("Location"), "/api/v1/tasks/") {
			t.Fatalf("create = %d %s", created.StatusCode, created.Body)
		}
		tk := api.ok(200, "GET", created.Header.Get("Location"), "")
		if tk["due_at"] != "2099-07-01T07:30:00Z" || tk["due_date"] != "2099-07-01" || tk["due_time"] != "09:30" || tk["time_zone"] != "Europe/Berlin" ||
			tk["assignee"] != "Adam Advisor" || tk["contact_name"] != "Nora North" || tk["status"] != "open" || tk["version"] != float64(1) {
			t.Errorf("task = %v", tk)
		}
		tid := idOf(tk)
		for i := range 3 {
			api.ok(201, "POST", "/api/v1/tasks", `{"title":"Filler `+strconv.Itoa(i)+`"}`)
		}
		// Pages of two, newest first.
		var seen []string
		next := ""
		for range 5 {
			page := api.ok(200, "GET", "/api/v1/tasks?assignee=me&limit=2&cursor="+next, "")
			seen = append(seen, ids(page["items"])...)
			if next, _ = page["next_cursor"].(string); next == "" {
				break
			}
		}
		if len(seen) != 4 || seen[3] != tid {
			t.Errorf("pages = %v", seen)
		}
		if items := ids(api.ok(200, "GET", "/api/v1/contacts/"+id(nora)+"/tasks", "")["items"]); len(items) != 1 || items[0] != tid {
			t.Errorf("contact's tasks = %v", items)
		}
		problemOf(t, api.do("GET", "/api/v1/tasks?status=late", ""), 400)
		problemOf(t, api.do("GET", "/api/v1/tasks?assignee=you", ""), 400)
		problemOf(t, api.do("GET", "/api/v1/tasks?cursor=x", ""), 400)
		problemOf(t, api.do("GET", "/api/v1/tasks?colour=red", ""), 400)
		// Changes need the version they are based on.
		problemOf(t, api.do("PATCH", "/api/v1/tasks/"+tid, `{"title":"New"}`), 422)
		upd := api.ok(200, "PATCH", "/api/v1/tasks/"+tid, `{"title":"Call Nora back","due_date":"2099-07-02","version":1}`)
		if upd["title"] != "Call Nora back" || upd["due_time"] != "" || upd["due_has_time"] != false || upd["version"] != float64(2) {
			t.Errorf("patched = %v", upd)
		}
		problemOf(t, api.do("PATCH", "/api/v1/tasks/"+tid, `{"title":"Stale","version":1}`), 409)
		problemOf(t, api.do("PATCH", "/api/v1/tasks/"+tid, `{"due_time":"10:00","version":2}`), 422)
		done := api.ok(200, "PATCH", "/api/v1/tasks/"+tid, `{"done":true,"version":2}`)
		if done["status"] != "done" || done["done_by"] != "Adam Advisor" {
			t.Errorf("done = %v", done)
		}
		if cleared := api.ok(200, "PATCH", "/api/v1/tasks/"+tid, `{"due_date":"","version":3}`); cleared["due_at"] != nil || cleared["due_date"] != "" {
			t.Errorf("due date removed = %v", cleared)
		}
		if items := ids(api.ok(200, "GET", "/api/v1/tasks?status=done", "")["items"]); len(items) != 1 || items[0] != tid {
			t.Errorf("done tasks = %v", items)
		}
		// Bulk: all or none.
		all := ids(api.ok(200, "GET", "/api/v1/tasks?status=open", "")["items"])
		body := `{"ids":[` + strings.Join(all, ",") + `],"action":"reassign","assignee_id":` + id(owner.ID) + `}`
		if res := api.ok(200, "POST", "/api/v1/tasks/bulk", body); res["changed"] != float64(3) {
			t.Errorf("bulk reassign = %v", res)
		}
		problemOf(t, api.do("POST", "/api/v1/tasks/bulk", `{"ids":[999999],"action":"complete"}`), 404)
		problemOf(t, api.do("POST", "/api/v1/tasks/bulk", `{"ids":[`+tid+`],"action":"archive"}`), 422)
		// Only the creator, the assignee or an admin deletes.
		third := s.CreateUser(t, "third@firm.test", "Theo Third", auth.RoleAdvisor, advPass, auth.Grants{})
		problemOf(t, callerFor(t, s, third).do("DELETE", "/api/v1/tasks/"+tid, ""), 403)
		api.ok(204, "DELETE", "/api/v1/tasks/"+tid, "")
		problemOf(t, api.do("GET", "/api/v1/tasks/"+tid, ""), 404)
		// Read-only tokens read but do not change.
		reader := s.CreateUser(t, readEmail, "Rita Reader", auth.RoleReadOnly, readPass, auth.Grants{})
		rapi := callerFor(t, s, reader)
		rapi.ok(200, "GET", "/api/v1/tasks", "")
		problemOf(t, rapi.do("POST", "/api/v1/tasks", `{"title":"x"}`), 403)
	})
}

func TestTasksAPI_ownOnlyUserSeesOwnTasksAndNoHiddenContact(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		lim := limitedUser(t, s, owner)
		theirs := addContact(t, s, owner, person("Olga", "Others", ""))
		addTask(t, s, owner, activity.TaskInput{Title: "Owner private", ContactID: theirs})
		given := addTask(t, s, owner, activity.TaskInput{Title: "For Lia", ContactID: theirs, AssigneeID: lim.ID})
		api := callerFor(t, s, lim)
		items := api.ok(200, "GET", "/api/v1/tasks", "")["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("own-only list = %v", items)
		}
		tk := items[0].(map[string]any)
		if idOf(tk) != id(given) || tk["contact_id"] != float64(0) || tk["contact_name"] != "" || tk["contact_hidden"] != true {
			t.Errorf("own-only sees %v", tk)
		}
		problemOf(t, api.do("GET", "/api/v1/contacts/"+id(theirs)+"/tasks", ""), 404)
		problemOf(t, api.do("POST", "/api/v1/tasks", `{"title":"x","contact_id":`+id(theirs)+`}`), 422)
	})
}

func TestTasks_reminderDeliveredOnceThroughSMTP(t *testing.T) {
	for _, k := range dbtest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			t.Parallel()
			smtpd := mailtest.Start(t)
			s := apptest.Start(t, k, func(c *config.Config) {
				c.BaseURL, c.SMTPURL, c.SMTPFrom = "https://crm.example.com", smtpd.URL(), "Folio <folio@example.com>"
			})
			owner, advisor := seeded(t, s)
			taskID := addTask(t, s, owner, activity.TaskInput{Title: "Review the portfolio", DueDate: "2000-01-03", DueTime: "10:00", AssigneeID: advisor.ID})
			ctx := context.Background()
			total := 0
			for range 2 {
				n, err := s.Activity.SendDueReminders(ctx, time.Now())
				if err != nil {
					t.Fatal(err)
				}
				total += n
			}
			if total != 1 {
				t.Errorf("reminders queued = %d, want 1", total)
			}
			s.Mail.Wake()
			msgs := smtpd.Wait(t, 1, 10*time.Second)
			if msgs[0].To[0] != advEmail || !strings.Contains(msgs[0].Data, "Subject: Task due: Review the portfolio") ||
				!strings.Contains(msgs[0].Data, "https://crm.example.com/tasks/"+id(taskID)) {
				t.Errorf("delivered %+v", msgs[0])
			}
			c := signedIn(t, s, ownerEmail, ownerPass)
			if page := s.Get(t, c, "/tasks/"+id(taskID)); !strings.Contains(page.Body, "Emailed") {
				t.Errorf("task page does not say the reminder went out")
			}
			time.Sleep(200 * time.Millisecond)
			if n := len(smtpd.Messages()); n != 1 {
				t.Errorf("%d messages delivered, want 1", n)
			}
		})
	}
}
