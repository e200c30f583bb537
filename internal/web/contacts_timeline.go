package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// timelineData is a contact's Timeline tab: the note composer, the pinned
// notes and a page of the timeline, newest first.
type timelineData struct {
	contactHead
	Kind   string
	Kinds  []choice
	Pinned []activity.Note
	Items  []activity.Item
	// Older is the address of the next page, "" on the last one.
	Older string
	// First is false on the pages after the first.
	First   bool
	MaxNote int
}

func timelineURL(id int64, kind, cursor string) string {
	q := url.Values{}
	if kind != "" {
		q.Set("kind", kind)
	}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	u := recordURL(id) + "/timeline"
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

func (s *Server) contactTimeline(w http.ResponseWriter, r *http.Request) {
	c, ok := s.loadContact(w, r)
	if !ok {
		return
	}
	f := &Form{Values: url.Values{}, Errors: map[string]string{}}
	s.renderTimeline(w, r, c, f, http.StatusOK)
}

// renderTimeline shows the Timeline tab with f as the note composer (its
// values and errors kept after a refused note).
func (s *Server) renderTimeline(w http.ResponseWriter, r *http.Request, c *contact.Contact, f *Form, status int) {
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	q := r.URL.Query()
	d := timelineData{contactHead: s.contactHead(r, c, "timeline"), Kind: q.Get("kind"), First: q.Get("cursor") == "",
		MaxNote: activity.MaxNote}
	for _, k := range activity.Kinds {
		d.Kinds = append(d.Kinds, choice{k.Key, k.Label})
	}
	page, err := s.Activity.Timeline(ctx, v, c.ID, activity.TimelineQuery{Kind: d.Kind, Cursor: q.Get("cursor")})
	if errs.Is(err, errs.Invalid) {
		// A stale or hand-made address: show the first page and say why.
		d.Kind, d.First = "", true
		f.Errors["timeline"] = "That address does not name a page of this timeline; here are the newest items."
		page, err = s.Activity.Timeline(ctx, v, c.ID, activity.TimelineQuery{})
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Items = page.Items
	if page.NextCursor != "" {
		d.Older = timelineURL(c.ID, d.Kind, page.NextCursor)
	}
	if d.First && (d.Kind == "" || d.Kind == activity.KindNote) {
		if d.Pinned, err = s.Activity.PinnedNotes(ctx, v, c.ID); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, status, "app/contact_timeline", &Page{Title: "Timeline of " + c.Name(), Form: f, Data: d})
}

func (s *Server) noteAdd(w http.ResponseWriter, r *http.Request) {
	c, f, v, ok := s.postedContact(w, r)
	if !ok {
		return
	}
	_, err := s.Activity.AddNote(r.Context(), v, c.ID, f.Get("body"), f.Get("pinned") == "on")
	if err != nil {
		if f.fail(err, "body") {
			s.renderTimeline(w, r, c, f, http.StatusUnprocessableEntity)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "The note has been added.")
	http.Redirect(w, r, timelineURL(c.ID, "", ""), http.StatusSeeOther)
}

// contactNote reads the contact and the note of the request's {id} and
// {note}; the note must be on that contact.
func (s *Server) contactNote(w http.ResponseWriter, r *http.Request) (*contact.Contact, *activity.Note, bool) {
	c, ok := s.loadContact(w, r)
	if !ok {
		return nil, nil, false
	}
	id, err := strconv.ParseInt(r.PathValue("note"), 10, 64)
	if err != nil || id <= 0 {
		s.renderError(w, r, http.StatusNotFound)
		return nil, nil, false
	}
	n, err := s.Activity.Note(r.Context(), contact.ViewerFor(userFrom(r.Context())), id)
	if err == nil && n.ContactID != c.ID {
		err = errs.E(errs.NotFound, "This note is not on this contact.")
	}
	if err != nil {
		s.fail(w, r, err)
		return nil, nil, false
	}
	return c, n, true
}

// noteFormData is the note edit page.
type noteFormData struct {
	contactHead
	Note    *activity.Note
	CanText bool // the user may change the text (author or admin)
	MaxNote int
}

func (s *Server) noteEditForm(w http.ResponseWriter, r *http.Request) {
	c, n, ok := s.contactNote(w, r)
	if !ok {
		return
	}
	f := &Form{Values: url.Values{"body": {n.Body}, "version": {strconv.Itoa(n.Version)}}, Errors: map[string]string{}}
	if n.Pinned {
		f.Values.Set("pinned", "on")
	}
	s.renderNoteForm(w, r, c, n, f, http.StatusOK)
}

func (s *Server) renderNoteForm(w http.ResponseWriter, r *http.Request, c *contact.Contact, n *activity.Note, f *Form, status int) {
	v := contact.ViewerFor(userFrom(r.Context()))
	d := noteFormData{contactHead: s.contactHead(r, c, ""), Note: n, CanText: n.AuthorID == v.UserID || v.Admin, MaxNote: activity.MaxNote}
	s.render(w, r, status, "app/note_form", &Page{Title: "Edit note", Form: f, Data: d})
}

func (s *Server) noteUpdate(w http.ResponseWriter, r *http.Request) {
	c, n, ok := s.contactNote(w, r)
	if !ok {
		return
	}
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	version, _ := strconv.Atoi(f.Get("version"))
	pinned := f.Get("pinned") == "on"
	e := activity.NoteEdit{Pinned: &pinned, Version: version}
	if f.Values.Has("body") {
		body := f.Get("body")
		e.Body = &body
	}
	err := s.Activity.EditNote(r.Context(), contact.ViewerFor(userFrom(r.Context())), n.ID, e)
	if err != nil {
		if f.fail(err, "body") {
			if errs.Is(err, errs.Conflict) {
				// Show their version beside what was typed.
				if fresh, ferr := s.Activity.Note(r.Context(), contact.ViewerFor(userFrom(r.Context())), n.ID); ferr == nil {
					n = fresh
					f.Values.Set("version", strconv.Itoa(n.Version))
				}
			}
			s.renderNoteForm(w, r, c, n, f, http.StatusUnprocessableEntity)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "The note has been saved.")
	http.Redirect(w, r, timelineURL(c.ID, "", ""), http.StatusSeeOther)
}

// notePin pins or unpins a note from the timeline's own buttons.
func (s *Server) notePin(pinned bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, n, ok := s.contactNote(w, r)
		if !ok {
			return
		}
		if _, ok := s.parseForm(w, r); !ok {
			return
		}
		if err := s.Activity.EditNote(r.Context(), contact.ViewerFor(userFrom(r.Context())), n.ID, activity.NoteEdit{Pinned: &pinned}); err != nil {
			s.fail(w, r, err)
			return
		}
		msg := "The note is pinned above the timeline."
		if !pinned {
			msg = "The note is back in the timeline."
		}
		s.setFlash(w, "success", msg)
		http.Redirect(w, r, timelineURL(c.ID, "", ""), http.StatusSeeOther)
	}
}

func (s *Server) noteDeleteForm(w http.ResponseWriter, r *http.Request) {
	c, n, ok := s.contactNote(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "app/contact_confirm", &Page{Title: "Delete note", Form: &Form{},
		Data: confirmData{contactHead: s.contactHead(r, c, ""), Action: "note", Note: n}})
}

func (s *Server) noteDelete(w http.ResponseWriter, r *http.Request) {
	c, n, ok := s.contactNote(w, r)
	if !ok {
		return
	}
	if _, ok := s.parseForm(w, r); !ok {
		return
	}
	if err := s.Activity.DeleteNote(r.Context(), contact.ViewerFor(userFrom(r.Context())), n.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "The note has been deleted. The activity log keeps its text.")
	http.Redirect(w, r, timelineURL(c.ID, "", ""), http.StatusSeeOther)
}
