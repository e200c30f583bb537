package api

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/errs"
)

// noteRoutes are a contact's notes and its timeline.
func (x *API) noteRoutes() {
	const (
		bad      = http.StatusBadRequest
		notFound = http.StatusNotFound
		invalid  = http.StatusUnprocessableEntity
	)
	tags := []string{"Notes and timeline"}
	list := huma.Operation{OperationID: "list-contact-notes", Method: http.MethodGet, Path: "/contacts/{id}/notes",
		Summary: "List a contact's notes", Description: "Pinned notes first, then the others, newest first in each part.",
		Tags: tags, Errors: []int{bad, notFound}}
	x.problemResponses(&list, http.StatusMovedPermanently)
	register(x, list, auth.PermContactsRead, x.listNotes)
	register(x, huma.Operation{OperationID: "create-contact-note", Method: http.MethodPost, Path: "/contacts/{id}/notes",
		Summary: "Add a note to a contact",
		Description: fmt.Sprintf("body is Markdown (at most %d characters); it is shown as sanitised HTML (body_html): "+
			"raw HTML, scripts and javascript: links come out inert. A pinned note is shown above the timeline.", activity.MaxNote),
		Tags: tags, DefaultStatus: http.StatusCreated, Errors: []int{bad, notFound, invalid}}, auth.PermWrite, x.createNote)
	register(x, huma.Operation{OperationID: "get-contact-note", Method: http.MethodGet, Path: "/contacts/{id}/notes/{note}",
		Summary: "Get a note", Tags: tags, Errors: []int{bad, notFound}}, auth.PermContactsRead, x.getNote)
	register(x, huma.Operation{OperationID: "update-contact-note", Method: http.MethodPatch, Path: "/contacts/{id}/notes/{note}",
		Summary: "Change a note's text or pin it",
		Description: "Send the version you read: when the note changed since, 409. Only the note's author or an admin may change " +
			"its text (403); anyone who may change the contact may pin or unpin it. Every change is in the activity log with the old text.",
		Tags: tags, Errors: []int{bad, notFound, http.StatusForbidden, http.StatusConflict, invalid}}, auth.PermWrite, x.updateNote)
	register(x, huma.Operation{OperationID: "delete-contact-note", Method: http.MethodDelete, Path: "/contacts/{id}/notes/{note}",
		Summary: "Delete a note", Description: "Its author or an admin may. The activity log keeps its text.",
		Tags: tags, DefaultStatus: http.StatusNoContent, Errors: []int{bad, notFound, http.StatusForbidden}}, auth.PermWrite, x.deleteNote)

	tl := huma.Operation{OperationID: "get-contact-timeline", Method: http.MethodGet, Path: "/contacts/{id}/timeline",
		Summary: "A contact's timeline",
		Description: "Notes, tasks, events, emails, tickets and stage changes, newest first, a page at a time; kind keeps one kind. " +
			"Pinned notes are not in it (see the notes list). Each item has the id of its note, task, event, email, ticket or stage change in ref_id.",
		Tags: tags, Errors: []int{bad, notFound}}
	x.problemResponses(&tl, http.StatusMovedPermanently)
	register(x, tl, auth.PermContactsRead, x.contactTimeline)
}

// Note is a note on a contact.
type Note struct {
	ID        int64     `json:"id"`
	ContactID int64     `json:"contact_id"`
	Body      string    `json:"body" doc:"Markdown as written"`
	BodyHTML  string    `json:"body_html" doc:"body rendered to sanitised HTML"`
	Pinned    bool      `json:"pinned"`
	AuthorID  int64     `json:"author_id" doc:"0 when the author's account is gone"`
	Author    string    `json:"author"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

func noteOut(n activity.Note) Note {
	return Note{ID: n.ID, ContactID: n.ContactID, Body: n.Body, BodyHTML: string(n.HTML), Pinned: n.Pinned, AuthorID: n.AuthorID,
		Author: n.Author, Version: n.Version, CreatedAt: n.CreatedAt, UpdatedAt: n.UpdatedAt}
}

type noteListInput struct {
	ID     int64  `path:"id" doc:"Contact id"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

type noteListOutput struct {
	Body struct {
		Items      []Note `json:"items"`
		NextCursor string `json:"next_cursor" doc:"Empty on the last page"`
	}
}

func (x *API) listNotes(ctx context.Context, in *noteListInput) (*noteListOutput, error) {
	ns, next, err := x.Activity.Notes(ctx, viewer(ctx), in.ID, in.Cursor, in.Limit)
	if err != nil {
		return nil, x.readProblem(ctx, err, "/notes")
	}
	out := &noteListOutput{}
	out.Body.Items, out.Body.NextCursor = listOf(ns, noteOut), next
	return out, nil
}

type noteInput struct {
	ID   int64 `path:"id" doc:"Contact id"`
	Body struct {
		Body   string `json:"body" doc:"Markdown"`
		Pinned bool   `json:"pinned,omitempty"`
	}
}

type noteOutput struct {
	Location string `header:"Location" doc:"The note's URL"`
	Body     Note
}

func (x *API) noteReply(ctx context.Context, contactID, id int64) (*noteOutput, error) {
	n, err := x.Activity.Note(ctx, viewer(ctx), id)
	if err == nil && n.ContactID != contactID {
		err = errs.E(errs.NotFound, "No such note on this contact.")
	}
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return &noteOutput{Location: fmt.Sprintf("%s/contacts/%d/notes/%d", Prefix, contactID, id), Body: noteOut(*n)}, nil
}

func (x *API) createNote(ctx context.Context, in *noteInput) (*noteOutput, error) {
	id, err := x.Activity.AddNote(ctx, viewer(ctx), in.ID, in.Body.Body, in.Body.Pinned)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return x.noteReply(ctx, in.ID, id)
}

type noteIDInput struct {
	ID     int64 `path:"id" doc:"Contact id"`
	NoteID int64 `path:"note" doc:"Note id"`
}

func (x *API) getNote(ctx context.Context, in *noteIDInput) (*noteOutput, error) {
	return x.noteReply(ctx, in.ID, in.NoteID)
}

type updateNoteInput struct {
	ID     int64 `path:"id" doc:"Contact id"`
	NoteID int64 `path:"note" doc:"Note id"`
	Body   struct {
		Body    *string `json:"body,omitempty" doc:"New Markdown text"`
		Pinned  *bool   `json:"pinned,omitempty"`
		Version int     `json:"version" minimum:"1" doc:"The version you read"`
	}
}

func (x *API) updateNote(ctx context.Context, in *updateNoteInput) (*noteOutput, error) {
	if _, err := x.noteReply(ctx, in.ID, in.NoteID); err != nil {
		return nil, err
	}
	err := x.Activity.EditNote(ctx, viewer(ctx), in.NoteID, activity.NoteEdit{Body: in.Body.Body, Pinned: in.Body.Pinned, Version: in.Body.Version})
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return x.noteReply(ctx, in.ID, in.NoteID)
}

func (x *API) deleteNote(ctx context.Context, in *noteIDInput) (*struct{}, error) {
	if _, err := x.noteReply(ctx, in.ID, in.NoteID); err != nil {
		return nil, err
	}
	if err := x.Activity.DeleteNote(ctx, viewer(ctx), in.NoteID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}

// TimelineItem is one entry of a contact's timeline.
type TimelineItem struct {
	ID       int64     `json:"id"`
	Kind     string    `json:"kind" enum:"note,task,event,email,ticket,stage"`
	RefID    int64     `json:"ref_id" doc:"The id of the note, task, event, email, ticket or stage change"`
	At       time.Time `json:"at"`
	Actor    string    `json:"actor" doc:"Who did it; empty for Folio itself"`
	Title    string    `json:"title"`
	Detail   string    `json:"detail" doc:"A line of plain text: when, who, where"`
	BodyHTML string    `json:"body_html" doc:"Sanitised HTML, may be empty"`
	Status   string    `json:"status" doc:"e.g. done, queued, sent, open; empty when the kind has none"`
	Note     *Note     `json:"note,omitempty" doc:"The note, when kind is note"`
}

type timelineInput struct {
	ID     int64  `path:"id" doc:"Contact id"`
	Kind   string `query:"kind" enum:"note,task,event,email,ticket,stage" doc:"Only items of this kind"`
	Cursor string `query:"cursor" doc:"next_cursor of the previous page"`
	Limit  int    `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

type timelineOutput struct {
	Body struct {
		Items      []TimelineItem `json:"items"`
		NextCursor string         `json:"next_cursor" doc:"Empty on the last page"`
	}
}

func (x *API) contactTimeline(ctx context.Context, in *timelineInput) (*timelineOutput, error) {
	p, err := x.Activity.Timeline(ctx, viewer(ctx), in.ID, activity.TimelineQuery{Kind: in.Kind, Cursor: in.Cursor, Limit: in.Limit})
	if err != nil {
		return nil, x.readProblem(ctx, err, "/timeline")
	}
	out := &timelineOutput{}
	out.Body.NextCursor = p.NextCursor
	out.Body.Items = listOf(p.Items, func(it activity.Item) TimelineItem {
		t := TimelineItem{ID: it.ID, Kind: it.Kind, RefID: it.Ref, At: it.At, Actor: it.Actor}
		if it.Note != nil {
			n := noteOut(*it.Note)
			t.Note, t.Title, t.BodyHTML = &n, "Note", n.BodyHTML
		}
		if e := it.Entry; e != nil {
			t.Title, t.Detail, t.BodyHTML, t.Status = e.Title, e.Detail, string(e.Body), e.Status
		}
		return t
	})
	return out, nil
}
