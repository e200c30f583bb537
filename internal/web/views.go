package web

import (
	"context"
	"net/http"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// Saved views are a user's own named states of the contact list: its URL
// query without the page. They are preferences, not records, so read-only
// users keep them too.

// savedView is one entry of the Views menu.
type savedView struct {
	ID   int64
	Name string
	URL  string
	// Current: the list shows exactly this view now.
	Current bool
}

// viewsMenu is the Views menu of the contact list.
type viewsMenu struct {
	Views []savedView
	Open  bool
}

func (s *Server) viewsMenu(ctx context.Context, v contact.Viewer, st listState, f *Form) (viewsMenu, error) {
	vs, err := s.Contacts.SavedViews(ctx, v)
	if err != nil {
		return viewsMenu{}, err
	}
	m := viewsMenu{Open: f.Error("view_name") != ""}
	now := st.viewQuery()
	for _, x := range vs {
		u := "/contacts"
		if x.Query != "" {
			u += "?" + x.Query
		}
		m.Views = append(m.Views, savedView{ID: x.ID, Name: x.Name, URL: u, Current: x.Query == now})
	}
	return m, nil
}

// postedList reads the list state a form inside the list's toolbar posts
// along (views, segments); a state the list cannot show comes back as a
// 400 page and ok false.
func (s *Server) postedList(w http.ResponseWriter, r *http.Request) (listState, *Form, bool) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return listState{}, nil, false
	}
	st, err := parseListState(f.Values)
	if err != nil {
		s.listError(w, r, "", err)
		return listState{}, nil, false
	}
	return st, f, true
}

// viewSave saves the list as the user sees it under a name, then shows it.
func (s *Server) viewSave(w http.ResponseWriter, r *http.Request) {
	st, f, ok := s.postedList(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	if _, err := s.Contacts.SaveView(ctx, v, f.Get("view_name"), st.viewQuery()); err != nil {
		if !errs.Is(err, errs.Invalid) {
			s.fail(w, r, err)
			return
		}
		f.Errors["view_name"] = fieldMessage(err)
		page, _ := s.listPage(ctx, v, st, f)
		s.renderList(w, r, http.StatusUnprocessableEntity, st, page, f, false)
		return
	}
	s.setFlash(w, "success", "Saved the view “"+f.Get("view_name")+"”. Find it in the Views menu.")
	st.Cursor, st.EditSegment = "", 0
	http.Redirect(w, r, st.URL(), http.StatusSeeOther)
}

// viewDelete deletes one of the user's views and goes back to the list.
func (s *Server) viewDelete(w http.ResponseWriter, r *http.Request) {
	st, _, ok := s.postedList(w, r)
	if !ok {
		return
	}
	ctx := r.Context()
	v := contact.ViewerFor(userFrom(ctx))
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	name := "The view"
	if vs, err := s.Contacts.SavedViews(ctx, v); err == nil {
		for _, x := range vs {
			if x.ID == id {
				name = "The view “" + x.Name + "”"
			}
		}
	}
	if err := s.Contacts.DeleteView(ctx, v, id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", name+" has been deleted.")
	http.Redirect(w, r, st.URL(), http.StatusSeeOther)
}
