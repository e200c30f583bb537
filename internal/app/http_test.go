package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/authz"
	"github.com/foliocrm/folio/internal/config"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/mail/mailtest"
)

const (
	ownerEmail = "owner@firm.test"
	ownerPass  = "granite lantern orchard 1987"
	advEmail   = "advisor@firm.test"
	advPass    = "maple harbour velvet 2031"
)

// each runs fn against a fresh server on every database kind.
func each(t *testing.T, edit func(*config.Config), fn func(t *testing.T, s *apptest.Server)) {
	for _, k := range dbtest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, apptest.Start(t, k, edit))
		})
	}
}

// seeded starts a server with an owner and an advisor.
func seeded(t *testing.T, s *apptest.Server) (owner, advisor *auth.User) {
	owner = s.CreateUser(t, ownerEmail, "Olivia Owner", auth.RoleOwner, ownerPass, auth.Grants{})
	advisor = s.CreateUser(t, advEmail, "Adam Advisor", auth.RoleAdvisor, advPass, auth.Grants{})
	return owner, advisor
}

func count(t *testing.T, s *apptest.Server, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.DB.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSetup_firstRunLeadsToSetupThenIsGone(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		c := s.Client()
		for _, p := range []string{"/", "/admin/users", "/account", "/signin"} {
			if res := s.Get(t, c, p); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/setup" {
				t.Errorf("GET %s before setup = %d %s, want 303 /setup", p, res.StatusCode, res.Header.Get("Location"))
			}
		}
		// Bad input first: the form comes back with the error next to the field.
		res := s.PostForm(t, c, "/setup", url.Values{"name": {"Olivia"}, "email": {"not-an-email"}, "password": {"short"}, "password_confirm": {"short"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Enter a valid email address") ||
			!strings.Contains(res.Body, "at least 12 characters") {
			t.Fatalf("bad setup = %d\n%s", res.StatusCode, res.Body)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM users"); n != 0 {
			t.Fatalf("bad setup created %d users", n)
		}
		res = s.PostForm(t, c, "/setup", url.Values{"name": {"Olivia Owner"}, "email": {ownerEmail}, "password": {ownerPass}, "password_confirm": {ownerPass}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Fatalf("setup = %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		if home := s.Get(t, c, "/"); home.StatusCode != 200 || !strings.Contains(home.Body, "Olivia Owner") {
			t.Fatalf("home after setup = %d", home.StatusCode)
		}
		if res := s.Get(t, s.Client(), "/setup"); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET /setup after setup = %d, want 404", res.StatusCode)
		}
		res = s.PostForm(t, s.Client(), "/setup", url.Values{"name": {"Mallory"}, "email": {"m@evil.test"}, "password": {ownerPass}, "password_confirm": {ownerPass}})
		if res.StatusCode != http.StatusNotFound || count(t, s, "SELECT COUNT(*) FROM users") != 1 {
			t.Errorf("POST /setup after setup = %d, users = %d", res.StatusCode, count(t, s, "SELECT COUNT(*) FROM users"))
		}
	})
}

// fill replaces {name} wildcards of a pattern with a value.
var wildcard = regexp.MustCompile(`\{[a-z]+\}|\{\$\}`)

func routePath(pattern string) (method, path string) {
	method, path, ok := strings.Cut(pattern, " ")
	if !ok {
		method, path = "GET", pattern
	}
	path = wildcard.ReplaceAllStringFunc(path, func(w string) string {
		if w == "{$}" {
			return ""
		}
		return "1"
	})
	return method, path
}

// TestRoutes_everyRouteDeclaresAPermission walks every registered route of
// the UI and the API: each declares a permission, only the explicit public
// list is public, and each guarded route refuses an anonymous caller.
func TestRoutes_everyRouteDeclaresAPermission(t *testing.T) {
	s := apptest.Start(t, dbtest.Kinds()[0], nil)
	seeded(t, s)
	routes := s.Routes.Routes()
	var ui, api int
	for _, r := range routes {
		if r.Perm == "" {
			t.Errorf("%s has no permission", r.Pattern)
		}
		if r.Perm == auth.PermPublic && !contains(authz.PublicPatterns, r.Pattern) {
			t.Errorf("%s is public but not in the public list", r.Pattern)
		}
		if r.Surface == "ui" {
			ui++
		} else {
			api++
		}
		if r.Perm == auth.PermPublic {
			continue
		}
		method, path := routePath(r.Pattern)
		req, _ := http.NewRequest(method, s.URL+path, nil)
		if method == http.MethodPost || method == http.MethodPatch {
			req.Header.Set("Content-Type", "application/json")
			req.Body = http.NoBody
		}
		res := apptest.Do(t, s.Client(), req)
		switch r.Surface {
		case "ui":
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
				t.Errorf("anonymous %s %s = %d %s, want a redirect to /signin", method, path, res.StatusCode, res.Header.Get("Location"))
			}
		case "api":
			if res.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
				t.Errorf("anonymous %s %s = %d %s, want 401 problem+json", method, path, res.StatusCode, res.Header.Get("Content-Type"))
			}
		}
	}
	if ui < 30 || api < 9 {
		t.Errorf("walked %d UI and %d API routes; registration seems incomplete", ui, api)
	}
	// The public list is short and every entry of it is really registered.
	for _, p := range authz.PublicPatterns {
		if _, ok := s.Routes.Lookup(p); !ok {
			t.Errorf("public pattern %q is not registered", p)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestAuthorization_advisorIsRefusedAdminPagesAndEachDenialIsLogged(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		seeded(t, s)
		c := s.Client()
		s.SignIn(t, c, advEmail, advPass)
		for _, p := range []string{"/admin/users", "/admin/users/new", "/admin/audit", "/admin/audit.csv", "/admin/settings", "/admin/users/1"} {
			res := s.Get(t, c, p)
			if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "You do not have access to this page") {
				t.Errorf("advisor GET %s = %d", p, res.StatusCode)
			}
		}
		res := s.PostForm(t, c, "/admin/users", url.Values{"email": {"x@firm.test"}, "name": {"X"}, "role": {"owner"}, "password": {ownerPass}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("advisor POST /admin/users = %d", res.StatusCode)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM users"); n != 2 {
			t.Errorf("users = %d after a refused create", n)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.denied'"); n != 7 {
			t.Errorf("denials logged = %d, want 7", n)
		}
		home := s.Get(t, c, "/")
		if strings.Contains(home.Body, `href="/admin/users"`) || strings.Contains(home.Body, `href="/admin/audit"`) {
			t.Error("advisor's navigation shows admin modules")
		}
	})
}

func TestSignIn_wrongPasswordAndUnknownUserGetTheSameAnswer(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		seeded(t, s)
		wrong := s.PostForm(t, s.Client(), "/signin", url.Values{"email": {ownerEmail}, "password": {"not the password at all"}})
		unknown := s.PostForm(t, s.Client(), "/signin", url.Values{"email": {"nobody@firm.test"}, "password": {"not the password at all"}})
		for _, res := range []apptest.Response{wrong, unknown} {
			if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "The email or password is incorrect.") {
				t.Errorf("failed sign-in = %d\n%s", res.StatusCode, res.Body)
			}
			if res.Header.Get("Set-Cookie") != "" && strings.Contains(res.Header.Get("Set-Cookie"), "folio_session=") {
				t.Error("a failed sign-in set a session cookie")
			}
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.signin_failed'"); n != 2 {
			t.Errorf("failed sign-ins logged = %d, want 2", n)
		}
	})
}

func TestSignIn_throttledAfterTenFailuresWithoutRevealingTheAccount(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		seeded(t, s)
		for _, email := range []string{ownerEmail, "ghost@firm.test"} {
			for range 10 {
				s.PostForm(t, s.Client(), "/signin", url.Values{"email": {email}, "password": {"wrong wrong wrong"}})
			}
		}
		// The right password is refused too, and both accounts answer alike.
		real := s.PostForm(t, s.Client(), "/signin", url.Values{"email": {ownerEmail}, "password": {ownerPass}})
		ghost := s.PostForm(t, s.Client(), "/signin", url.Values{"email": {"ghost@firm.test"}, "password": {ownerPass}})
		for _, res := range []apptest.Response{real, ghost} {
			if res.StatusCode != http.StatusTooManyRequests || !strings.Contains(res.Body, "Too many failed sign-in attempts") {
				t.Errorf("throttled sign-in = %d", res.StatusCode)
			}
		}
		// Another account from the same address still signs in (the IP limit is 50).
		s.SignIn(t, s.Client(), advEmail, advPass)
	})
}

func TestSession_newTokenAtSignInAndCookieAttributes(t *testing.T) {
	each(t, func(c *config.Config) { c.BaseURL = "https://crm.example.com" }, func(t *testing.T, s *apptest.Server) {
		seeded(t, s)
		res := s.PostForm(t, s.Client(), "/signin", url.Values{"email": {ownerEmail}, "password": {ownerPass}})
		cookie := res.Header.Get("Set-Cookie")
		for _, want := range []string{"__Host-folio_session=", "HttpOnly", "SameSite=Lax", "Secure", "Path=/"} {
			if !strings.Contains(cookie, want) {
				t.Errorf("session cookie %q lacks %s", cookie, want)
			}
		}
		res2 := s.PostForm(t, s.Client(), "/signin", url.Values{"email": {ownerEmail}, "password": {ownerPass}})
		if res2.Header.Get("Set-Cookie") == cookie {
			t.Error("two sign-ins got the same session token")
		}
		if n := count(t, s, "SELECT COUNT(*) FROM sessions WHERE token_hash LIKE 'folio%' OR length(token_hash) <> 64"); n != 0 {
			t.Error("session tokens are not stored hashed")
		}
	})
}

func TestSession_disabledUserSessionDiesAtOnce(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		_, adv := seeded(t, s)
		ac := s.Client()
		s.SignIn(t, ac, advEmail, advPass)
		if res := s.Get(t, ac, "/"); res.StatusCode != 200 {
			t.Fatalf("advisor home = %d", res.StatusCode)
		}
		oc := s.Client()
		s.SignIn(t, oc, ownerEmail, ownerPass)
		if res := s.PostForm(t, oc, "/admin/users/"+adv.IDString()+"/disable", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable = %d\n%s", res.StatusCode, res.Body)
		}
		if res := s.Get(t, ac, "/account"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
			t.Errorf("disabled advisor's next request = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		res := s.PostForm(t, s.Client(), "/signin", url.Values{"email": {advEmail}, "password": {advPass}})
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "disabled") {
			t.Errorf("disabled advisor signing in = %d", res.StatusCode)
		}
	})
}

func TestSession_signOutEndsTheSession(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		seeded(t, s)
		c := s.Client()
		s.SignIn(t, c, ownerEmail, ownerPass)
		u, _ := url.Parse(s.URL)
		old := c.Jar.Cookies(u)
		if res := s.PostForm(t, c, "/signout", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign out = %d", res.StatusCode)
		}
		// Replaying the old cookie no longer works.
		c2 := s.Client()
		c2.Jar.SetCookies(u, old)
		if res := s.Get(t, c2, "/account"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("old cookie after sign-out = %d", res.StatusCode)
		}
	})
}

func TestPasswordReset_linkIgnoresForgedHostHeader(t *testing.T) {
	each(t, func(c *config.Config) { c.BaseURL = "https://crm.example.com" }, func(t *testing.T, s *apptest.Server) {
		seeded(t, s)
		req, _ := http.NewRequest(http.MethodPost, s.URL+"/password/forgot", strings.NewReader(url.Values{"email": {advEmail}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Host = "evil.example"
		req.Header.Set("X-Forwarded-Host", "evil.example")
		if res := apptest.Do(t, s.Client(), req); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("forgot = %d", res.StatusCode)
		}
		var body string
		if err := s.DB.QueryRowContext(context.Background(), "SELECT body_text FROM mail_outbox WHERE to_addr = ?", advEmail).Scan(&body); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(body, "evil") || !strings.Contains(body, "https://crm.example.com/password/reset/") {
			t.Fatalf("reset mail:\n%s", body)
		}
		link := regexp.MustCompile(`https://crm\.example\.com(/password/reset/[a-z2-7]+)`).FindStringSubmatch(body)
		c := s.Client()
		if res := s.Get(t, c, link[1]); res.StatusCode != 200 {
			t.Fatalf("reset form = %d", res.StatusCode)
		}
		newPass := "thistle compass meadow 77"
		res := s.PostForm(t, c, link[1], url.Values{"password": {newPass}, "password_confirm": {newPass}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset = %d\n%s", res.StatusCode, res.Body)
		}
		s.SignIn(t, s.Client(), advEmail, newPass)
		if res := s.Get(t, c, link[1]); res.StatusCode != http.StatusNotFound {
			t.Errorf("used reset link = %d, want 404", res.StatusCode)
		}
		// An unknown address gets the same answer and no mail.
		res = s.PostForm(t, s.Client(), "/password/forgot", url.Values{"email": {"nobody@firm.test"}})
		if res.StatusCode != http.StatusSeeOther || count(t, s, "SELECT COUNT(*) FROM mail_outbox") != 1 {
			t.Errorf("unknown address: %d, outbox = %d", res.StatusCode, count(t, s, "SELECT COUNT(*) FROM mail_outbox"))
		}
	})
}

func TestCrossOriginPOST_isRefusedAndWritesNothing(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		seeded(t, s)
		for name, h := range map[string][2]string{
			"sec-fetch-site": {"Sec-Fetch-Site", "cross-site"},
			"origin":         {"Origin", "https://evil.example"},
		} {
			req, _ := http.NewRequest(http.MethodPost, s.URL+"/signin", strings.NewReader(url.Values{"email": {ownerEmail}, "password": {ownerPass}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set(h[0], h[1])
			res := apptest.Do(t, s.Client(), req)
			if res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "another site") {
				t.Errorf("%s: cross-origin POST = %d", name, res.StatusCode)
			}
		}
		if n := count(t, s, "SELECT COUNT(*) FROM sessions"); n != 0 {
			t.Errorf("cross-origin sign-in created %d sessions", n)
		}
	})
}

func TestOversizedBody_getsA413Page(t *testing.T) {
	each(t, func(c *config.Config) { c.MaxBodyBytes = 4096 }, func(t *testing.T, s *apptest.Server) {
		seeded(t, s)
		big := url.Values{"email": {ownerEmail}, "password": {strings.Repeat("x", 10000)}}
		res := s.PostForm(t, s.Client(), "/signin", big)
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("oversized form = %d", res.StatusCode)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM sign_in_attempts"); n != 0 {
			t.Errorf("oversized form was processed")
		}
	})
}

func TestPages_securityHeadersAndErrorPages(t *testing.T) {
	s := apptest.Start(t, dbtest.Kinds()[0], nil)
	seeded(t, s)
	c := s.Client()
	s.SignIn(t, c, ownerEmail, ownerPass)
	res := s.Get(t, c, "/")
	csp := res.Header.Get("Content-Security-Policy")
	for _, want := range []string{"frame-ancestors 'none'", "script-src 'self'", "default-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %s", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(res.Body, "<script>") || strings.Contains(res.Body, " onclick=") {
		t.Error("inline script is allowed or used")
	}
	for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin", "Cache-Control": "no-store", "X-Frame-Options": "DENY"} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Error("no request id")
	}
	nf := s.Get(t, c, "/no/such/page")
	if nf.StatusCode != 404 || !strings.Contains(nf.Body, `class="error-code">404`) || !strings.Contains(nf.Body, "Olivia Owner") {
		t.Errorf("404 page = %d", nf.StatusCode)
	}
	css := s.Get(t, c, "/static/app.css?v=1")
	if css.StatusCode != 200 || !strings.Contains(css.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("static css = %d %q", css.StatusCode, css.Header.Get("Cache-Control"))
	}
	if res := s.Get(t, s.Client(), "/healthz"); res.StatusCode != 200 {
		t.Errorf("healthz = %d", res.StatusCode)
	}
	if res := s.Get(t, s.Client(), "/readyz"); res.StatusCode != 200 {
		t.Errorf("readyz = %d %s", res.StatusCode, res.Body)
	}
}

func TestAuditLog_browseFilterAndExportCSV(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		seeded(t, s)
		// A name that a spreadsheet would run as a formula.
		s.CreateUser(t, "formula@firm.test", "=HYPERLINK(\"http://x\")", auth.RoleReadOnly, advPass, auth.Grants{})
		s.SignIn(t, s.Client(), "formula@firm.test", advPass)
		c := s.Client()
		s.SignIn(t, c, ownerEmail, ownerPass)
		page := s.Get(t, c, "/admin/audit?action=user.create")
		if page.StatusCode != 200 || !strings.Contains(page.Body, `title="user.create">Created a user</td>`) || strings.Contains(page.Body, `title="auth.signin">`) {
			t.Errorf("filtered audit page = %d", page.StatusCode)
		}
		bad := s.Get(t, c, "/admin/audit?from=yesterday")
		if bad.StatusCode != http.StatusBadRequest || !strings.Contains(bad.Body, "Use a date like") {
			t.Errorf("bad date filter = %d", bad.StatusCode)
		}
		csv := s.Get(t, c, "/admin/audit.csv")
		if csv.StatusCode != 200 || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(csv.Body, "id,time_utc,") {
			t.Fatalf("audit csv = %d %s", csv.StatusCode, csv.Header.Get("Content-Type"))
		}
		if strings.Contains(csv.Body, ",=HYPERLINK") || strings.Contains(csv.Body, ",\"=HYPERLINK") || !strings.Contains(csv.Body, "'=HYPERLINK") {
			t.Error("formula in the CSV export is not neutralised")
		}
		// The UI offers no way to change the log.
		for _, m := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
			req, _ := http.NewRequest(m, s.URL+"/admin/audit", nil)
			if res := apptest.Do(t, c, req); res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed {
				t.Errorf("%s /admin/audit = %d", m, res.StatusCode)
			}
		}
	})
}

func TestPasswordReset_mailIsDeliveredThroughTheOutbox(t *testing.T) {
	for _, k := range dbtest.Kinds() {
		t.Run(k.Name, func(t *testing.T) {
			smtpd := mailtest.Start(t)
			s := apptest.Start(t, k, func(c *config.Config) {
				c.BaseURL, c.SMTPURL, c.SMTPFrom = "https://crm.example.com", smtpd.URL(), "Folio <folio@example.com>"
			})
			seeded(t, s)
			if res := s.PostForm(t, s.Client(), "/password/forgot", url.Values{"email": {advEmail}}); res.StatusCode != http.StatusSeeOther {
				t.Fatalf("forgot = %d", res.StatusCode)
			}
			msgs := smtpd.Wait(t, 1, 10*time.Second)
			if msgs[0].To[0] != advEmail || !strings.Contains(msgs[0].Data, "https://crm.example.com/password/reset/") {
				t.Errorf("delivered %+v", msgs[0])
			}
		})
	}
}
