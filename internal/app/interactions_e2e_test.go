package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/config"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/mail/mailtest"
)

// setValue sets the value of a form control by script (date and time
// inputs take keys in the browser's locale format) and tells the page.
func (b *browser) setValue(sel, value string) {
	b.t.Helper()
	b.do("set "+sel, chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
		`(el => { el.value = %s; el.dispatchEvent(new Event("input", {bubbles: true})); el.dispatchEvent(new Event("change", {bubbles: true})); })(document.querySelector(%s))`,
		jsString(value), jsString(sel))))
}

// From a contact's Timeline tab a user adds a note, a task and an event
// and sends an email (delivered through a real SMTP server); all four are
// on the timeline, newest first, and the kind filter keeps one kind.
func TestBrowser_noteTaskEventAndEmailAllOnTheTimeline(t *testing.T) {
	chromiumPath(t)
	smtp := mailtest.Start(t)
	srv := apptest.Start(t, dbtest.Kinds()[0], func(c *config.Config) { c.SMTPURL = smtp.URL() })
	owner, _ := seeded(t, srv)
	ana := addContact(t, srv, owner, person("Ana", "Silva", "ana@example.com"))
	tl := fmt.Sprintf("/contacts/%d/timeline", ana)
	b := startBrowser(t, srv.URL)
	signIn(t, b, ownerEmail, ownerPass)

	if status := b.open(tl); status != http.StatusOK {
		t.Fatalf("GET %s: %d", tl, status)
	}
	if !strings.Contains(b.text(".timeline-card"), "Nothing on the timeline yet") {
		t.Errorf("empty timeline says %q", b.text(".timeline-card"))
	}
	fullShot(b, desktopWidth, desktopHeight, "timeline-empty-1280")

	// A note, in Markdown.
	b.fill("#body", "Called Ana about the **ISA** transfer.")
	if status := b.submit(`.note-composer button[type=submit]`); status != http.StatusOK {
		t.Fatalf("add note: %d", status)
	}
	if got := b.text(".timeline-item.timeline-note .note-body strong"); got != "ISA" {
		t.Errorf("note rendered as %q", b.text(".timeline-item.timeline-note"))
	}

	// A task, from the timeline's own button.
	if status := b.submit(`.note-composer a[href^="/tasks/new"]`); status != http.StatusOK {
		t.Fatalf("open new task: %d", status)
	}
	b.fill("#title", "Send the ISA transfer form")
	b.setValue("#due_date", "2031-03-14")
	if status := b.submit(`form button.btn-primary[type=submit]`); status != http.StatusOK {
		t.Fatalf("create task: %d (%s)", status, b.text("main"))
	}

	// An event with Ana as attendee.
	if status := b.open(tl); status != http.StatusOK {
		t.Fatal(status)
	}
	if status := b.submit(`.note-composer a[href^="/events/new"]`); status != http.StatusOK {
		t.Fatalf("open new event: %d", status)
	}
	b.fill("#title", "Annual review with Ana")
	b.setValue("#start_date", "2031-03-20")
	b.setValue("#start_time", "10:00")
	b.setValue("#end_date", "2031-03-20")
	b.setValue("#end_time", "11:00")
	if status := b.submit(`form button.btn-primary[type=submit]`); status != http.StatusOK {
		t.Fatalf("create event: %d (%s)", status, b.text("main"))
	}

	// An email.
	if status := b.open(tl); status != http.StatusOK {
		t.Fatal(status)
	}
	if status := b.submit(`.note-composer a[href$="/email"]`); status != http.StatusOK {
		t.Fatalf("open compose: %d", status)
	}
	b.fill("#subject", "Your ISA transfer")
	b.fill("#body", "Dear {{first_name}}, the form is on its way.")
	if status := b.submit(`button[name=action][value=send]`); status != http.StatusOK {
		t.Fatalf("send email: %d (%s)", status, b.text("main"))
	}
	for deadline := time.Now().Add(stepTimeout); len(smtp.Messages()) == 0 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
	if msgs := smtp.Messages(); len(msgs) != 1 || !strings.Contains(msgs[0].Data, "Dear Ana, the form is on its way.") {
		t.Errorf("delivered: %+v", msgs)
	}

	// All four on the timeline, each with its kind.
	if status := b.open(tl); status != http.StatusOK {
		t.Fatal(status)
	}
	kinds := eval[[]string](b, `[...document.querySelectorAll(".timeline-card .timeline-item .timeline-head .badge:first-child")].map(e => e.textContent.trim())`)
	text := b.text(".timeline-card")
	for _, want := range []string{"Called Ana about the ISA transfer.", "Send the ISA transfer form", "Annual review with Ana", "Your ISA transfer"} {
		if !strings.Contains(text, want) {
			t.Errorf("timeline lacks %q:\n%s", want, text)
		}
	}
	for _, k := range []string{"Note", "Task", "Event", "Email"} {
		if !strings.Contains(strings.Join(kinds, ","), k) {
			t.Errorf("timeline kinds %v lack %s", kinds, k)
		}
	}
	fullShot(b, desktopWidth, desktopHeight, "timeline-four-kinds-1280")

	// The kind filter keeps one kind.
	if status := b.submit(`.kind-filter a[href$="kind=email"]`); status != http.StatusOK {
		t.Fatal(status)
	}
	if got := b.text(".timeline-card .timeline"); !strings.Contains(got, "Your ISA transfer") || strings.Contains(got, "Annual review") {
		t.Errorf("emails only: %q", got)
	}
	b.viewport(390, 844)
	fullShot(b, 390, 844, "timeline-emails-390")
	b.viewport(desktopWidth, desktopHeight)

	// A ticket from the timeline's button, then a comment on it.
	if status := b.open(tl); status != http.StatusOK {
		t.Fatal(status)
	}
	if status := b.submit(`.note-composer a[href^="/tickets/new"]`); status != http.StatusOK {
		t.Fatalf("open new ticket: %d", status)
	}
	b.fill("#title", "Statement for March is missing")
	b.fill("#description", "Ana asked for the **March** statement.")
	if status := b.submit(`form button.btn-primary[type=submit]`); status != http.StatusOK {
		t.Fatalf("create ticket: %d (%s)", status, b.text("main"))
	}
	if h := b.text("h1"); !strings.Contains(h, "Statement for March is missing") {
		t.Errorf("ticket page heading %q", h)
	}
	fullShot(b, desktopWidth, desktopHeight, "ticket-1280")

	// The other pages of the day's work open cleanly and show what was made.
	for _, p := range []struct{ path, want, shot string }{
		{"/tasks", "Send the ISA transfer form", "tasks-1280"},
		{"/calendar?date=2031-03-20", "Annual review with Ana", "calendar-week-1280"},
		{"/calendar?view=month&date=2031-03-20", "Annual review with Ana", "calendar-month-1280"},
		{"/tickets", "Statement for March is missing", "tickets-1280"},
		{"/email-templates", "template", "email-templates-1280"},
		{"/emails/unfiled", "nfiled", "unfiled-1280"},
		{"/account", "BCC", "account-1280"},
	} {
		if status := b.open(p.path); status != http.StatusOK {
			t.Errorf("GET %s: %d", p.path, status)
			continue
		}
		if got := b.text("main"); !strings.Contains(got, p.want) {
			t.Errorf("%s lacks %q:\n%s", p.path, p.want, got)
		}
		fullShot(b, desktopWidth, desktopHeight, p.shot)
	}
	b.checkPage()
}
