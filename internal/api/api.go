// Package api is Folio's JSON API under /api/v1: bearer tokens per user, the
// same permission checks as the staff UI (through authz), RFC 9457 problem
// documents for errors and an OpenAPI 3.1 description generated from the
// handlers by huma.
package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"

	"github.com/foliocrm/folio/internal/activity"
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
	"github.com/foliocrm/folio/internal/ticket"
	"github.com/foliocrm/folio/internal/version"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

// API serves /api/v1.
type API struct {
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
	// Email sends and shows emails (emails.go).
	Email *email.Service
	// Inbound is BCC logging: BCC addresses and unfiled received mail.
	Inbound *inbound.Service
	// ClientIP resolves the caller's address the same way the UI does.
	ClientIP func(*http.Request) string

	h huma.API
}

// guardedMux hands huma's routes to the real mux, refusing any pattern that
// was not registered with a permission first.
type guardedMux struct {
	mux *http.ServeMux
	reg *authz.Registry
}

func (g guardedMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	if _, ok := g.reg.Lookup(pattern); !ok {
		panic("api: route " + pattern + " was not registered through api.register")
	}
	g.mux.HandleFunc(pattern, h)
}

func (g guardedMux) ServeHTTP(w http.ResponseWriter, r *http.Request) { g.mux.ServeHTTP(w, r) }

// New builds the API on mux.
func New(cfg *config.Config, d *db.DB, a *auth.Service, log *slog.Logger, reg *authz.Registry, mux *http.ServeMux, clientIP func(*http.Request) string) *API {
	hc := huma.DefaultConfig("Folio API", version.Version)
	hc.OpenAPIPath, hc.DocsPath, hc.SchemasPath = "", "", ""
	hc.CreateHooks = nil // no $schema links in responses
	// A misspelt filter must not silently widen a list.
	hc.RejectUnknownQueryParameters = true
	hc.Info.Description = "The JSON API of Folio, a self-hosted CRM and client-onboarding back office. " +
		"Authenticate with a personal API token: Authorization: Bearer folio_…. Errors are RFC 9457 problem documents. " +
		"List endpoints return {\"items\": [...], \"next_cursor\": \"...\"}; pass next_cursor as cursor for the next page."
	hc.Servers = []*huma.Server{{URL: cfg.BaseURL}}
	hc.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "A personal API token created under Account → API tokens or with folio token create."},
	}
	x := &API{Cfg: cfg, DB: d, Auth: a, Log: log, Routes: reg, ClientIP: clientIP}
	x.h = humago.New(guardedMux{mux: mux, reg: reg}, hc)
	x.h.UseMiddleware(x.authenticate)
	reg.Add("api", "GET "+Prefix+"/openapi.json", auth.PermPublic)
	mux.HandleFunc("GET "+Prefix+"/openapi.json", x.serveOpenAPI)
	x.routes()
	return x
}

func (x *API) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	b, err := json.MarshalIndent(x.h.OpenAPI(), "", "  ")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

// OpenAPI returns the generated description.
func (x *API) OpenAPI() *huma.OpenAPI { return x.h.OpenAPI() }

const permKey = "folio.permission"

// register adds an operation with the permission it needs.
func register[I, O any](x *API, op huma.Operation, perm auth.Permission, h func(context.Context, *I) (*O, error)) {
	op.Path = Prefix + op.Path
	if op.Metadata == nil {
		op.Metadata = map[string]any{}
	}
	op.Metadata[permKey] = perm
	if perm != auth.PermPublic {
		op.Security = []map[string][]string{{"bearer": {}}}
		op.Errors = append(op.Errors, http.StatusUnauthorized, http.StatusForbidden)
	}
	if op.MaxBodyBytes == 0 {
		op.MaxBodyBytes = x.Cfg.MaxBodyBytes
	}
	x.Routes.Add("api", strings.ToUpper(op.Method)+" "+op.Path, perm)
	huma.Register(x.h, op, h)
}

type ctxKey int

const userKey ctxKey = 1

func userFrom(ctx context.Context) *auth.User {
	u, _ := ctx.Value(userKey).(*auth.User)
	return u
}

// authenticate checks the bearer token and the operation's permission.
func (x *API) authenticate(ctx huma.Context, next func(huma.Context)) {
	perm, _ := ctx.Operation().Metadata[permKey].(auth.Permission)
	if perm == "" {
		_ = huma.WriteErr(x.h, ctx, http.StatusInternalServerError, "operation without permission")
		return
	}
	if perm == auth.PermPublic {
		next(ctx)
		return
	}
	r, _ := humago.Unwrap(ctx)
	secret, ok := strings.CutPrefix(ctx.Header("Authorization"), "Bearer ")
	if !ok {
		ctx.SetHeader("WWW-Authenticate", `Bearer realm="folio"`)
		_ = huma.WriteErr(x.h, ctx, http.StatusUnauthorized, "Send an API token as \"Authorization: Bearer folio_…\". Create one under Account → API tokens.")
		return
	}
	u, tok, err := x.Auth.Authenticate(ctx.Context(), strings.TrimSpace(secret))
	if err != nil {
		if errs.Is(err, errs.Unauthorized) {
			ctx.SetHeader("WWW-Authenticate", `Bearer realm="folio", error="invalid_token"`)
			_ = huma.WriteErr(x.h, ctx, http.StatusUnauthorized, errs.MessageOf(err))
			return
		}
		x.Log.ErrorContext(ctx.Context(), "api authenticate", "err", err)
		_ = huma.WriteErr(x.h, ctx, http.StatusInternalServerError, "internal error")
		return
	}
	actor := audit.Actor{Type: audit.ActorToken, ID: itoa(tok.ID), Name: u.Name + " <" + u.Email + "> via token \"" + tok.Name + "\"",
		Channel: audit.ChannelAPI, IP: x.ClientIP(r)}
	actx := audit.WithActor(context.WithValue(ctx.Context(), userKey, u), actor)
	if !u.Can(perm) {
		if err := authz.LogDenial(actx, x.DB, r, perm); err != nil {
			x.Log.ErrorContext(actx, "log denial", "err", err)
		}
		x.Log.WarnContext(actx, "permission denied", "user_id", u.ID, "permission", perm)
		_ = huma.WriteErr(x.h, ctx, http.StatusForbidden, "Your access level does not include this (needs "+string(perm)+"). This attempt has been recorded.")
		return
	}
	// Everything behind a token is personal or firm data.
	ctx.SetHeader("Cache-Control", "no-store")
	next(huma.WithContext(ctx, actx))
}
