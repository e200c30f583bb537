package web

import (
	"net/http"
	"strconv"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

type groupsData struct {
	Groups   []contact.Group
	CanWrite bool
	// Editing is the group whose rename form came back with an error.
	Editing int64
	// Deleting is the group the confirmation page is about.
	Deleting *contact.Group
	// NewForm is the create form's state.
	NewForm *Form
}

func (s *Server) groupsData(r *http.Request) (groupsData, error) {
	v := contact.ViewerFor(userFrom(r.Context()))
	gs, err := s.Contacts.Groups(r.Context(), v)
	return groupsData{Groups: gs, CanWrite: !v.ReadOnly, NewForm: &Form{}}, err
}

func (s *Server) groupsPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.groupsData(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "app/groups", &Page{Title: "Groups", Form: &Form{}, Data: d})
}

// groupSave creates a group (no id in the path) or renames one.
func (s *Server) groupSave(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	id, ok := s.saveID(w, r)
	if !ok {
		return
	}
	v := contact.ViewerFor(userFrom(r.Context()))
	_, err := s.Contacts.SaveGroup(r.Context(), v, id, f.Get("name"), f.Get("description"))
	if err != nil {
		if errs.Is(err, errs.Invalid) {
			for k, m := range errs.FieldsOf(err) {
				f.Errors[k] = sentence(m)
			}
			d, derr := s.groupsData(r)
			if derr != nil {
				s.fail(w, r, derr)
				return
			}
			d.Editing = id
			if id == 0 {
				d.NewForm = f
			}
			s.render(w, r, http.StatusUnprocessableEntity, "app/groups", &Page{Title: "Groups", Form: f, Data: d})
			return
		}
		s.fail(w, r, err)
		return
	}
	msg := "Group “" + f.Get("name") + "” created."
	if id != 0 {
		msg = "Group renamed to “" + f.Get("name") + "”."
	}
	s.setFlash(w, "success", msg)
	http.Redirect(w, r, "/groups", http.StatusSeeOther)
}

func (s *Server) groupDeleteForm(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.PathValue("id"), 10, 64)
	v := contact.ViewerFor(userFrom(r.Context()))
	g, err := s.Contacts.Group(r.Context(), v, id)
	if errs.Is(err, errs.NotFound) {
		s.renderErrorText(w, r, http.StatusNotFound, "No such group.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := groupsData{Deleting: &g, CanWrite: !v.ReadOnly}
	s.render(w, r, http.StatusOK, "app/group_delete", &Page{Title: "Delete group " + g.Name, Data: d})
}

func (s *Server) groupDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if err := s.Contacts.DeleteGroup(r.Context(), contact.ViewerFor(userFrom(r.Context())), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "The group has been deleted. Its contacts are still there.")
	http.Redirect(w, r, "/groups", http.StatusSeeOther)
}
