package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/foliocrm/folio/internal/app/apptest"
)

var keyRe = regexp.MustCompile(`<code class="mono">([A-Z2-7]+)</code>`)

// enrol turns TOTP on for the signed-in client and returns the secret, the
// code it used and the recovery codes.
func enrol(t *testing.T, s *apptest.Server, c *http.Client) (string, string, []string) {
	t.Helper()
	if res := s.PostForm(t, c, "/account/totp/start", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start = %d", res.StatusCode)
	}
	page := s.Get(t, c, "/account/security")
	m := keyRe.FindStringSubmatch(page.Body)
	if m == nil || !strings.Contains(page.Body, `src="data:image/png;base64,`) {
		t.Fatalf("no key or QR code on the enrolment page:\n%s", page.Body)
	}
	bad := s.PostForm(t, c, "/account/totp/confirm", url.Values{"code": {"000000"}})
	if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "does not match") {
		t.Errorf("wrong enrolment code = %d", bad.StatusCode)
	}
	code, _ := totp.GenerateCode(m[1], time.Now())
	res := s.PostForm(t, c, "/account/totp/confirm", url.Values{"code": {code}})
	codes := regexp.MustCompile(`<li><code>([a-z2-7]{5}-[a-z2-7]{5})</code></li>`).FindAllStringSubmatch(res.Body, -1)
	if res.StatusCode != 200 || len(codes) != 10 {
		t.Fatalf("confirm = %d with %d recovery codes\n%s", res.StatusCode, len(codes), res.Body)
	}
	var out []string
	for _, c := range codes {
		out = append(out, c[1])
	}
	return m[1], code, out
}

func TestTOTP_enrolSignInCodeReuseAndRecoveryCodes(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		seeded(t, s)
		c := s.Client()
		s.SignIn(t, c, ownerEmail, ownerPass)
		secret, used, recovery := enrol(t, s, c)

		// Signing in now asks for the second factor; nothing else opens.
		c2 := s.Client()
		res := s.PostForm(t, c2, "/signin", url.Values{"email": {ownerEmail}, "password": {ownerPass}})
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin/totp") {
			t.Fatalf("password step = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if res := s.Get(t, c2, "/account"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin/totp" {
			t.Errorf("half-signed-in GET /account = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		// The code used to enrol was spent; the next one works once.
		res = s.PostForm(t, c2, "/signin/totp", url.Values{"code": {used}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "already been used") {
			t.Errorf("reused code = %d", res.StatusCode)
		}
		next, _ := totp.GenerateCode(secret, time.Now().Add(30*time.Second))
		if res := s.PostForm(t, c2, "/signin/totp", url.Values{"code": {next}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Fatalf("fresh code = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if res := s.Get(t, c2, "/account"); res.StatusCode != 200 {
			t.Errorf("after the second factor GET /account = %d", res.StatusCode)
		}
		// A recovery code works once.
		for i, want := range []int{http.StatusSeeOther, http.StatusUnprocessableEntity} {
			c3 := s.Client()
			s.PostForm(t, c3, "/signin", url.Values{"email": {ownerEmail}, "password": {ownerPass}})
			if res := s.PostForm(t, c3, "/signin/totp", url.Values{"code": {strings.ToUpper(recovery[0])}}); res.StatusCode != want {
				t.Errorf("recovery code use %d = %d, want %d", i+1, res.StatusCode, want)
			}
		}
	})
}

func TestTOTP_ownerCanRequireItForEveryone(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		seeded(t, s)
		oc := s.Client()
		s.SignIn(t, oc, ownerEmail, ownerPass)
		// Refused until the owner has it.
		s.PostForm(t, oc, "/admin/settings", url.Values{"require_totp": {"on"}})
		if n := count(t, s, "SELECT COUNT(*) FROM settings WHERE key = 'require_totp' AND value = 'true'"); n != 0 {
			t.Fatal("requirement switched on by an owner without TOTP")
		}
		enrol(t, s, oc)
		if res := s.PostForm(t, oc, "/admin/settings", url.Values{"require_totp": {"on"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("settings = %d", res.StatusCode)
		}
		ac := s.Client()
		s.SignIn(t, ac, advEmail, advPass)
		res := s.Get(t, ac, "/")
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/security" {
			t.Fatalf("advisor without TOTP GET / = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if res := s.Get(t, ac, "/account/security"); res.StatusCode != 200 || !strings.Contains(res.Body, "Required by your firm") {
			t.Errorf("enrolment page = %d", res.StatusCode)
		}
		enrol(t, s, ac)
		if res := s.Get(t, ac, "/"); res.StatusCode != 200 {
			t.Errorf("advisor with TOTP GET / = %d", res.StatusCode)
		}
		// And it cannot be turned off while required.
		res = s.PostForm(t, ac, "/account/totp/disable", url.Values{"current_password": {advPass}})
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("disable while required = %d", res.StatusCode)
		}
	})
}
