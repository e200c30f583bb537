// Package app wires Folio together — configuration, database, domain
// services, the HTTP server and background workers — behind New, Run and
// Close, so that main is a few lines and a test can boot the whole server on
// 127.0.0.1:0 with a temporary database.
package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/api"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/authz"
	"github.com/foliocrm/folio/internal/config"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/email"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/importer"
	"github.com/foliocrm/folio/internal/inbound"
	"github.com/foliocrm/folio/internal/mail"
	"github.com/foliocrm/folio/internal/reqlog"
	"github.com/foliocrm/folio/internal/secret"
	"github.com/foliocrm/folio/internal/ticket"
	"github.com/foliocrm/folio/internal/web"
)

// Options tune an App beyond its configuration; tests use them.
type Options struct {
	// LogOutput receives the logs (default stderr).
	LogOutput io.Writer
	// Argon2 overrides the password hashing cost (tests only).
	Argon2 *auth.Argon2Params
}

// App is one running Folio.
type App struct {
	Cfg *config.Config
	DB  *db.DB
	Box *secret.Box
	// Contacts is the contact store; the UI and API reach it at request time.
	Contacts *contact.Service
	Auth     *auth.Service
	Log      *slog.Logger
	Routes   *authz.Registry
	Web      *web.Server
	API      *api.API
	Mail     *mail.Worker
	// Imports runs imports and exports of contacts.
	Imports *importer.Service
	// Activity holds notes, tasks and events, and each contact's timeline.
	Activity *activity.Service
	// Email sends email to contacts (one or in bulk, templates, portal
	// messages) and shows the emails of both directions.
	Email   *email.Service
	Handler http.Handler

	// Inbound is BCC logging; InboundSMTP its listener, nil when
	// FOLIO_INBOUND_SMTP_ADDR is empty.
	Inbound     *inbound.Service
	InboundSMTP *inbound.Listener

	ln  net.Listener
	srv *http.Server
}

// Open connects to the database, applies migrations and builds the
// services, without serving anything; the command-line tools use it.
func Open(ctx context.Context, cfg *config.Config, o Options) (*App, error) {
	out := o.LogOutput
	if out == nil {
		out = os.Stderr
	}
	level, _ := config.ParseLevel(cfg.LogLevel)
	a := &App{Cfg: cfg, Log: reqlog.New(out, cfg.LogFormat, level), Routes: &authz.Registry{}}
	var err error
	if a.Box, err = secret.Load(cfg.SecretKey, cfg.DataDir); err != nil {
		return nil, err
	}
	if a.DB, err = db.Open(ctx, db.Options{URL: cfg.DatabaseURL, DataDir: cfg.DataDir, Synchronous: cfg.SQLiteSynchronous}); err != nil {
		return nil, err
	}
	applied, err := a.DB.Migrate(ctx)
	if err != nil {
		a.DB.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	for _, m := range applied {
		a.Log.Info("migration applied", "name", m)
	}
	a.Auth = auth.NewService(a.DB, a.Box, cfg.BaseURL)
	a.Auth.IdleTimeout, a.Auth.MaxAge = cfg.SessionIdle, cfg.SessionMaxAge
	if o.Argon2 != nil {
		a.Auth.Hasher = auth.NewHasher(*o.Argon2)
	}
	var sender mail.Sender
	if cfg.SMTPURL != "" {
		if sender, err = mail.NewSMTPSender(cfg.SMTPURL, cfg.SMTPFrom); err != nil {
			a.DB.Close()
			return nil, err
		}
	}
	a.Mail = mail.NewWorker(a.DB, sender, a.Log)
	a.Contacts = contact.New(a.DB, a.Box)
	a.Activity = activity.New(a.DB, a.Contacts)
	a.Activity.BaseURL = cfg.BaseURL
	// Calendar events on the timeline.
	a.Activity.RegisterKind(activity.KindEvent, a.Activity.EventSummaries)
	a.Activity.RegisterKind(activity.KindTask, a.Activity.TaskSummaries) // tasks
	a.Imports = importer.New(a.DB, a.Box, a.Contacts, a.Log)
	a.Imports.MaxUpload = cfg.ImportMaxBytes
	a.Imports.ViewerOf = func(ctx context.Context, id int64) (contact.Viewer, error) {
		u, err := a.Auth.UserByID(ctx, id)
		if err != nil {
			return contact.Viewer{}, err
		}
		if u.DisabledAt != nil {
			return contact.Viewer{}, errs.E(errs.Forbidden, "The user who started this import is disabled.")
		}
		return contact.ViewerFor(u), nil
	}
	a.Auth.MailQueued = a.Mail.Wake
	// Email out (issue 5): the service, and emails on the timelines.
	a.Email = email.New(a.DB, a.Contacts, cfg.SMTPFrom)
	a.Email.Configured, a.Email.Wake = a.Mail.Configured, a.Mail.Wake
	a.Activity.RegisterKind(activity.KindEmail, a.Email.Loader())
	return a, nil
}

// New opens Folio and prepares the HTTP server on cfg.Addr (which may use
// port 0); Run serves it.
func New(ctx context.Context, cfg *config.Config, o Options) (*App, error) {
	a, err := Open(ctx, cfg, o)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	if a.Web, err = web.New(cfg, a.DB, a.Auth, a.Log, a.Routes, mux); err != nil {
		a.DB.Close()
		return nil, err
	}
	a.Web.Contacts = a.Contacts
	a.Web.Imports = a.Imports
	a.Web.Activity = a.Activity
	a.Web.Email = a.Email
	a.API = api.New(cfg, a.DB, a.Auth, a.Log, a.Routes, mux, func(r *http.Request) string { return web.ClientIP(r, cfg.TrustProxy) })
	a.API.Contacts = a.Contacts
	a.API.Imports = a.Imports
	a.API.Activity = a.Activity
	// Tickets (internal/ticket): on contacts' timelines, in the UI and the API.
	tickets := ticket.New(a.DB, a.Contacts, cfg.BaseURL)
	tickets.MailQueued = a.Mail.Wake
	a.Activity.RegisterKind(activity.KindTicket, tickets.Loader)
	a.Web.Tickets, a.API.Tickets = tickets, tickets
	a.API.Email = a.Email
	a.Handler = a.Web.Middleware(mux)
	a.ln, err = net.Listen("tcp", cfg.Addr)
	if err != nil {
		a.DB.Close()
		return nil, fmt.Errorf("listen on %s: %w (is another Folio running? set FOLIO_ADDR)", cfg.Addr, err)
	}
	// BCC logging (internal/inbound): the service for the UI and API, and
	// the SMTP listener when configured.
	a.Inbound = inbound.New(a.DB, a.Box, a.Contacts, a.Auth, a.Log, cfg.Inbound.Domain)
	a.Inbound.MaxMessageBytes, a.Inbound.MaxAttachmentBytes = cfg.Inbound.MaxMessageBytes, cfg.Inbound.MaxAttachmentBytes
	a.Inbound.RatePerMinute = cfg.Inbound.RatePerMinute
	a.Web.Inbound, a.API.Inbound = a.Inbound, a.Inbound
	if cfg.Inbound.SMTPAddr != "" {
		if a.InboundSMTP, err = a.Inbound.Listen(cfg.Inbound.SMTPAddr); err != nil {
			a.Close()
			return nil, err
		}
	}
	a.srv = &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       5 * time.Minute, // uploads
		WriteTimeout:      10 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(a.Log.Handler(), slog.LevelWarn),
	}
	return a, nil
}

// Addr is the address the server listens on.
func (a *App) Addr() string { return a.ln.Addr().String() }

// URL is the http URL of the listener (not the public base URL).
func (a *App) URL() string { return "http://" + a.Addr() }

// Run serves HTTP and runs the background workers until ctx ends, then shuts
// down gracefully: in-flight requests finish (up to 30 s), workers stop.
func (a *App) Run(ctx context.Context) error {
	wctx, stopWorkers := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	wg.Go(func() { a.Mail.Run(wctx) })
	wg.Go(func() { a.housekeeping(wctx) })
	wg.Go(func() { a.Imports.Run(wctx) })
	wg.Go(func() { a.Activity.RunReminders(wctx, a.Mail.Wake, a.Log) }) // task reminders
	if a.InboundSMTP != nil {                                           // BCC logging
		wg.Go(func() { a.InboundSMTP.Serve(wctx) })
	}
	errc := make(chan error, 1)
	go func() { errc <- a.srv.Serve(a.ln) }()
	a.Log.Info("folio is listening", "addr", a.Addr(), "base_url", a.Cfg.BaseURL, "database", a.DB.Dialect.Name())
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		a.Log.Info("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = a.srv.Shutdown(sctx)
		cancel()
	}
	stopWorkers()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

func (a *App) housekeeping(ctx context.Context) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if err := a.Auth.PurgeExpired(audit.WithActor(ctx, audit.System)); err != nil && ctx.Err() == nil {
			a.Log.Error("purge expired sessions", "err", err)
		}
		if n, err := a.Contacts.PurgeTrash(ctx, time.Now()); err != nil && ctx.Err() == nil {
			a.Log.Error("erase contacts out of the trash", "err", err)
		} else if n > 0 {
			a.Log.Info("erased contacts out of the trash", "count", n)
		}
		if _, err := a.Imports.PurgeFiles(ctx, time.Now()); err != nil && ctx.Err() == nil {
			a.Log.Error("delete old import files", "err", err)
		}
		start := time.Now()
		if did, err := a.Contacts.ScanDuplicatesIfDue(ctx); err != nil && ctx.Err() == nil {
			a.Log.Error("check the book for duplicates", "err", err)
		} else if did {
			a.Log.Info("checked the book for duplicates", "duration_ms", time.Since(start).Milliseconds())
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Close releases the listener and the database.
func (a *App) Close() error {
	var err error
	if a.ln != nil {
		_ = a.ln.Close()
	}
	if a.InboundSMTP != nil { // BCC logging
		_ = a.InboundSMTP.Close()
	}
	if a.DB != nil {
		err = a.DB.Close()
	}
	return err
}
