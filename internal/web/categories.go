package web

import (
	"net/http"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// The firm's category list (client, prospect, …) is changed by owners and
// admins, as the contact package rules. The routes need PermUsersAdmin, the
// permission of the firm's administrators, and the handlers refuse the
// holders of the Manage users grant who are not admins — the same split as
// erasing a contact — rather than PermSettings, which is the owner's alone
// and would lock admins out of what the domain lets them do.

type categoryRow struct {
	contact.Category
	Count   int
	ListURL string
}

type categoriesData struct {
	Categories []categoryRow
	// Editing is the category whose rename came back with an error.
	Editing int64
	NewForm *Form
}

// categoryAdmin refuses users who may manage users but are not admins.
func (s *Server) categoryAdmin(w http.ResponseWriter, r *http.Request) (contact.Viewer, bool) {
	v := contact.ViewerFor(userFrom(r.Context()))
	if !v.Admin {
		s.renderErrorText(w, r, http.StatusForbidden, "Only an owner or an admin can change the category list.")
		return v, false
	}
	return v, true
}

func (s *Server) categoriesData(r *http.Request, v contact.Viewer) (categoriesData, error) {
	ctx := r.Context()
	cats, err := s.Contacts.Categories(ctx)
	if err != nil {
		return categoriesData{}, err
	}
	d := categoriesData{NewForm: &Form{}}
	for _, c := range cats {
		n, err := s.Contacts.Count(ctx, v, contact.Query{Category: c.ID}, 0)
		if err != nil {
			return d, err
		}
		d.Categories = append(d.Categories, categoryRow{Category: c, Count: n, ListURL: listState{Category: c.ID, Cols: defaultCols}.URL()})
	}
	return d, nil
}

func (s *Server) categoriesPage(w http.ResponseWriter, r *http.Request) {
	v, ok := s.categoryAdmin(w, r)
	if !ok {
		return
	}
	d, err := s.categoriesData(r, v)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "app/categories", &Page{Title: "Contact categories", Form: &Form{}, Data: d})
}

// categorySave adds a category (no id in the path) or renames one.
func (s *Server) categorySave(w http.ResponseWriter, r *http.Request) {
	v, ok := s.categoryAdmin(w, r)
	if !ok {
		return
	}
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	id, ok := s.saveID(w, r)
	if !ok {
		return
	}
	if _, err := s.Contacts.SaveCategory(r.Context(), v, id, f.Get("name")); err != nil {
		if !errs.Is(err, errs.Invalid) {
			s.fail(w, r, err)
			return
		}
		for k, m := range errs.FieldsOf(err) {
			f.Errors[k] = sentence(m)
		}
		d, derr := s.categoriesData(r, v)
		if derr != nil {
			s.fail(w, r, derr)
			return
		}
		d.Editing = id
		if id == 0 {
			d.NewForm = f
		}
		s.render(w, r, http.StatusUnprocessableEntity, "app/categories", &Page{Title: "Contact categories", Form: f, Data: d})
		return
	}
	msg := "Added the category “" + f.Get("name") + "”."
	if id != 0 {
		msg = "Renamed the category to “" + f.Get("name") + "”."
	}
	s.setFlash(w, "success", msg)
	http.Redirect(w, r, "/admin/categories", http.StatusSeeOther)
}
