package web

import (
	"net/http"
	"strconv"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// segmentRow is one segment on the segments page, with its size now.
type segmentRow struct {
	contact.Segment
	Summary string
	Count   int
	// Broken is why its conditions no longer run, if they do not.
	Broken  string
	OpenURL string
	EditURL string
}

type segmentsData struct {
	Segments []segmentRow
	CanWrite bool
	// Deleting is the segment the confirmation page is about.
	Deleting *segmentRow
}

// segmentsData lists every segment with its live count, or only segment
// only when it is not zero (each count is a query over the whole book).
func (s *Server) segmentsData(r *http.Request, only int64) (segmentsData, error) {
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	d := segmentsData{CanWrite: !v.ReadOnly}
	var gs []contact.Segment
	var err error
	if only != 0 {
		var g *contact.Segment
		if g, err = s.Contacts.GetSegment(ctx, only); err == nil {
			gs = []contact.Segment{*g}
		}
	} else {
		gs, err = s.Contacts.Segments(ctx)
	}
	if err != nil {
		return d, err
	}
	var cv condValues
	if cv.categories, err = s.Contacts.Categories(ctx); err != nil {
		return d, err
	}
	if cv.users, err = s.Auth.Users(ctx); err != nil {
		return d, err
	}
	for _, g := range gs {
		row := segmentRow{Segment: g, Summary: conditionSummary(g.Match, g.Conditions, cv),
			OpenURL: listState{Segment: g.ID, Cols: defaultCols}.URL(), EditURL: segmentEditURL(g, cv)}
		// The live count is what the viewer may see now.
		row.Count, err = s.Contacts.Count(ctx, v, contact.Query{Segment: g.ID}, 0)
		if errs.Is(err, errs.Invalid) {
			row.Broken = fieldMessage(err)
		} else if err != nil {
			return d, err
		}
		d.Segments = append(d.Segments, row)
	}
	return d, nil
}

func (s *Server) segmentsPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.segmentsData(r, 0)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "app/segments", &Page{Title: "Segments", Data: d})
}

// segmentSave saves the advanced search of the contact list as a new
// segment (no id in the path) or as a segment's new conditions. The list's
// whole toolbar form is posted; only the conditions and the name count.
func (s *Server) segmentSave(w http.ResponseWriter, r *http.Request) {
	st, f, ok := s.postedList(w, r)
	if !ok {
		return
	}
	id, ok := s.saveID(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	conds, nums, err := s.listConditions(ctx, st)
	if err == nil {
		_, err = s.Contacts.SaveSegment(ctx, v, id, f.Get("segment_name"), st.Match, conds)
	}
	if err != nil {
		if !errs.Is(err, errs.Invalid) {
			s.fail(w, r, err)
			return
		}
		conditionErrors(f, err, nums)
		if m, ok := errs.FieldsOf(err)["name"]; ok {
			f.Errors["segment_name"] = sentence(m)
		}
		page, _ := s.listPage(ctx, v, st, f) // a refusal is on f already
		s.renderList(w, r, http.StatusUnprocessableEntity, st, page, f, false)
		return
	}
	msg := "Saved the segment “" + f.Get("segment_name") + "”."
	if id != 0 {
		msg = "Saved the changes to the segment “" + f.Get("segment_name") + "”."
	}
	s.setFlash(w, "success", msg)
	http.Redirect(w, r, "/segments", http.StatusSeeOther)
}

func (s *Server) segmentDeleteForm(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	d, err := s.segmentsData(r, id)
	if errs.Is(err, errs.NotFound) || id == 0 {
		s.renderErrorText(w, r, http.StatusNotFound, "No such segment.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d.Deleting = &d.Segments[0]
	s.render(w, r, http.StatusOK, "app/segment_delete", &Page{Title: "Delete segment " + d.Deleting.Name, Data: d})
}

func (s *Server) segmentDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if err := s.Contacts.DeleteSegment(r.Context(), contact.ViewerFor(userFrom(r.Context())), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "The segment has been deleted. Its contacts are still there.")
	http.Redirect(w, r, "/segments", http.StatusSeeOther)
}
