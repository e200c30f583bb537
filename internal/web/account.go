package web

import (
	"net/http"
	"strconv"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/errs"
)

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	f := &Form{Values: map[string][]string{"name": {u.Name}, "time_zone": {u.TimeZone}}, Errors: map[string]string{}}
	s.render(w, r, http.StatusOK, "app/account", &Page{Title: "Your account", Form: f, Data: s.pageData(r, "app/account")})
}

// accountTimeZone sets the zone the user's tasks and calendar are shown in.
func (s *Server) accountTimeZone(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	err := s.Auth.ChangeTimeZone(r.Context(), userFrom(r.Context()), f.Get("time_zone"))
	if s.formDone(w, r, f, err, "app/account", "Your account", "time_zone") {
		s.setFlash(w, "success", "Your time zone has been saved.")
		http.Redirect(w, r, "/account", http.StatusSeeOther)
	}
}

// accountData is what the account page shows besides its forms.
type accountData struct {
	TimeZones []string
	BCC       bccCard // BCC logging (inbound.go)
}

func (s *Server) accountProfile(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	err := s.Auth.ChangeName(r.Context(), userFrom(r.Context()), f.Get("name"))
	if s.formDone(w, r, f, err, "app/account", "Your account", "name") {
		s.setFlash(w, "success", "Your name has been saved.")
		http.Redirect(w, r, "/account", http.StatusSeeOther)
	}
}

func (s *Server) accountEmail(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	err := s.Auth.ChangeEmail(r.Context(), userFrom(r.Context()), f.Get("current_password"), f.Get("email"))
	f.Values.Del("current_password")
	if s.formDone(w, r, f, err, "app/account", "Your account", "email") {
		s.setFlash(w, "success", "Your email address has been changed.")
		http.Redirect(w, r, "/account", http.StatusSeeOther)
	}
}

func (s *Server) accountPassword(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	var err error
	if f.Get("new_password") != f.Get("new_password_confirm") {
		err = errs.FieldErrors(map[string]string{"new_password_confirm": "The two new passwords do not match."})
	} else {
		err = s.Auth.ChangePassword(r.Context(), userFrom(r.Context()), f.Get("current_password"), f.Get("new_password"), sessionFrom(r.Context()).ID)
	}
	for _, k := range []string{"current_password", "new_password", "new_password_confirm"} {
		f.Values.Del(k)
	}
	if s.formDone(w, r, f, err, "app/account", "Your account", "current_password") {
		s.setFlash(w, "success", "Your password has been changed. Your other sessions have been signed out.")
		http.Redirect(w, r, "/account", http.StatusSeeOther)
	}
}

// formDone re-renders page with the form's errors when err is a validation
// error, shows the error page for other errors, and reports true on success.
func (s *Server) formDone(w http.ResponseWriter, r *http.Request, f *Form, err error, page, title, field string) bool {
	if err == nil {
		return true
	}
	if f.fail(err, field) {
		status := http.StatusUnprocessableEntity
		if errs.Is(err, errs.Forbidden) {
			status = http.StatusForbidden
		}
		s.render(w, r, status, page, &Page{Title: title, Form: f, Data: s.pageData(r, page)})
		return false
	}
	s.fail(w, r, err)
	return false
}

// pageData reloads what a page shows besides its form, for re-rendering.
func (s *Server) pageData(r *http.Request, page string) any {
	switch page {
	case "app/account":
		return accountData{TimeZones: commonTimeZones, BCC: s.bccCardFor(r)}
	case "app/tokens":
		toks, _ := s.Auth.Tokens(r.Context(), userFrom(r.Context()))
		return tokensData{Tokens: toks}
	case "app/security":
		return s.securityData(r)
	}
	return nil
}

type sessionsData struct {
	Sessions []auth.Session
	Current  int64
}

func (s *Server) sessionsPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.Auth.Sessions(r.Context(), userFrom(r.Context()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "app/sessions", &Page{Title: "Sessions", Data: sessionsData{Sessions: list, Current: sessionFrom(r.Context()).ID}})
}

func (s *Server) sessionRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	if err := s.Auth.RevokeSession(r.Context(), userFrom(r.Context()), id); err != nil {
		s.fail(w, r, err)
		return
	}
	if id == sessionFrom(r.Context()).ID {
		s.clearSessionCookie(w)
		s.setFlash(w, "info", "You have signed out.")
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	s.setFlash(w, "success", "The session has been signed out.")
	http.Redirect(w, r, "/account/sessions", http.StatusSeeOther)
}

type securityData struct {
	Enrolment     *auth.Enrolment
	CodesLeft     int
	Required      bool
	RecoveryCodes []string
}

func (s *Server) securityData(r *http.Request) securityData {
	u := userFrom(r.Context())
	d := securityData{}
	d.Required, _ = s.Auth.RequireTOTP(r.Context())
	if u.TOTPEnabled {
		d.CodesLeft, _ = s.Auth.RecoveryCodesLeft(r.Context(), u)
	} else {
		d.Enrolment, _ = s.Auth.PendingTOTP(r.Context(), u)
	}
	return d
}

func (s *Server) securityPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "app/security", &Page{Title: "Two-factor authentication", Form: &Form{}, Data: s.securityData(r)})
}

func (s *Server) totpStart(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Auth.BeginTOTP(r.Context(), userFrom(r.Context())); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, "/account/security", http.StatusSeeOther)
}

func (s *Server) totpConfirm(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	codes, err := s.Auth.ConfirmTOTP(r.Context(), userFrom(r.Context()), f.Get("code"))
	if !s.formDone(w, r, f, err, "app/security", "Two-factor authentication", "code") {
		return
	}
	s.showRecoveryCodes(w, r, codes, "Two-factor authentication is on.")
}

func (s *Server) showRecoveryCodes(w http.ResponseWriter, r *http.Request, codes []string, msg string) {
	u, err := s.Auth.UserByID(r.Context(), userFrom(r.Context()).ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sessionFrom(r.Context()).User = u
	d := s.securityData(r)
	d.RecoveryCodes = codes
	s.render(w, r, http.StatusOK, "app/security", &Page{Title: "Two-factor authentication", Form: &Form{}, User: u,
		Session: sessionFrom(r.Context()), Data: d, Flash: &flash{Kind: "success", Message: msg}})
}

func (s *Server) totpDisable(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	err := s.Auth.DisableTOTP(r.Context(), userFrom(r.Context()), f.Get("current_password"))
	f.Values.Del("current_password")
	if s.formDone(w, r, f, err, "app/security", "Two-factor authentication", "current_password") {
		s.setFlash(w, "success", "Two-factor authentication is off.")
		http.Redirect(w, r, "/account/security", http.StatusSeeOther)
	}
}

func (s *Server) recoveryCodes(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	codes, err := s.Auth.RegenerateRecoveryCodes(r.Context(), userFrom(r.Context()), f.Get("recovery_password"))
	f.Values.Del("recovery_password")
	if err != nil && errs.FieldsOf(err)["current_password"] != "" {
		err = errs.FieldErrors(map[string]string{"recovery_password": errs.FieldsOf(err)["current_password"]})
	}
	if !s.formDone(w, r, f, err, "app/security", "Two-factor authentication", "recovery_password") {
		return
	}
	s.showRecoveryCodes(w, r, codes, "New recovery codes have been created; the old ones no longer work.")
}

type tokensData struct {
	Tokens  []*auth.APIToken
	Created *auth.APIToken
	Secret  string
}

func (s *Server) tokensPage(w http.ResponseWriter, r *http.Request) {
	toks, err := s.Auth.Tokens(r.Context(), userFrom(r.Context()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "app/tokens", &Page{Title: "API tokens", Form: &Form{}, Data: tokensData{Tokens: toks}})
}

func (s *Server) tokenCreate(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	t, secret, err := s.Auth.CreateToken(r.Context(), userFrom(r.Context()), f.Get("name"))
	if !s.formDone(w, r, f, err, "app/tokens", "API tokens", "name") {
		return
	}
	toks, err := s.Auth.Tokens(r.Context(), userFrom(r.Context()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "app/tokens", &Page{Title: "API tokens", Form: &Form{}, Data: tokensData{Tokens: toks, Created: t, Secret: secret},
		Flash: &flash{Kind: "success", Message: "Token created. Copy it now: it is shown only once."}})
}

func (s *Server) tokenRevoke(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	if err := s.Auth.RevokeToken(r.Context(), userFrom(r.Context()), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "The token has been revoked; programs using it can no longer sign in.")
	http.Redirect(w, r, "/account/tokens", http.StatusSeeOther)
}
