package web

import (
	"errors"
	"net/http"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/errs"
)

// parseForm reads a posted form; a body over the limit gets the 413 page.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) (*Form, bool) {
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			s.renderError(w, r, http.StatusRequestEntityTooLarge)
		} else {
			s.renderErrorText(w, r, http.StatusBadRequest, "The form could not be read. Go back and try again.")
		}
		return nil, false
	}
	return newForm(r), true
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if ss := s.loadSession(r); ss != nil && ss.MFAPassed {
		r = r.WithContext(s.withSession(r, ss))
	}
	s.renderError(w, r, http.StatusNotFound)
}

func (s *Server) setupForm(w http.ResponseWriter, r *http.Request) {
	if s.setupComplete(r.Context()) {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	s.render(w, r, http.StatusOK, "auth/setup", &Page{Title: "Set up Folio", Form: &Form{}})
}

func (s *Server) setupSubmit(w http.ResponseWriter, r *http.Request) {
	if s.setupComplete(r.Context()) {
		s.renderError(w, r, http.StatusNotFound)
		return
	}
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	if f.Get("password") != f.Get("password_confirm") {
		f.Errors["password_confirm"] = "The two passwords do not match."
		s.render(w, r, http.StatusUnprocessableEntity, "auth/setup", &Page{Title: "Set up Folio", Form: f})
		return
	}
	c := s.client(r)
	ctx := audit.WithActor(r.Context(), audit.Actor{Type: audit.ActorSystem, Name: "first-run setup", Channel: audit.ChannelUI, IP: c.IP})
	_, err := s.Auth.SetupOwner(ctx, auth.NewUser{Email: f.Get("email"), Name: f.Get("name"), Password: f.Get("password")})
	if err != nil {
		if errs.Is(err, errs.Conflict) {
			s.renderError(w, r, http.StatusNotFound)
			return
		}
		if f.fail(err, "email") {
			s.render(w, r, http.StatusUnprocessableEntity, "auth/setup", &Page{Title: "Set up Folio", Form: f})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setupDone.Store(true)
	res, err := s.Auth.SignIn(r.Context(), f.Get("email"), f.Get("password"), c, audit.ChannelUI)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setSessionCookie(w, res.Token)
	s.setFlash(w, "success", "Welcome to Folio. Your owner account is ready.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

type signInData struct {
	Next string
}

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) {
	if !s.setupComplete(r.Context()) {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return
	}
	if userFrom(r.Context()) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "auth/signin", &Page{Title: "Sign in", Form: &Form{}, Data: signInData{Next: safeNext(r.URL.Query().Get("next"))}})
}

func (s *Server) signInSubmit(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	next := safeNext(f.Get("next"))
	res, err := s.Auth.SignIn(r.Context(), f.Get("email"), f.Get("password"), s.client(r), audit.ChannelUI)
	if err != nil {
		status := http.StatusUnauthorized
		switch errs.CodeOf(err) {
		case errs.TooMany:
			status = http.StatusTooManyRequests
		case errs.Forbidden:
			status = http.StatusForbidden
		case errs.Unauthorized:
		default:
			s.fail(w, r, err)
			return
		}
		f.Values.Del("password")
		s.render(w, r, status, "auth/signin", &Page{Title: "Sign in", Form: f, Data: signInData{Next: next},
			Flash: &flash{Kind: "error", Message: errs.MessageOf(err)}})
		return
	}
	// A previous session of this browser ends: the new token replaces it.
	if old := s.loadSession(r); old != nil {
		_ = s.Auth.SignOut(r.Context(), old)
	}
	s.setSessionCookie(w, res.Token)
	if res.NeedTOTP {
		http.Redirect(w, r, "/signin/totp?next="+urlQueryEscape(next), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) secondFactorForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "auth/totp", &Page{Title: "Two-factor authentication", Form: &Form{},
		Data: signInData{Next: safeNext(r.URL.Query().Get("next"))}})
}

func (s *Server) secondFactorSubmit(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	next := safeNext(f.Get("next"))
	token, err := s.Auth.CompleteSecondFactor(r.Context(), sessionFrom(r.Context()), f.Get("code"), s.client(r), audit.ChannelUI)
	if err != nil {
		if f.fail(err, "code") {
			status := http.StatusUnprocessableEntity
			if errs.Is(err, errs.TooMany) {
				status = http.StatusTooManyRequests
			}
			s.render(w, r, status, "auth/totp", &Page{Title: "Two-factor authentication", Form: f, Data: signInData{Next: next}})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setSessionCookie(w, token)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) {
	if err := s.Auth.SignOut(r.Context(), sessionFrom(r.Context())); err != nil {
		s.fail(w, r, err)
		return
	}
	s.clearSessionCookie(w)
	s.setFlash(w, "info", "You have signed out.")
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

func (s *Server) forgotForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "auth/forgot", &Page{Title: "Reset your password", Form: &Form{}})
}

func (s *Server) forgotSubmit(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	if auth.NormalizeEmail(f.Get("email")) == "" {
		f.Errors["email"] = "Enter the email address of your Folio account."
		s.render(w, r, http.StatusUnprocessableEntity, "auth/forgot", &Page{Title: "Reset your password", Form: f})
		return
	}
	if err := s.Auth.RequestPasswordReset(r.Context(), f.Get("email")); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "If an active account uses that address, a reset link is on its way. The link works for one hour.")
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

func (s *Server) resetForm(w http.ResponseWriter, r *http.Request) {
	u, err := s.Auth.CheckResetToken(r.Context(), r.PathValue("token"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "auth/reset", &Page{Title: "Choose a new password", Form: &Form{}, Data: u})
}

func (s *Server) resetSubmit(w http.ResponseWriter, r *http.Request) {
	f, ok := s.parseForm(w, r)
	if !ok {
		return
	}
	token := r.PathValue("token")
	u, err := s.Auth.CheckResetToken(r.Context(), token)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if f.Get("password") != f.Get("password_confirm") {
		f.Errors["password_confirm"] = "The two passwords do not match."
		s.render(w, r, http.StatusUnprocessableEntity, "auth/reset", &Page{Title: "Choose a new password", Form: f, Data: u})
		return
	}
	if _, err := s.Auth.ResetPassword(r.Context(), token, f.Get("password"), s.client(r)); err != nil {
		if errs.Is(err, errs.Invalid) && f.fail(err, "password") {
			s.render(w, r, http.StatusUnprocessableEntity, "auth/reset", &Page{Title: "Choose a new password", Form: f, Data: u})
			return
		}
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "Your password has been changed. Sign in with the new one.")
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}
