// Package authz is the one place where HTTP routes meet permissions: every
// route of the staff UI and the API is registered here with the permission it
// needs, so a test can walk them all and no route is left unguarded.
package authz

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/db"
)

// Route is one registered pattern and what it requires.
type Route struct {
	Surface string // "ui" or "api"
	Pattern string // ServeMux pattern, e.g. "GET /admin/users/{id}"
	Perm    auth.Permission
}

// PublicPatterns are the only routes that may be reached without signing in.
var PublicPatterns = []string{
	"GET /healthz", "GET /readyz", "GET /static/",
	"GET /setup", "POST /setup",
	"GET /signin", "POST /signin",
	"GET /password/forgot", "POST /password/forgot",
	"GET /password/reset/{token}", "POST /password/reset/{token}",
	"GET /api/v1/openapi.json",
	"/", // the not-found page
	// Calendar apps read a user's feed with the secret in its URL.
	"GET /calendar/feed/{file}",
}

// Registry records routes as they are registered on a mux.
type Registry struct {
	mu     sync.Mutex
	routes []Route
}

// Add records a route; it panics on a public route outside the list, so a
// mistake stops start-up instead of opening a hole.
func (r *Registry) Add(surface, pattern string, perm auth.Permission) {
	if perm == "" {
		panic("authz: route " + pattern + " has no permission")
	}
	if perm == auth.PermPublic && !slices.Contains(PublicPatterns, pattern) {
		panic("authz: route " + pattern + " is public but not in authz.PublicPatterns")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.routes = append(r.routes, Route{Surface: surface, Pattern: pattern, Perm: perm})
}

// Routes returns every registered route.
func (r *Registry) Routes() []Route {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.routes)
}

// Lookup returns the route registered for pattern.
func (r *Registry) Lookup(pattern string) (Route, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, rt := range r.routes {
		if rt.Pattern == pattern {
			return rt, true
		}
	}
	return Route{}, false
}

// LogDenial writes a permission denial to the activity log.
func LogDenial(ctx context.Context, d *db.DB, req *http.Request, perm auth.Permission) error {
	return d.InTx(ctx, func(tx *db.Tx) error {
		return audit.Write(ctx, tx, audit.Entry{Entity: "route", EntityID: strings.TrimSpace(req.Method + " " + req.URL.Path),
			Action: "auth.denied", Changes: []audit.Change{{Field: "permission", New: string(perm)}}})
	})
}
