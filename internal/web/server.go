// Package web is Folio's staff UI: server-rendered pages over html/template,
// one routes file, middleware for sessions, permissions and security headers.
// It calls the domain packages and never holds business rules itself.
package web

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync/atomic"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/authz"
	"github.com/foliocrm/folio/internal/config"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/email"
	"github.com/foliocrm/folio/internal/importer"
	"github.com/foliocrm/folio/internal/inbound"
	"github.com/foliocrm/folio/internal/ticket"
)

// Server serves the staff UI.
type Server struct {
	Cfg    *config.Config
	DB     *db.DB
	Auth   *auth.Service
	Log    *slog.Logger
	Routes *authz.Registry
	// Contacts is set by the app after New; handlers use it per request.
	Contacts *contact.Service
	// Imports runs imports and exports of contacts.
	Imports *importer.Service
	// Activity holds notes, tasks and events, and each contact's timeline.
	Activity *activity.Service
	// Tickets are the tickets about contacts (tickets.go).
	Tickets *ticket.Service
	// Email sends and shows emails (email.go's pages).
	Email *email.Service
	// Inbound is BCC logging: BCC addresses and unfiled received mail.
	Inbound *inbound.Service

	mux       *http.ServeMux
	views     *views
	setupDone atomic.Bool
	// ownBody are the patterns of the routes that read their request body
	// under their own size limit (uploads) instead of FOLIO_MAX_BODY_BYTES.
	ownBody map[string]bool
}

// New parses the templates (an error stops start-up) and registers routes
// on mux.
func New(cfg *config.Config, d *db.DB, a *auth.Service, log *slog.Logger, reg *authz.Registry, mux *http.ServeMux) (*Server, error) {
	v, err := parseViews()
	if err != nil {
		return nil, err
	}
	s := &Server{Cfg: cfg, DB: d, Auth: a, Log: log, Routes: reg, mux: mux, views: v, ownBody: map[string]bool{}}
	s.routes()
	return s, nil
}

// sessionCookie is the cookie's name; the __Host- prefix binds it to this
// origin when Folio runs on https.
func (s *Server) sessionCookie() string {
	if s.Cfg.SecureCookies() {
		return "__Host-folio_session"
	}
	return "folio_session"
}

// ClientIP is the address a request comes from; X-Forwarded-For is believed
// only with FOLIO_TRUST_PROXY, and then its last entry (the one the proxy
// added).
func ClientIP(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			parts := strings.Split(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(parts[len(parts)-1])); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func (s *Server) client(r *http.Request) auth.Client {
	return auth.Client{IP: ClientIP(r, s.Cfg.TrustProxy), UserAgent: r.UserAgent()}
}

type ctxKey int

const sessionKey ctxKey = 1

func sessionFrom(ctx context.Context) *auth.Session {
	ss, _ := ctx.Value(sessionKey).(*auth.Session)
	return ss
}

func userFrom(ctx context.Context) *auth.User {
	if ss := sessionFrom(ctx); ss != nil {
		return ss.User
	}
	return nil
}

// setupComplete reports whether an owner exists; once true it stays true.
func (s *Server) setupComplete(ctx context.Context) bool {
	if s.setupDone.Load() {
		return true
	}
	n, err := s.Auth.OwnerCount(ctx)
	if err == nil && n > 0 {
		s.setupDone.Store(true)
		return true
	}
	return false
}

// guard is the kind of session a route needs beyond its permission.
type guard int

const (
	guardFull         guard = iota // signed in, second factor done, enrolled if required
	guardSecondFactor              // password passed, second factor pending
	guardEnrolment                 // signed in; allowed even while TOTP enrolment is required
)

// handle registers a route with the permission it needs.
func (s *Server) handle(pattern string, perm auth.Permission, h http.HandlerFunc) {
	s.handleGuarded(pattern, perm, guardFull, h)
}

// handleUpload registers a route that caps its request body itself, with
// http.MaxBytesReader, at a limit above the global one.
func (s *Server) handleUpload(pattern string, perm auth.Permission, h http.HandlerFunc) {
	s.ownBody[pattern] = true
	s.handle(pattern, perm, h)
}

// readsOwnBody reports whether r goes to a route registered with
// handleUpload.
func (s *Server) readsOwnBody(r *http.Request) bool {
	if r.Method != http.MethodPost || !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		return false
	}
	_, pattern := s.mux.Handler(r)
	return s.ownBody[pattern]
}

func (s *Server) handleGuarded(pattern string, perm auth.Permission, g guard, h http.HandlerFunc) {
	s.Routes.Add("ui", pattern, perm)
	s.mux.Handle(pattern, s.authorize(perm, g, h))
}

func (s *Server) authorize(perm auth.Permission, g guard, h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if perm == auth.PermPublic {
			if ss := s.loadSession(r); ss != nil && ss.MFAPassed {
				r = r.WithContext(s.withSession(r, ss))
			}
			h(w, r)
			return
		}
		if !s.setupComplete(r.Context()) {
			http.Redirect(w, r, "/setup", http.StatusSeeOther)
			return
		}
		ss := s.loadSession(r)
		if ss == nil {
			s.toSignIn(w, r)
			return
		}
		r = r.WithContext(s.withSession(r, ss))
		switch {
		case g == guardSecondFactor:
			if ss.MFAPassed {
				http.Redirect(w, r, "/", http.StatusSeeOther)
				return
			}
		case !ss.MFAPassed:
			http.Redirect(w, r, "/signin/totp", http.StatusSeeOther)
			return
		case g == guardFull && !ss.User.TOTPEnabled:
			if req, err := s.Auth.RequireTOTP(r.Context()); err == nil && req {
				s.setFlash(w, "warning", "Your firm requires two-factor authentication. Set it up to continue.")
				http.Redirect(w, r, "/account/security", http.StatusSeeOther)
				return
			}
		}
		if !ss.User.Can(perm) {
			if err := authz.LogDenial(r.Context(), s.DB, r, perm); err != nil {
				s.Log.ErrorContext(r.Context(), "log denial", "err", err)
			}
			s.Log.WarnContext(r.Context(), "permission denied", "user_id", ss.User.ID, "permission", perm)
			s.renderError(w, r, http.StatusForbidden)
			return
		}
		h(w, r)
	})
}

func (s *Server) withSession(r *http.Request, ss *auth.Session) context.Context {
	ctx := context.WithValue(r.Context(), sessionKey, ss)
	return audit.WithActor(ctx, ss.User.Actor(audit.ChannelUI, ClientIP(r, s.Cfg.TrustProxy)))
}

func (s *Server) loadSession(r *http.Request) *auth.Session {
	c, err := r.Cookie(s.sessionCookie())
	if err != nil {
		return nil
	}
	ss, err := s.Auth.SessionByToken(r.Context(), c.Value)
	if err != nil {
		return nil
	}
	return ss
}

func (s *Server) toSignIn(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path != "/" {
		http.Redirect(w, r, "/signin?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if c, err := r.Cookie(s.sessionCookie()); err == nil && c.Value != "" {
		s.setFlash(w, "info", "Your session has ended. Please sign in again.")
		s.clearSessionCookie(w)
	}
	http.Redirect(w, r, "/signin", http.StatusSeeOther)
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: s.sessionCookie(), Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.Cfg.SecureCookies(), MaxAge: int(s.Cfg.SessionMaxAge.Seconds()),
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: s.sessionCookie(), Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.Cfg.SecureCookies(), MaxAge: -1})
}
