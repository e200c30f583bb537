package web

import (
	"net/http"
	"strconv"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
)

type usersData struct {
	Users []*auth.User
}

func (s *Server) usersPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.Auth.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "app/users", &Page{Title: "Users", Data: usersData{Users: list}})
}

func (s *Server) userNewForm(w http.ResponseWriter, r *http.Request) {
	f := &Form{Values: map[string][]string{"role": {"advisor"}, "invite": {"on"}}, Errors: map[string]string{}}
	s.render(w, r, http.StatusOK, "app/user_new", &Page{Title: "New user", Form: f})
}

func grantsFrom(f *Form) auth.Grants {
	return auth.Grants{
		Sensitive:      f.Get("grant_sensitive") == "on",
		Export:         f.Get("grant_export") == "on",
		ManageUsers:    f.Get("grant_manage_users") == "on",
		ViewAsInvestor: f.Get("grant_view_as_investor") == "on",
	}
}

func (s *Server) userCreate(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	invite := f.Get("invite") == "on"
	u, err := s.Auth.CreateUser(r.Context(), userFrom(r.Context()), auth.NewUser{
		Email: f.Get("email"), Name: f.Get("name"), Role: auth.Role(f.Get("role")), Password: f.Get("password"),
		Grants: grantsFrom(f), OwnContactsOnly: f.Get("own_contacts_only") == "on", Invite: invite,
	})
	f.Values.Del("password")
	if !s.formDone(w, r, f, err, "app/user_new", "New user", "email") {
		return
	}
	msg := u.Name + " can now sign in."
	if invite {
		msg = "An invitation to choose a password has been emailed to " + u.Email + "."
	}
	s.setFlash(w, "success", msg)
	http.Redirect(w, r, "/admin/users/"+u.IDString(), http.StatusSeeOther)
}

type userData struct {
	Target *auth.User
	Tokens []*auth.APIToken
	Recent []audit.Record
}

func (s *Server) loadTarget(w http.ResponseWriter, r *http.Request) (*auth.User, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound)
		return nil, false
	}
	u, err := s.Auth.UserByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return u, true
}

func (s *Server) userPageData(r *http.Request, target *auth.User) userData {
	toks, _ := s.Auth.Tokens(r.Context(), target)
	recent, _, _ := audit.List(r.Context(), s.DB, audit.Filter{Actor: "user:" + target.IDString(), Limit: 10})
	return userData{Target: target, Tokens: toks, Recent: recent}
}

func userForm(u *auth.User) *Form {
	f := &Form{Values: map[string][]string{"name": {u.Name}, "role": {string(u.Role)}}, Errors: map[string]string{}}
	set := func(k string, on bool) {
		if on {
			f.Values.Set(k, "on")
		}
	}
	set("grant_sensitive", u.Grants.Sensitive)
	set("grant_export", u.Grants.Export)
	set("grant_manage_users", u.Grants.ManageUsers)
	set("grant_view_as_investor", u.Grants.ViewAsInvestor)
	set("own_contacts_only", u.OwnContactsOnly)
	return f
}

func (s *Server) userPage(w http.ResponseWriter, r *http.Request) {
	u, ok := s.loadTarget(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "app/user", &Page{Title: u.Name, Form: userForm(u), Data: s.userPageData(r, u)})
}

func (s *Server) userUpdate(w http.ResponseWriter, r *http.Request) {
	target, ok := s.loadTarget(w, r)
	if !ok {
		return
	}
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	_, err := s.Auth.UpdateAccess(r.Context(), userFrom(r.Context()), target.ID, auth.AccessChange{
		Name: f.Get("name"), Role: auth.Role(f.Get("role")), Grants: grantsFrom(f), OwnContactsOnly: f.Get("own_contacts_only") == "on",
	})
	if err != nil {
		if f.fail(err, "role") {
			s.render(w, r, http.StatusUnprocessableEntity, "app/user", &Page{Title: target.Name, Form: f, Data: s.userPageData(r, target)})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "Access of "+f.Get("name")+" has been saved.")
	http.Redirect(w, r, "/admin/users/"+target.IDString(), http.StatusSeeOther)
}

func (s *Server) userAction(w http.ResponseWriter, r *http.Request, do func(by, target *auth.User) error, msg string) {
	target, ok := s.loadTarget(w, r)
	if !ok {
		return
	}
	if err := do(userFrom(r.Context()), target); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", target.Name+": "+msg)
	http.Redirect(w, r, "/admin/users/"+target.IDString(), http.StatusSeeOther)
}

func (s *Server) userDisable(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, func(by, t *auth.User) error { return s.Auth.SetDisabled(r.Context(), by, t.ID, true) },
		"the account is disabled and every session has ended.")
}

func (s *Server) userEnable(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, func(by, t *auth.User) error { return s.Auth.SetDisabled(r.Context(), by, t.ID, false) },
		"the account is enabled again.")
}

func (s *Server) userSendReset(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, func(by, t *auth.User) error { return s.Auth.SendPasswordReset(r.Context(), by, t.ID) },
		"a password reset link has been emailed; it works once, for one hour.")
}

func (s *Server) userResetTOTP(w http.ResponseWriter, r *http.Request) {
	s.userAction(w, r, func(by, t *auth.User) error { return s.Auth.ResetTOTP(r.Context(), by, t.ID) },
		"two-factor authentication has been cleared; they can set it up again.")
}
