package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/ticket"
)

// ticketRoutes are tickets about contacts and their comments: reads need
// contacts.read (which tickets, the domain decides by their contact),
// changes records.write; deleting a ticket or a comment is for admins and
// editing a comment for its author, both checked by the domain.
func (x *API) ticketRoutes() {
	const (
		bad      = http.StatusBadRequest
		notFound = http.StatusNotFound
		invalid  = http.StatusUnprocessableEntity
		conflict = http.StatusConflict
	)
	tags := []string{"Tickets"}
	read, write := auth.PermContactsRead, auth.PermWrite
	register(x, huma.Operation{OperationID: "list-tickets", Method: http.MethodGet, Path: "/tickets", Summary: "List and search tickets",
		Description: "Tickets about the contacts you may see. q finds words in the title, description and comments; sort by " +
			"id, title, contact, status, priority, assignee, comments, created or updated, with - in front for descending (default -updated).",
		Tags: tags, Errors: []int{bad}}, read, x.listTickets)
	register(x, huma.Operation{OperationID: "create-ticket", Method: http.MethodPost, Path: "/tickets", Summary: "Open a ticket about a contact",
		Description: "It goes on the contact's timeline. An assignee other than you is emailed.",
		Tags:        tags, DefaultStatus: http.StatusCreated, Errors: []int{invalid}}, write, x.createTicket)
	register(x, huma.Operation{OperationID: "get-ticket", Method: http.MethodGet, Path: "/tickets/{id}", Summary: "Get a ticket",
		Tags: tags, Errors: []int{bad, notFound}}, read, x.getTicket)
	register(x, huma.Operation{OperationID: "update-ticket", Method: http.MethodPatch, Path: "/tickets/{id}", Summary: "Change a ticket",
		Description: "Members left out stay as they are; assignee_id 0 unassigns. version is the version your change is based on: " +
			"when the ticket changed since, 409. Closing sets closed_at, reopening clears it. A new assignee other than you is emailed.",
		Tags: tags, Errors: []int{bad, notFound, invalid, conflict}}, write, x.updateTicket)
	register(x, huma.Operation{OperationID: "delete-ticket", Method: http.MethodDelete, Path: "/tickets/{id}", Summary: "Delete a ticket and its comments",
		Description: "Admins only. The activity log keeps the text.", Tags: tags, DefaultStatus: http.StatusNoContent,
		Errors: []int{bad, notFound}}, write, x.deleteTicket)
	register(x, huma.Operation{OperationID: "list-ticket-comments", Method: http.MethodGet, Path: "/tickets/{id}/comments",
		Summary: "List a ticket's comments", Description: "Oldest first, all of them.", Tags: tags, Errors: []int{bad, notFound}}, read, x.listTicketComments)
	register(x, huma.Operation{OperationID: "create-ticket-comment", Method: http.MethodPost, Path: "/tickets/{id}/comments",
		Summary: "Comment on a ticket", Description: "Markdown. The assignee is emailed unless the comment is theirs.",
		Tags: tags, DefaultStatus: http.StatusCreated, Errors: []int{bad, notFound, invalid}}, write, x.createTicketComment)
	register(x, huma.Operation{OperationID: "update-ticket-comment", Method: http.MethodPatch, Path: "/tickets/{id}/comments/{cid}",
		Summary: "Change your comment", Description: "Only the comment's author may. When it changed since version, 409.",
		Tags: tags, Errors: []int{bad, notFound, invalid, conflict}}, write, x.updateTicketComment)
	register(x, huma.Operation{OperationID: "delete-ticket-comment", Method: http.MethodDelete, Path: "/tickets/{id}/comments/{cid}",
		Summary: "Delete a comment", Description: "Admins only. The activity log keeps the text.", Tags: tags, DefaultStatus: http.StatusNoContent,
		Errors: []int{bad, notFound}}, write, x.deleteTicketComment)
	register(x, huma.Operation{OperationID: "report-ticket-comments", Method: http.MethodGet, Path: "/ticket-comments",
		Summary: "All comments on tickets", Description: "Newest first, on the tickets you may see; q finds words in the comments.",
		Tags: tags, Errors: []int{bad}}, read, x.reportTicketComments)
	register(x, huma.Operation{OperationID: "list-contact-tickets", Method: http.MethodGet, Path: "/contacts/{id}/tickets",
		Summary: "List a contact's tickets", Description: "As list-tickets, for one contact.", Tags: tags, Errors: []int{bad, notFound}},
		read, x.listContactTickets)
}

// Ticket is a ticket about a contact.
type Ticket struct {
	ID              int64      `json:"id"`
	ContactID       int64      `json:"contact_id"`
	ContactName     string     `json:"contact_name"`
	Title           string     `json:"title"`
	Description     string     `json:"description" doc:"Markdown as written"`
	DescriptionHTML string     `json:"description_html" doc:"The description rendered and sanitised"`
	Priority        string     `json:"priority" enum:"low,normal,high,urgent"`
	Status          string     `json:"status" enum:"open,in_progress,on_hold,closed"`
	AssigneeID      int64      `json:"assignee_id" doc:"0 when nobody is assigned"`
	Assignee        string     `json:"assignee"`
	CreatedByID     int64      `json:"created_by_id"`
	CreatedBy       string     `json:"created_by"`
	CommentCount    int        `json:"comment_count"`
	ClosedAt        *time.Time `json:"closed_at,omitempty"`
	Version         int        `json:"version" doc:"Send it back with a change"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

func ticketOut(t ticket.Ticket) Ticket {
	return Ticket{ID: t.ID, ContactID: t.ContactID, ContactName: t.ContactName, Title: t.Title, Description: t.Description,
		DescriptionHTML: string(t.DescriptionHTML), Priority: t.Priority, Status: t.Status, AssigneeID: t.AssigneeID, Assignee: t.Assignee,
		CreatedByID: t.CreatedByID, CreatedBy: t.CreatedBy, CommentCount: t.Comments, ClosedAt: t.ClosedAt, Version: t.Version,
		CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt}
}

// TicketComment is a comment on a ticket.
type TicketComment struct {
	ID          int64     `json:"id"`
	TicketID    int64     `json:"ticket_id"`
	TicketTitle string    `json:"ticket_title"`
	ContactID   int64     `json:"contact_id"`
	ContactName string    `json:"contact_name"`
	Body        string    `json:"body" doc:"Markdown as written"`
	BodyHTML    string    `json:"body_html" doc:"The body rendered and sanitised"`
	AuthorID    int64     `json:"author_id"`
	Author      string    `json:"author"`
	Edited      bool      `json:"edited"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

func ticketCommentOut(c ticket.Comment) TicketComment {
	return TicketComment{ID: c.ID, TicketID: c.TicketID, TicketTitle: c.TicketTitle, ContactID: c.ContactID, ContactName: c.ContactName,
		Body: c.Body, BodyHTML: string(c.HTML), AuthorID: c.AuthorID, Author: c.Author, Edited: c.Edited(), Version: c.Version,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt}
}

type ticketListInput struct {
	Q         string `query:"q" maxLength:"200" doc:"Words found in the title, description or comments"`
	Status    string `query:"status" enum:"open,in_progress,on_hold,closed,active" doc:"active: every status but closed"`
	Priority  string `query:"priority" enum:"low,normal,high,urgent"`
	Assignee  string `query:"assignee" doc:"A user id, me or none"`
	ContactID int64  `query:"contact_id" minimum:"1"`
	Sort      string `query:"sort" doc:"A column (id, title, contact, status, priority, assignee, comments, created, updated), - in front for descending"`
	Cursor    string `query:"cursor" doc:"next_cursor of the previous page"`
	Limit     int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

type ticketListOutput struct {
	Body struct {
		Items      []Ticket `json:"items"`
		NextCursor string   `json:"next_cursor"`
	}
}

func (in ticketListInput) query() ticket.Query {
	return ticket.Query{Q: in.Q, Status: in.Status, Priority: in.Priority, Assignee: in.Assignee, ContactID: in.ContactID,
		Sort: in.Sort, Cursor: in.Cursor, Limit: in.Limit}
}

func (x *API) ticketPage(ctx context.Context, p ticket.Page, err error) (*ticketListOutput, error) {
	if err != nil {
		return nil, x.problemAt(ctx, err, inQuery)
	}
	out := &ticketListOutput{}
	out.Body.Items = listOf(p.Items, ticketOut)
	out.Body.NextCursor = p.NextCursor
	return out, nil
}

func (x *API) listTickets(ctx context.Context, in *ticketListInput) (*ticketListOutput, error) {
	p, err := x.Tickets.List(ctx, viewer(ctx), in.query())
	return x.ticketPage(ctx, p, err)
}

type contactTicketsInput struct {
	ID       int64  `path:"id" doc:"Contact id"`
	Q        string `query:"q" maxLength:"200" doc:"Words found in the title, description or comments"`
	Status   string `query:"status" enum:"open,in_progress,on_hold,closed,active" doc:"active: every status but closed"`
	Priority string `query:"priority" enum:"low,normal,high,urgent"`
	Assignee string `query:"assignee" doc:"A user id, me or none"`
	Sort     string `query:"sort" doc:"A column, - in front for descending"`
	Cursor   string `query:"cursor" doc:"next_cursor of the previous page"`
	Limit    int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

func (x *API) listContactTickets(ctx context.Context, in *contactTicketsInput) (*ticketListOutput, error) {
	p, err := x.Tickets.ContactTickets(ctx, viewer(ctx), in.ID, ticket.Query{Q: in.Q, Status: in.Status, Priority: in.Priority,
		Assignee: in.Assignee, Sort: in.Sort, Cursor: in.Cursor, Limit: in.Limit})
	return x.ticketPage(ctx, p, err)
}

type ticketOutput struct{ Body Ticket }

func (x *API) ticketAnswer(ctx context.Context, id int64) (*ticketOutput, error) {
	t, err := x.Tickets.Get(ctx, viewer(ctx), id)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return &ticketOutput{Body: ticketOut(*t)}, nil
}

type createTicketInput struct {
	Body struct {
		ContactID   int64  `json:"contact_id" minimum:"1"`
		Title       string `json:"title" maxLength:"1000" doc:"One line, at most 200 characters"`
		Description string `json:"description,omitempty" maxLength:"200000" doc:"Markdown"`
		Priority    string `json:"priority,omitempty" enum:"low,normal,high,urgent" doc:"Default normal"`
		Status      string `json:"status,omitempty" enum:"open,in_progress,on_hold,closed" doc:"Default open"`
		AssigneeID  int64  `json:"assignee_id,omitempty" minimum:"0" doc:"An active staff user; 0 or left out for nobody"`
	}
}

func (x *API) createTicket(ctx context.Context, in *createTicketInput) (*ticketOutput, error) {
	b := in.Body
	id, err := x.Tickets.Create(ctx, viewer(ctx), ticket.Input{ContactID: b.ContactID, Title: b.Title, Description: b.Description,
		Priority: b.Priority, Status: b.Status, AssigneeID: b.AssigneeID})
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return x.ticketAnswer(ctx, id)
}

func (x *API) getTicket(ctx context.Context, in *idInput) (*ticketOutput, error) {
	return x.ticketAnswer(ctx, in.ID)
}

type updateTicketInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Version     int     `json:"version" minimum:"1" doc:"The version your change is based on"`
		ContactID   *int64  `json:"contact_id,omitempty" minimum:"1" doc:"Moves the ticket to another contact's timeline"`
		Title       *string `json:"title,omitempty" maxLength:"1000"`
		Description *string `json:"description,omitempty" maxLength:"200000"`
		Priority    *string `json:"priority,omitempty" enum:"low,normal,high,urgent"`
		Status      *string `json:"status,omitempty" enum:"open,in_progress,on_hold,closed"`
		AssigneeID  *int64  `json:"assignee_id,omitempty" minimum:"0" doc:"0 unassigns"`
	}
}

func (x *API) updateTicket(ctx context.Context, in *updateTicketInput) (*ticketOutput, error) {
	b := in.Body
	err := x.Tickets.Update(ctx, viewer(ctx), in.ID, ticket.Edit{ContactID: b.ContactID, Title: b.Title, Description: b.Description,
		Priority: b.Priority, Status: b.Status, AssigneeID: b.AssigneeID, Version: b.Version})
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return x.ticketAnswer(ctx, in.ID)
}

func (x *API) deleteTicket(ctx context.Context, in *idInput) (*struct{}, error) {
	if err := x.Tickets.Delete(ctx, viewer(ctx), in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}

type ticketCommentListOutput struct {
	Body struct {
		Items      []TicketComment `json:"items"`
		NextCursor string          `json:"next_cursor"`
	}
}

func (x *API) listTicketComments(ctx context.Context, in *idInput) (*ticketCommentListOutput, error) {
	cs, err := x.Tickets.Comments(ctx, viewer(ctx), in.ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &ticketCommentListOutput{}
	out.Body.Items = listOf(cs, ticketCommentOut)
	return out, nil
}

type ticketCommentOutput struct{ Body TicketComment }

type createTicketCommentInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Body string `json:"body" maxLength:"100000" doc:"Markdown"`
	}
}

func (x *API) commentAnswer(ctx context.Context, id int64) (*ticketCommentOutput, error) {
	c, err := x.Tickets.Comment(ctx, viewer(ctx), id)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return &ticketCommentOutput{Body: ticketCommentOut(*c)}, nil
}

func (x *API) createTicketComment(ctx context.Context, in *createTicketCommentInput) (*ticketCommentOutput, error) {
	id, err := x.Tickets.AddComment(ctx, viewer(ctx), in.ID, in.Body.Body)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return x.commentAnswer(ctx, id)
}

type ticketCommentIDInput struct {
	ID  int64 `path:"id"`
	CID int64 `path:"cid"`
}

// ticketComment checks that comment cid is on ticket id.
func (x *API) ticketComment(ctx context.Context, id, cid int64) error {
	c, err := x.Tickets.Comment(ctx, viewer(ctx), cid)
	if err != nil {
		return x.problem(ctx, err)
	}
	if c.TicketID != id {
		return huma.Error404NotFound("No such comment on this ticket.")
	}
	return nil
}

type updateTicketCommentInput struct {
	ID   int64 `path:"id"`
	CID  int64 `path:"cid"`
	Body struct {
		Body    string `json:"body" maxLength:"100000" doc:"Markdown"`
		Version int    `json:"version" minimum:"1" doc:"The version your change is based on"`
	}
}

func (x *API) updateTicketComment(ctx context.Context, in *updateTicketCommentInput) (*ticketCommentOutput, error) {
	if err := x.ticketComment(ctx, in.ID, in.CID); err != nil {
		return nil, err
	}
	if err := x.Tickets.EditComment(ctx, viewer(ctx), in.CID, in.Body.Body, in.Body.Version); err != nil {
		return nil, x.problem(ctx, err)
	}
	return x.commentAnswer(ctx, in.CID)
}

func (x *API) deleteTicketComment(ctx context.Context, in *ticketCommentIDInput) (*struct{}, error) {
	if err := x.ticketComment(ctx, in.ID, in.CID); err != nil {
		return nil, err
	}
	if err := x.Tickets.DeleteComment(ctx, viewer(ctx), in.CID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}

type ticketCommentReportInput struct {
	Q      string `query:"q" maxLength:"200" doc:"Words found in the comments"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

func (x *API) reportTicketComments(ctx context.Context, in *ticketCommentReportInput) (*ticketCommentListOutput, error) {
	p, err := x.Tickets.CommentReport(ctx, viewer(ctx), ticket.CommentQuery{Q: in.Q, Cursor: in.Cursor, Limit: in.Limit})
	if err != nil {
		return nil, x.problemAt(ctx, err, inQuery)
	}
	out := &ticketCommentListOutput{}
	out.Body.Items = listOf(p.Items, ticketCommentOut)
	out.Body.NextCursor = p.NextCursor
	return out, nil
}
