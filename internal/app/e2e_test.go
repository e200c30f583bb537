package app_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

// TestBrowser_ownerSetupThenAdvisorIsRefusedUserAdmin walks the first run in
// a real browser: the owner sets Folio up, signs out and in again, creates
// an advisor with a password (after a validation error), and the advisor is
// then refused the user administration.
func TestBrowser_ownerSetupThenAdvisorIsRefusedUserAdmin(t *testing.T) {
	chromiumPath(t) // skip before booting the server when there is no browser
	srv := apptest.Start(t, dbtest.Kinds()[0], nil)
	b := startBrowser(t, srv.URL)

	const (
		ownerName       = "Olivia Owner"
		ownerEmail      = "olivia@example.com"
		ownerPassword   = "correct horse battery staple 42"
		advisorName     = "Adam Advisor"
		advisorEmail    = "adam@example.com"
		advisorPassword = "purple elephant river tango 7"
	)

	// A fresh Folio sends every visitor to the first-run setup.
	if status := b.open("/"); status != http.StatusOK {
		t.Fatalf("GET / ended with status %d, want 200 (the setup page)", status)
	}
	if p := b.path(); p != "/setup" {
		t.Fatalf("a fresh Folio opened %s, want /setup", p)
	}
	if h := b.text("h1"); h != "Set up Folio" {
		t.Errorf("setup heading %q", h)
	}
	b.screenshot("01-setup")

	b.fill("#name", ownerName)
	b.fill("#email", ownerEmail)
	b.fill("#password", ownerPassword)
	b.fill("#password_confirm", ownerPassword)
	if status := b.submit(`form[action="/setup"] button[type=submit]`); status != http.StatusOK {
		t.Fatalf("setup ended with status %d", status)
	}
	expectHome(t, b, ownerName)
	if f := b.text(".flash.flash-success"); !strings.Contains(f, "Welcome to Folio") {
		t.Errorf("setup flash %q", f)
	}
	if nav := navLinks(b); !slices.Contains(nav, "Users") {
		t.Errorf("the owner's main nav %q has no Users link", nav)
	}
	b.screenshot("02-home")

	// The same home on a small phone.
	b.viewport(360, 740)
	if status := b.open("/"); status != http.StatusOK {
		t.Fatalf("home at 360px: status %d", status)
	}
	if w := eval[int](b, "document.documentElement.scrollWidth"); w > 360 {
		t.Logf("note: the home page is %dpx wide at a 360px viewport (horizontal overflow)", w)
	}
	b.screenshot("03-home-360x740")
	b.viewport(desktopWidth, desktopHeight)

	signOut(t, b)
	signIn(t, b, ownerEmail, ownerPassword)
	expectHome(t, b, ownerName)

	// New user: a bad email first, which must come back with the error
	// next to the email field.
	if status := b.open("/admin/users/new"); status != http.StatusOK {
		t.Fatalf("GET /admin/users/new: status %d", status)
	}
	if h := b.text("h1"); h != "New user" {
		t.Errorf("new user heading %q", h)
	}
	fillNewUser := func(email string) {
		b.fill("#name", advisorName)
		b.fill("#email", email)
		b.do("choose role advisor", chromedp.SetValue(chromedp.CSS("select#role"), "advisor"))
		if eval[bool](b, `document.querySelector("input[name=invite]").checked`) {
			b.do("uncheck invite", chromedp.Click(chromedp.CSS("input[name=invite]")))
		}
		if eval[bool](b, `document.querySelector("input[name=invite]").checked`) {
			t.Fatal("the invite checkbox is still checked after a click")
		}
		b.fill("#password", advisorPassword)
	}
	fillNewUser("not-an-email")
	if status := b.submit(`form[action="/admin/users"] button[type=submit]`); status != http.StatusUnprocessableEntity {
		t.Fatalf("creating a user with a bad email: status %d, want 422", status)
	}
	if msg := b.text("#email-error"); msg == "" {
		t.Error("no error text for the email field")
	}
	// The error sits in the email field's own .field.has-error box.
	if !eval[bool](b, `(() => {
		const f = document.querySelector("#email").closest(".field");
		return f !== null && f.classList.contains("has-error") &&
			f.querySelector(".field-error") === document.querySelector("#email-error") &&
			document.querySelector("#email").getAttribute("aria-invalid") === "true";
	})()`) {
		t.Error("the email error is not inside the email field's .field.has-error")
	}
	if n := eval[int](b, `document.querySelectorAll(".field.has-error .field-error").length`); n != 1 {
		t.Errorf("%d field errors, want 1 (email)", n)
	}
	if !b.exists(".form-errors") {
		t.Error("no error summary above the form")
	}
	if v := run(b, "read #name", chromedp.Value(chromedp.CSS("#name"))); v != advisorName {
		t.Errorf("the name was not kept after the error: %q", v)
	}
	if v := run(b, "read #password", chromedp.Value(chromedp.CSS("#password"))); v != "" {
		t.Error("the password was sent back to the browser")
	}
	b.screenshot("04-new-user-error")

	fillNewUser(advisorEmail)
	if status := b.submit(`form[action="/admin/users"] button[type=submit]`); status != http.StatusOK {
		t.Fatalf("creating the advisor: status %d", status)
	}
	if p := b.path(); !regexp.MustCompile(`^/admin/users/[0-9]+$`).MatchString(p) {
		t.Fatalf("after creating a user the browser is on %s, want /admin/users/{id}", p)
	}
	if f := b.text(".flash.flash-success"); f != advisorName+" can now sign in." {
		t.Errorf("create flash %q", f)
	}
	if h := b.text("h1"); h != advisorName {
		t.Errorf("user page heading %q", h)
	}

	// The advisor signs in and is refused the user administration.
	signOut(t, b)
	signIn(t, b, advisorEmail, advisorPassword)
	expectHome(t, b, advisorName)
	if nav := navLinks(b); slices.Contains(nav, "Users") {
		t.Errorf("the advisor's main nav %q has a Users link", nav)
	}
	if status := b.open("/admin/users"); status != http.StatusForbidden {
		t.Errorf("the advisor got status %d for /admin/users, want 403", status)
	}
	if code := b.text(".error-code"); code != "403" {
		t.Errorf("error code %q, want 403", code)
	}
	if body := b.text("main"); !strings.Contains(body, "You do not have access to this page") {
		t.Errorf("the 403 page says %q", body)
	}
	if nav := navLinks(b); slices.Contains(nav, "Users") {
		t.Errorf("the main nav of the 403 page %q has a Users link", nav)
	}
	b.screenshot("05-forbidden")

	b.checkPage()
	for _, n := range b.watch.Notes() {
		t.Log(n)
	}
}

// expectHome checks that the browser is on the home page of name.
func expectHome(t *testing.T, b *browser, name string) {
	t.Helper()
	if p := b.path(); p != "/" {
		t.Fatalf("on %s, want home /", p)
	}
	if h := b.text("h1"); h != "Good to see you, "+name {
		t.Errorf("home heading %q, want the name %q", h, name)
	}
	if n := b.text("details.usermenu .usermenu-name"); n != name {
		t.Errorf("user menu shows %q, want %q", n, name)
	}
}

// signOut uses the user menu's Sign out button.
func signOut(t *testing.T, b *browser) {
	t.Helper()
	b.do("open the user menu", chromedp.Click(chromedp.CSS("details.usermenu > summary")))
	if status := b.submit(`details.usermenu form[action="/signout"] button`); status != http.StatusOK {
		t.Fatalf("sign out: status %d", status)
	}
	if p := b.path(); p != "/signin" {
		t.Fatalf("after signing out the browser is on %s, want /signin", p)
	}
	if f := b.text(".flash"); f != "You have signed out." {
		t.Errorf("sign-out flash %q", f)
	}
}

// signIn fills the sign-in form of the current page.
func signIn(t *testing.T, b *browser, email, password string) {
	t.Helper()
	if p := b.path(); p != "/signin" {
		if status := b.open("/signin"); status != http.StatusOK {
			t.Fatalf("GET /signin: status %d", status)
		}
	}
	b.fill("#email", email)
	b.fill("#password", password)
	if status := b.submit(`form[action="/signin"] button[type=submit]`); status != http.StatusOK {
		t.Fatalf("sign in as %s: status %d", email, status)
	}
}

// navLinks are the texts of the main navigation's links, then those of
// the administration pages in the user menu.
func navLinks(b *browser) []string {
	b.t.Helper()
	return eval[[]string](b, `Array.from(document.querySelectorAll("nav.mainnav a, .usermenu a.admin-link"), a => a.textContent.trim())`)
}
