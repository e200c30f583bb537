package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// taskRoutes are the pages of tasks: the user's task list, a task, its
// form and its delete confirmation.
func (s *Server) taskRoutes() {
	read, write := auth.PermContactsRead, auth.PermWrite
	s.handle("GET /tasks", read, s.tasksPage)
	s.handle("POST /tasks/bulk", write, s.tasksBulk)
	s.handle("GET /tasks/new", write, s.taskNewForm)
	s.handle("POST /tasks/new", write, s.taskCreate)
	s.handle("GET /tasks/{id}", read, s.taskPage)
	s.handle("GET /tasks/{id}/edit", write, s.taskEditForm)
	s.handle("POST /tasks/{id}/edit", write, s.taskUpdate)
	s.handle("POST /tasks/{id}/done", write, s.taskDone)
	s.handle("GET /tasks/{id}/delete", write, s.taskDeleteForm)
	s.handle("POST /tasks/{id}/delete", write, s.taskDelete)
}

// taskUser is the signed-in user as the tasks see them: a contact viewer
// and the time zone dates are entered and shown in.
func taskUser(r *http.Request) (contact.Viewer, *time.Location) {
	u := userFrom(r.Context())
	return contact.ViewerFor(u), u.Location()
}

type taskBoardData struct {
	Board activity.TaskBoard
	Loc   *time.Location
	// Assignee is the list's filter: "me", "all" or a user's id.
	Assignee     string
	AssigneeName string
	ChooseAnyone bool
	Assignees    []activity.Assignee
	CanWrite     bool
	Return       string
}

// tasksPage is "My tasks": open tasks by when they are due, in the user's
// time zone, then those done lately. Users who see every contact may look
// at anyone's list.
func (s *Server) tasksPage(w http.ResponseWriter, r *http.Request) {
	v, loc := taskUser(r)
	d := taskBoardData{Loc: loc, Assignee: r.URL.Query().Get("assignee"), ChooseAnyone: !v.OwnOnly || v.Admin, CanWrite: !v.ReadOnly,
		Return: r.URL.RequestURI()}
	var err error
	if d.Assignees, err = s.Activity.TaskAssignees(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	who := v.UserID
	switch d.Assignee {
	case "", "me":
		d.Assignee = "me"
	case "all":
		who = 0
	default:
		id, err := strconv.ParseInt(d.Assignee, 10, 64)
		if err != nil || id <= 0 {
			s.renderErrorText(w, r, http.StatusBadRequest, "Choose whose tasks to see from the list.")
			return
		}
		who = id
	}
	if !d.ChooseAnyone && who != v.UserID {
		s.renderErrorText(w, r, http.StatusForbidden, "You see your own tasks only.")
		return
	}
	if who != 0 {
		u, err := s.Auth.UserByID(r.Context(), who)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		d.AssigneeName = u.Name
	}
	if d.Board, err = s.Activity.TaskBoard(r.Context(), v, loc, time.Now(), who); err != nil {
		s.fail(w, r, err)
		return
	}
	title := "My tasks"
	if who == 0 {
		title = "Everyone's tasks"
	} else if who != v.UserID {
		title = "Tasks of " + d.AssigneeName
	}
	s.render(w, r, http.StatusOK, "app/tasks", &Page{Title: title, Data: d})
}

// tasksBulk marks the ticked tasks done or open, or gives them to someone,
// then returns to the list it came from.
func (s *Server) tasksBulk(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	back := safeNext(f.Get("return"))
	if !strings.HasPrefix(back, "/tasks") {
		back = "/tasks"
	}
	var ids []int64
	for _, raw := range f.Values["id"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			s.renderErrorText(w, r, http.StatusBadRequest, "The ticked tasks could not be read. Go back and try again.")
			return
		}
		ids = append(ids, id)
	}
	action := f.Get("action")
	var to int64
	if action == activity.BulkReassign {
		to, _ = strconv.ParseInt(f.Get("assignee_id"), 10, 64)
	}
	v, _ := taskUser(r)
	n, err := s.Activity.BulkTasks(r.Context(), v, ids, action, to)
	if err != nil {
		if errs.Is(err, errs.Invalid) || errs.Is(err, errs.NotFound) {
			s.setFlash(w, "error", bulkMessage(err))
			http.Redirect(w, r, back, http.StatusSeeOther)
			return
		}
		s.fail(w, r, err)
		return
	}
	done := map[string]string{activity.BulkComplete: "marked done", activity.BulkReopen: "reopened", activity.BulkReassign: "reassigned"}[action]
	s.setFlash(w, "success", fmt.Sprintf("%s %s.", plural(n, "task", "tasks"), done))
	http.Redirect(w, r, back, http.StatusSeeOther)
}

// bulkMessage is a refused bulk action as one sentence.
func bulkMessage(err error) string {
	fields := errs.FieldsOf(err)
	for _, k := range []string{"ids", "action", "assignee_id"} {
		if m := fields[k]; m != "" {
			return sentence(m)
		}
	}
	return sentence(errs.MessageOf(err))
}

type taskFormData struct {
	Task       *activity.Task // nil for a new task
	Assignees  []activity.Assignee
	Priorities []contact.Option
	// LockedContact is the contact a new task from a contact's page is
	// about, shown instead of the picker.
	LockedContact *contact.Contact
	ContactName   string // the chosen contact's name, for the picker
	Zone          string
	Cancel        string
}

// taskForm renders the new or edit form with f's values and errors.
func (s *Server) taskForm(w http.ResponseWriter, r *http.Request, status int, t *activity.Task, locked *contact.Contact, f *Form) {
	_, loc := taskUser(r)
	d := taskFormData{Task: t, Priorities: activity.Priorities, LockedContact: locked, Zone: loc.String(), Cancel: "/tasks"}
	var err error
	if d.Assignees, err = s.Activity.TaskAssignees(r.Context()); err != nil {
		s.fail(w, r, err)
		return
	}
	title := "New task"
	switch {
	case t != nil:
		title, d.Cancel = "Edit task", t.URL()
		d.ContactName = t.ContactName
	case locked != nil:
		d.Cancel = recordURL(locked.ID)
	}
	if id, err := strconv.ParseInt(f.Get("contact_id"), 10, 64); err == nil && id > 0 && locked == nil && (t == nil || id != t.ContactID) {
		if c, err := s.Contacts.Get(r.Context(), contact.ViewerFor(userFrom(r.Context())), id); err == nil {
			d.ContactName = c.Name()
		}
	}
	s.render(w, r, status, "app/task_form", &Page{Title: title, Form: f, Data: d})
}

// taskNewForm is the new task form; ?contact=ID sets and locks the
// contact it is about.
func (s *Server) taskNewForm(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	f := &Form{Values: url.Values{"assignee_id": {strconv.FormatInt(u.ID, 10)}, "priority": {"normal"}}, Errors: map[string]string{}}
	locked, ok := s.lockedContact(w, r, r.URL.Query().Get("contact"))
	if !ok {
		return
	}
	if locked != nil {
		f.Values.Set("contact_id", strconv.FormatInt(locked.ID, 10))
	}
	s.taskForm(w, r, http.StatusOK, nil, locked, f)
}

// lockedContact reads the contact a new task is fixed to ("" for none).
func (s *Server) lockedContact(w http.ResponseWriter, r *http.Request, raw string) (*contact.Contact, bool) {
	if raw == "" {
		return nil, true
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound)
		return nil, false
	}
	c, err := s.Contacts.Get(r.Context(), contact.ViewerFor(userFrom(r.Context())), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return c, true
}

// taskFormErrors puts a domain error's fields next to the form's inputs.
func taskFormErrors(f *Form, err error) {
	fields := errs.FieldsOf(err)
	if len(fields) == 0 {
		f.Errors["title"] = sentence(errs.MessageOf(err))
	}
	for k, m := range fields {
		f.Errors[k] = sentence(m)
	}
}

func (s *Server) taskCreate(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	locked, ok := s.lockedContact(w, r, f.Get("locked_contact"))
	if !ok {
		return
	}
	in := activity.TaskInput{Title: f.Get("title"), Description: f.Get("description"), DueDate: f.Get("due_date"),
		DueTime: f.Get("due_time"), Priority: f.Get("priority")}
	bad := errs.Collector{}
	in.AssigneeID = formID(bad, f, "assignee_id", "choose who does the task")
	in.ContactID = formID(bad, f, "contact_id", "type the contact's number, or leave it empty")
	if locked != nil {
		in.ContactID = locked.ID
	}
	v, loc := taskUser(r)
	var id int64
	err := bad.Err()
	if err == nil {
		id, err = s.Activity.AddTask(r.Context(), v, loc, in)
	}
	if err != nil {
		if !errs.Is(err, errs.Invalid) {
			s.fail(w, r, err)
			return
		}
		taskFormErrors(f, err)
		s.taskForm(w, r, http.StatusUnprocessableEntity, nil, locked, f)
		return
	}
	s.setFlash(w, "success", "Task created.")
	if locked != nil {
		http.Redirect(w, r, recordURL(locked.ID), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, activity.TaskURL(id), http.StatusSeeOther)
}

// formID reads an optional id field (0 when empty).
func formID(bad errs.Collector, f *Form, name, msg string) int64 {
	raw := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(f.Get(name)), "#"))
	if raw == "" {
		return 0
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		bad.Add(name, msg)
	}
	return id
}

// loadTask reads the request's task; a missing or invisible one is a 404.
func (s *Server) loadTask(w http.ResponseWriter, r *http.Request) (*activity.Task, bool) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return nil, false
	}
	v, _ := taskUser(r)
	t, err := s.Activity.Task(r.Context(), v, id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return t, true
}

type taskPageData struct {
	T         *activity.Task
	Loc       *time.Location
	Status    string
	CanWrite  bool
	CanDelete bool
}

func (s *Server) taskPage(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTask(w, r)
	if !ok {
		return
	}
	v, loc := taskUser(r)
	d := taskPageData{T: t, Loc: loc, Status: t.Status(loc, time.Now()), CanWrite: !v.ReadOnly,
		CanDelete: !v.ReadOnly && (v.Admin || v.UserID == t.CreatedByID || v.UserID == t.AssigneeID)}
	s.render(w, r, http.StatusOK, "app/task", &Page{Title: t.Title, Data: d})
}

// taskValues are the form values of t as the user in loc edits them.
func taskValues(t *activity.Task, loc *time.Location) url.Values {
	vals := url.Values{"title": {t.Title}, "description": {t.Description}, "due_date": {t.DueDate(loc)}, "due_time": {t.DueTime(loc)},
		"assignee_id": {strconv.FormatInt(t.AssigneeID, 10)}, "priority": {t.Priority}, "version": {strconv.Itoa(t.Version)}}
	if t.ContactID != 0 {
		vals.Set("contact_id", strconv.FormatInt(t.ContactID, 10))
	}
	return vals
}

func (s *Server) taskEditForm(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTask(w, r)
	if !ok {
		return
	}
	_, loc := taskUser(r)
	s.taskForm(w, r, http.StatusOK, t, nil, &Form{Values: taskValues(t, loc), Errors: map[string]string{}})
}

func (s *Server) taskUpdate(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTask(w, r)
	if !ok {
		return
	}
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	g := f.Get
	title, desc, prio := g("title"), g("description"), g("priority")
	e := activity.TaskEdit{Title: &title, Description: &desc, Priority: &prio, Due: &activity.TaskDue{Date: g("due_date"), Time: g("due_time")}}
	bad := errs.Collector{}
	who := formID(bad, f, "assignee_id", "choose who does the task")
	if who == 0 {
		bad.Add("assignee_id", "choose who does the task")
	}
	e.AssigneeID = &who
	if !t.ContactHidden {
		c := formID(bad, f, "contact_id", "type the contact's number, or leave it empty")
		e.ContactID = &c
	}
	e.Version, _ = strconv.Atoi(g("version"))
	v, loc := taskUser(r)
	err := bad.Err()
	if err == nil {
		err = s.Activity.EditTask(r.Context(), v, loc, t.ID, e)
	}
	if err != nil {
		if !errs.Is(err, errs.Invalid) && !errs.Is(err, errs.Conflict) {
			s.fail(w, r, err)
			return
		}
		if errs.Is(err, errs.Conflict) {
			// Show the task as it is now, with the user's text kept.
			if now, lerr := s.Activity.Task(r.Context(), v, t.ID); lerr == nil {
				t = now
				f.Values.Set("version", strconv.Itoa(now.Version))
			}
			f.Errors["version"] = errs.MessageOf(err)
		} else {
			taskFormErrors(f, err)
		}
		status := http.StatusUnprocessableEntity
		if errs.Is(err, errs.Conflict) {
			status = http.StatusConflict
		}
		s.taskForm(w, r, status, t, nil, f)
		return
	}
	s.setFlash(w, "success", "Task saved.")
	http.Redirect(w, r, t.URL(), http.StatusSeeOther)
}

// taskDone marks the task done (done=1) or open again (done=0).
func (s *Server) taskDone(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	action, msg := activity.BulkComplete, "Task marked done."
	if f.Get("done") == "0" {
		action, msg = activity.BulkReopen, "Task reopened."
	}
	v, _ := taskUser(r)
	if _, err := s.Activity.BulkTasks(r.Context(), v, []int64{id}, action, 0); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", msg)
	back := safeNext(f.Get("return"))
	if !strings.HasPrefix(back, "/tasks") && !strings.HasPrefix(back, "/contacts/") {
		back = activity.TaskURL(id)
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
}

func (s *Server) taskDeleteForm(w http.ResponseWriter, r *http.Request) {
	t, ok := s.loadTask(w, r)
	if !ok {
		return
	}
	_, loc := taskUser(r)
	s.render(w, r, http.StatusOK, "app/task_delete", &Page{Title: "Delete " + t.Title, Form: &Form{}, Data: taskPageData{T: t, Loc: loc}})
}

func (s *Server) taskDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	v, _ := taskUser(r)
	if err := s.Activity.DeleteTask(r.Context(), v, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "The task has been deleted.")
	http.Redirect(w, r, "/tasks", http.StatusSeeOther)
}
