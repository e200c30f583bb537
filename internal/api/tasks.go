package api

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/errs"
)

// taskRoutes are the task operations: reads need contacts.read (which
// tasks, the domain decides: own-only users see the tasks given to or
// created by them and those about their contacts), changes records.write.
func (x *API) taskRoutes() {
	const (
		bad      = http.StatusBadRequest
		notFound = http.StatusNotFound
		invalid  = http.StatusUnprocessableEntity
	)
	tags := []string{"Tasks"}
	dates := " Due dates and times are read and written in your time zone (set on your account page): due_date YYYY-MM-DD and " +
		"the optional due_time HH:MM. due_at is the moment in UTC; a task due on a day without a time keeps that day as midnight UTC."
	register(x, huma.Operation{OperationID: "list-tasks", Method: http.MethodGet, Path: "/tasks", Summary: "List tasks",
		Description: "Tasks you may see, newest first, a page at a time. A task due on a day without a time is overdue once that day " +
			"has passed in your time zone." + dates, Tags: tags, Errors: []int{bad}}, auth.PermContactsRead, x.listTasks)
	register(x, huma.Operation{OperationID: "create-task", Method: http.MethodPost, Path: "/tasks", Summary: "Create a task",
		Description: "The assignee defaults to you; the contact, when given, must be one you may see and change." + dates,
		Tags:        tags, DefaultStatus: http.StatusCreated, Errors: []int{invalid}}, auth.PermWrite, x.createTask)
	register(x, huma.Operation{OperationID: "bulk-tasks", Method: http.MethodPost, Path: "/tasks/bulk", Summary: "Complete, reopen or reassign tasks",
		Description: "All or none: when one of ids is not a task you may see, nothing changes (404). changed counts the tasks that " +
			"changed; those already in the wanted state are left as they are.",
		Tags: tags, Errors: []int{notFound, invalid}}, auth.PermWrite, x.bulkTasks)
	register(x, huma.Operation{OperationID: "get-task", Method: http.MethodGet, Path: "/tasks/{id}", Summary: "Get a task",
		Tags: tags, Errors: []int{notFound}}, auth.PermContactsRead, x.getTask)
	register(x, huma.Operation{OperationID: "update-task", Method: http.MethodPatch, Path: "/tasks/{id}", Summary: "Change a task",
		Description: "Members left out stay as they are. version is the task's version the change is based on: when the task " +
			"changed since, 409. A new due date sends a new reminder when it falls due. due_date \"\" removes the due date; " +
			"contact_id 0 makes the task about no contact; done true or false completes or reopens it." + dates,
		Tags: tags, Errors: []int{notFound, http.StatusConflict, invalid}}, auth.PermWrite, x.updateTask)
	register(x, huma.Operation{OperationID: "delete-task", Method: http.MethodDelete, Path: "/tasks/{id}", Summary: "Delete a task",
		Description: "Its creator, its assignee or an admin may; the activity log keeps what it was.",
		Tags:        tags, DefaultStatus: http.StatusNoContent, Errors: []int{notFound}}, auth.PermWrite, x.deleteTask)
	contactTasks := huma.Operation{OperationID: "list-contact-tasks", Method: http.MethodGet, Path: "/contacts/{id}/tasks",
		Summary: "A contact's tasks", Description: "The tasks about the contact, newest first." + dates,
		Tags: []string{"Contacts", "Tasks"}, Errors: []int{bad, notFound}}
	x.problemResponses(&contactTasks, http.StatusMovedPermanently)
	register(x, contactTasks, auth.PermContactsRead, x.listContactTasks)
}

// Task is a task as the API shows it.
type Task struct {
	ID              int64      `json:"id"`
	Title           string     `json:"title"`
	Description     string     `json:"description" doc:"Markdown as written"`
	DescriptionHTML string     `json:"description_html" doc:"The description rendered to sanitised HTML"`
	DueAt           *time.Time `json:"due_at" doc:"UTC; for a task due on a day without a time, midnight UTC of that day; null without a due date"`
	DueHasTime      bool       `json:"due_has_time"`
	DueDate         string     `json:"due_date" doc:"YYYY-MM-DD in time_zone; empty without a due date"`
	DueTime         string     `json:"due_time" doc:"HH:MM in time_zone; empty for a task due on a day"`
	TimeZone        string     `json:"time_zone" doc:"Your time zone, which due_date, due_time and status are in"`
	Status          string     `json:"status" enum:"open,overdue,done"`
	AssigneeID      int64      `json:"assignee_id"`
	Assignee        string     `json:"assignee"`
	Priority        string     `json:"priority" enum:"low,normal,high"`
	ContactID       int64      `json:"contact_id" doc:"0 for none, or when it is a contact you may not see (contact_hidden)"`
	ContactName     string     `json:"contact_name"`
	ContactHidden   bool       `json:"contact_hidden" doc:"The task is about a contact you may not see"`
	DoneAt          *time.Time `json:"done_at"`
	DoneByID        int64      `json:"done_by_id"`
	DoneBy          string     `json:"done_by"`
	RemindedAt      *time.Time `json:"reminded_at" doc:"When the assignee was emailed that the task fell due"`
	CreatedByID     int64      `json:"created_by_id"`
	CreatedBy       string     `json:"created_by"`
	Version         int        `json:"version"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

func taskOut(t *activity.Task, loc *time.Location, now time.Time) Task {
	return Task{ID: t.ID, Title: t.Title, Description: t.Description, DescriptionHTML: string(t.HTML), DueAt: t.DueAt,
		DueHasTime: t.DueHasTime, DueDate: t.DueDate(loc), DueTime: t.DueTime(loc), TimeZone: loc.String(), Status: t.Status(loc, now),
		AssigneeID: t.AssigneeID, Assignee: t.Assignee, Priority: t.Priority, ContactID: t.ContactID, ContactName: t.ContactName,
		ContactHidden: t.ContactHidden, DoneAt: t.DoneAt, DoneByID: t.DoneByID, DoneBy: t.DoneBy, RemindedAt: t.RemindedAt,
		CreatedByID: t.CreatedByID, CreatedBy: t.CreatedBy, Version: t.Version, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

func tasksOut(ctx context.Context, ts []activity.Task) []Task {
	loc, now := userFrom(ctx).Location(), time.Now()
	out := make([]Task, 0, len(ts))
	for i := range ts {
		out = append(out, taskOut(&ts[i], loc, now))
	}
	return out
}

type taskList struct {
	Items      []Task `json:"items"`
	NextCursor string `json:"next_cursor" doc:"Pass as cursor for the next page; empty on the last page"`
}

type taskListOutput struct{ Body taskList }

type taskListInput struct {
	Assignee  string `query:"assignee" maxLength:"20" doc:"me, or a user's id; leave out for anyone's (own-only users see their own and their contacts' tasks)"`
	Status    string `query:"status" enum:"open,done,overdue" doc:"Leave out for any"`
	ContactID int64  `query:"contact_id" minimum:"0" doc:"Only the tasks about this contact"`
	Cursor    string `query:"cursor" maxLength:"30" doc:"next_cursor of the previous page"`
	Limit     int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

func (x *API) listTasks(ctx context.Context, in *taskListInput) (*taskListOutput, error) {
	q := activity.TaskQuery{Status: in.Status, ContactID: in.ContactID, Cursor: in.Cursor, Limit: in.Limit}
	switch in.Assignee {
	case "":
	case "me":
		q.AssigneeID = userFrom(ctx).ID
	default:
		id, err := strconv.ParseInt(in.Assignee, 10, 64)
		if err != nil || id <= 0 {
			return nil, inQuery.invalid(errs.FieldErrors(map[string]string{"assignee": "me, or a user's id"}))
		}
		q.AssigneeID = id
	}
	return x.tasks(ctx, q, "")
}

// tasks answers a list; sub names the contact's sub resource when the list
// is a contact's.
func (x *API) tasks(ctx context.Context, q activity.TaskQuery, sub string) (*taskListOutput, error) {
	u := userFrom(ctx)
	page, err := x.Activity.Tasks(ctx, viewer(ctx), u.Location(), time.Now(), q)
	if err != nil {
		if errs.Is(err, errs.Invalid) {
			return nil, x.problemAt(ctx, err, inQuery)
		}
		if sub != "" {
			return nil, x.readProblem(ctx, err, sub)
		}
		return nil, x.problemAt(ctx, err, inQuery)
	}
	return &taskListOutput{Body: taskList{Items: tasksOut(ctx, page.Items), NextCursor: page.NextCursor}}, nil
}

type contactTasksInput struct {
	ID     int64  `path:"id" doc:"Contact id"`
	Status string `query:"status" enum:"open,done,overdue" doc:"Leave out for any"`
	Cursor string `query:"cursor" maxLength:"30" doc:"next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

func (x *API) listContactTasks(ctx context.Context, in *contactTasksInput) (*taskListOutput, error) {
	return x.tasks(ctx, activity.TaskQuery{ContactID: in.ID, Status: in.Status, Cursor: in.Cursor, Limit: in.Limit}, "/tasks")
}

type taskIDInput struct {
	ID int64 `path:"id" doc:"Task id"`
}

type taskOutput struct{ Body Task }

func (x *API) task(ctx context.Context, id int64) (*taskOutput, error) {
	t, err := x.Activity.Task(ctx, viewer(ctx), id)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return &taskOutput{Body: taskOut(t, userFrom(ctx).Location(), time.Now())}, nil
}

func (x *API) getTask(ctx context.Context, in *taskIDInput) (*taskOutput, error) {
	return x.task(ctx, in.ID)
}

type createTaskInput struct {
	Body struct {
		Title       string `json:"title" maxLength:"1000" doc:"One line, at most 200 characters"`
		Description string `json:"description,omitempty" maxLength:"60000" doc:"Markdown, at most 10,000 characters"`
		DueDate     string `json:"due_date,omitempty" maxLength:"10" doc:"YYYY-MM-DD in your time zone"`
		DueTime     string `json:"due_time,omitempty" maxLength:"5" doc:"HH:MM in your time zone; needs due_date"`
		AssigneeID  int64  `json:"assignee_id,omitempty" minimum:"0" doc:"An active staff user; you when left out"`
		Priority    string `json:"priority,omitempty" enum:"low,normal,high" doc:"normal when left out"`
		ContactID   int64  `json:"contact_id,omitempty" minimum:"0" doc:"The contact the task is about"`
	}
}

type createdTaskOutput struct {
	Location string `header:"Location" doc:"The new task's URL"`
	Body     Task
}

func (x *API) createTask(ctx context.Context, in *createTaskInput) (*createdTaskOutput, error) {
	b := in.Body
	u := userFrom(ctx)
	id, err := x.Activity.AddTask(ctx, viewer(ctx), u.Location(), activity.TaskInput{Title: b.Title, Description: b.Description,
		DueDate: b.DueDate, DueTime: b.DueTime, AssigneeID: b.AssigneeID, Priority: b.Priority, ContactID: b.ContactID})
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out, err := x.task(ctx, id)
	if err != nil {
		return nil, err
	}
	return &createdTaskOutput{Location: fmt.Sprintf("%s/tasks/%d", Prefix, id), Body: out.Body}, nil
}

type updateTaskInput struct {
	ID   int64 `path:"id" doc:"Task id"`
	Body struct {
		Title       *string `json:"title,omitempty" maxLength:"1000"`
		Description *string `json:"description,omitempty" maxLength:"60000"`
		DueDate     *string `json:"due_date,omitempty" maxLength:"10" doc:"YYYY-MM-DD in your time zone; \"\" removes the due date"`
		DueTime     *string `json:"due_time,omitempty" maxLength:"5" doc:"HH:MM in your time zone, sent with due_date; \"\" or left out for a day-only task"`
		AssigneeID  *int64  `json:"assignee_id,omitempty" minimum:"1"`
		Priority    *string `json:"priority,omitempty" enum:"low,normal,high"`
		ContactID   *int64  `json:"contact_id,omitempty" minimum:"0" doc:"0 makes the task about no contact"`
		Done        *bool   `json:"done,omitempty"`
		Version     int     `json:"version" minimum:"1" doc:"The version of the task your change is based on"`
	}
}

func (x *API) updateTask(ctx context.Context, in *updateTaskInput) (*taskOutput, error) {
	b := in.Body
	e := activity.TaskEdit{Title: b.Title, Description: b.Description, AssigneeID: b.AssigneeID, Priority: b.Priority,
		ContactID: b.ContactID, Done: b.Done, Version: b.Version}
	switch {
	case b.DueDate != nil:
		e.Due = &activity.TaskDue{Date: *b.DueDate}
		if b.DueTime != nil {
			e.Due.Time = *b.DueTime
		}
	case b.DueTime != nil:
		return nil, inBody.invalid(errs.FieldErrors(map[string]string{"due_time": "send due_date with due_time"}))
	}
	if err := x.Activity.EditTask(ctx, viewer(ctx), userFrom(ctx).Location(), in.ID, e); err != nil {
		return nil, x.problem(ctx, err)
	}
	return x.task(ctx, in.ID)
}

func (x *API) deleteTask(ctx context.Context, in *taskIDInput) (*struct{}, error) {
	if err := x.Activity.DeleteTask(ctx, viewer(ctx), in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}

type bulkTasksInput struct {
	Body struct {
		IDs        []int64 `json:"ids" minItems:"1" maxItems:"500" doc:"The tasks to change"`
		Action     string  `json:"action" enum:"complete,reopen,reassign"`
		AssigneeID int64   `json:"assignee_id,omitempty" minimum:"0" doc:"Who gets the tasks, for reassign"`
	}
}

type bulkTasksOutput struct {
	Body struct {
		Changed int `json:"changed" doc:"How many tasks changed"`
	}
}

func (x *API) bulkTasks(ctx context.Context, in *bulkTasksInput) (*bulkTasksOutput, error) {
	n, err := x.Activity.BulkTasks(ctx, viewer(ctx), in.Body.IDs, in.Body.Action, in.Body.AssigneeID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &bulkTasksOutput{}
	out.Body.Changed = n
	return out, nil
}
