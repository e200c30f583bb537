package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

// seedBook fills Folio with a small, varied book of contacts, the way an
// advisor's looks, and returns the id of the fully filled one (Ana Ribeiro).
func seedBook(t *testing.T, s *apptest.Server, owner, adv *auth.User) int64 {
	t.Helper()
	people := []struct {
		first, last, email, phone, city, country, stage string
		cat                                             int64
		by                                              *auth.User
	}{
		{"Bruno", "Costa", "bruno.costa@example.com", "+351 912 000 111", "Porto", "PT", "invited", 2, owner},
		{"Carla", "Alves", "carla@alves.example", "+44 20 7946 0958", "London", "GB", "registered", 1, adv},
		{"David", "Okafor", "d.okafor@example.org", "+1 212 555 0147", "New York", "US", "funded", 1, owner},
		{"Emma", "Schneider", "emma.schneider@example.de", "+49 30 901820", "Berlin", "DE", "application_submitted", 1, adv},
		{"Farah", "Haddad", "farah@haddad.example", "+971 4 555 0199", "Dubai", "AE", "approved", 1, owner},
		{"Gustav", "Lindqvist", "gustav@example.se", "+46 8 555 123 45", "Stockholm", "SE", "not_invited", 2, owner},
		{"Hana", "Kobayashi", "hana.k@example.jp", "+81 3 5555 0100", "Tokyo", "JP", "rejected", 3, adv},
		{"Isabel", "Moreno", "isabel.moreno@example.es", "+34 91 555 0123", "Madrid", "ES", "not_invited", 2, owner},
		{"Jonas", "Weber", "", "+41 44 555 01 23", "Zurich", "CH", "invited", 5, owner},
		{"Kofi", "Mensah", "kofi@mensah.example", "", "Accra", "GH", "not_invited", 4, adv},
		{"Laura", "Bianchi", "laura.bianchi@example.it", "+39 06 5555 0101", "Rome", "IT", "funded", 1, owner},
		{"Marta", "Nowak", "marta.nowak@example.pl", "+48 22 555 01 01", "Warsaw", "PL", "application_started", 2, owner},
	}
	for _, p := range people {
		c := person(p.first, p.last, p.email)
		c.CategoryID, c.Stage = p.cat, p.stage
		if p.phone != "" {
			c.Phones = []contact.Phone{{Label: "mobile", Number: p.phone}}
		}
		c.Addresses = []contact.Address{{Label: "home", Line1: "1 Main Street", City: p.city, Country: p.country}}
		id := addContact(t, s, p.by, c)
		if p.stage == "funded" {
			if err := s.Contacts.SetTags(asUser(owner), contact.ViewerFor(owner), id, []string{"vip", "quarterly review"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	trust := addContact(t, s, owner, &contact.Contact{Kind: contact.Trust, EntityName: "Ribeiro Family Trust", CategoryID: 1,
		InvestedMinor: 125000000, Currency: "EUR", Stage: "funded",
		Emails: []contact.Email{{Label: "work", Address: "trustees@ribeiro-trust.example"}}})
	ana := &contact.Contact{Kind: contact.Person, FirstName: "Ana", LastName: "Ribeiro", CategoryID: 1, Stage: "approved",
		Language: "pt-PT", TimeZone: "Europe/Lisbon", BirthDate: "1979-04-12", Citizenship: "PT", ExternalID: "WB-10442",
		Employment: "self_employed", Employer: "Ribeiro Arquitectos", Occupation: "Architect", IncomeSource: "business",
		AnnualIncome: "250k-1m", NetWorth: "1m-5m", TaxResidency: "PT", MarketsTraded: []string{"equities", "funds", "bonds"},
		ExperienceYears: "5+", TradesPerYear: "11-50", Qualification: "none", RiskTolerance: "medium",
		InvestmentObjective: "growth", TimeHorizon: "long", LinkedIn: "https://www.linkedin.com/in/ana-ribeiro",
		Website: "https://ribeiro-arquitectos.example", InvestedMinor: 48000000, Currency: "EUR",
		Emails: []contact.Email{{Label: "work", Address: "ana@ribeiro-arquitectos.example", Primary: true}, {Label: "home", Address: "ana.ribeiro@example.com"}},
		Phones: []contact.Phone{{Label: "mobile", Number: "+351 912 345 678", Primary: true}, {Label: "work", Number: "+351 21 555 0100"}},
		Addresses: []contact.Address{{Label: "home", Line1: "Rua das Flores 28", Line2: "3º Esq.", City: "Lisbon", PostalCode: "1200-195",
			Country: "PT", Primary: true}},
		Identifiers:  []contact.Identifier{{Kind: "tax_id", Country: "PT", Number: "123456789"}, {Kind: "passport", Country: "PT", Number: "CB123456", ExpiresOn: "2031-05-01"}},
		BankAccounts: []contact.BankAccount{{BankName: "Banco Exemplo", Holder: "Ana Ribeiro", IBAN: "PT50000201231234567890154", BIC: "BESCPTPL", Currency: "EUR"}},
	}
	id := addContact(t, s, owner, ana)
	ov := contact.ViewerFor(owner)
	if _, err := s.Contacts.Relate(asUser(owner), ov, trust, id, "beneficiary", "", ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Contacts.SetTags(asUser(owner), ov, id, []string{"vip", "newsletter"}); err != nil {
		t.Fatal(err)
	}
	g, err := s.Contacts.SaveGroup(asUser(owner), ov, 0, "Lisbon seminar", "Invited to the spring seminar")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Contacts.AddToGroup(asUser(owner), ov, g, id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestBrowser_searchOpenAndEditAContactWhileAnotherHoldsTheLock walks the
// CRM in a real browser: search as you type, open the contact, meet the
// edit lock another user holds, edit once it is released, and find the
// change in the History tab — with no CSP violation or script error.
func TestBrowser_searchOpenAndEditAContactWhileAnotherHoldsTheLock(t *testing.T) {
	chromiumPath(t)
	srv := apptest.Start(t, dbtest.Kinds()[0], nil)
	owner, adv := seeded(t, srv)
	ana := seedBook(t, srv, owner, adv)
	b := startBrowser(t, srv.URL)
	signIn(t, b, ownerEmail, ownerPass)
	if p := b.path(); p != "/" {
		t.Fatalf("after sign-in on %s, want the home /", p)
	}
	if !b.exists("table.contact-table") || !strings.Contains(b.text(".pager-count"), "Showing 14 contacts") {
		t.Fatalf("the home is not the contact list: %q", b.text("main"))
	}
	if nav := navLinks(b); len(nav) < 2 || nav[0] != "Contacts" || nav[1] != "Tasks" {
		t.Errorf("main nav %q does not start with Contacts, Tasks", nav)
	}

	// Search as you type: the rows change without a page load and the
	// address keeps the search.
	if status := b.open("/contacts"); status != http.StatusOK {
		t.Fatalf("GET /contacts: %d", status)
	}
	fullShot(b, desktopWidth, desktopHeight, "contacts-list-1280")
	eval[bool](b, `(window.__samePage = true)`)
	b.do("type a search", chromedp.SendKeys(chromedp.CSS("#q"), "ribe"))
	waitFor(t, b, `document.querySelectorAll("table.contact-table tbody tr").length === 2`, "two results for ribe")
	if !eval[bool](b, `window.__samePage === true`) {
		t.Error("the search reloaded the page")
	}
	if loc := b.location(); !strings.HasSuffix(loc, "/contacts?q=ribe") {
		t.Errorf("the address is %s, want /contacts?q=ribe", loc)
	}
	if rows := b.text("table.contact-table tbody"); !strings.Contains(rows, "Ana Ribeiro") || !strings.Contains(rows, "Ribeiro Family Trust") || strings.Contains(rows, "Bruno") {
		t.Errorf("search results: %q", rows)
	}

	// Ticking rows shows the bulk bar with the count.
	b.do("tick a row", chromedp.Click(chromedp.CSS("tbody input[data-row-select]")))
	waitFor(t, b, `document.querySelector("form.bulkbar").classList.contains("active")`, "the bulk bar")
	if n := b.text("form.bulkbar [data-bulk-count]"); n != "1" {
		t.Errorf("bulk count %q", n)
	}
	b.do("untick", chromedp.Click(chromedp.CSS("tbody input[data-row-select]")))

	// Another user holds the edit lease.
	advViewer := contact.ViewerFor(adv)
	if _, err := srv.Contacts.Acquire(asUser(adv), advViewer, ana); err != nil {
		t.Fatal(err)
	}
	if status := b.submit(fmt.Sprintf(`a[href="/contacts/%d"]`, ana)); status != http.StatusOK {
		t.Fatalf("open Ana: %d", status)
	}
	if h := b.text("h1"); h != "Ana Ribeiro" {
		t.Errorf("record heading %q", h)
	}
	if note := b.text(".editor-note"); !strings.Contains(note, "Adam Advisor is editing this contact") {
		t.Errorf("record does not say who edits: %q", note)
	}
	fullShot(b, desktopWidth, desktopHeight, "contact-record-1280")
	if status := b.submit(`.record-actions a[href$="/edit"]`); status != http.StatusOK {
		t.Fatalf("open edit: %d", status)
	}
	if msg := b.text(".lease-notice"); !strings.Contains(msg, "Adam Advisor is editing this contact since") {
		t.Fatalf("lock message %q", msg)
	}
	if !eval[bool](b, `document.querySelector("fieldset.form-body").disabled && document.querySelector("button.btn-primary[type=submit]").disabled`) {
		t.Error("the form is not read-only while another user edits")
	}
	fullShot(b, desktopWidth, desktopHeight, "contact-edit-locked-1280")

	// The other user finishes; try again, change the occupation, save.
	if err := srv.Contacts.Release(asUser(adv), advViewer, ana); err != nil {
		t.Fatal(err)
	}
	if status := b.submit(`.lease-notice a`); status != http.StatusOK {
		t.Fatalf("try again: %d", status)
	}
	if b.exists(".lease-notice") || !b.exists("form[data-heartbeat]") {
		t.Fatal("still locked after the other user released")
	}
	// JavaScript: person fields shown, entity name hidden; rows can be added.
	if !eval[bool](b, `document.querySelector(".kind-entity").hidden && !document.querySelector(".kind-person").hidden && document.querySelector("#joint").hidden`) {
		t.Error("the kind does not choose the fields shown")
	}
	before := eval[int](b, `document.querySelectorAll('[data-repeat="emails"] [data-row]').length`)
	b.do("add an email row", chromedp.Click(chromedp.CSS(`button[data-add-row="emails"]`)))
	if after := eval[int](b, `document.querySelectorAll('[data-repeat="emails"] [data-row]').length`); after != before+1 {
		t.Errorf("email rows %d → %d after Add another", before, after)
	}
	if !eval[bool](b, fmt.Sprintf(`document.activeElement && document.activeElement.name === "emails.%d.address"`, before)) {
		t.Error("the new email row did not get the focus")
	}
	fullShot(b, desktopWidth, desktopHeight, "contact-edit-1280")
	b.fill("#occupation", "Landscape architect")
	if status := b.submit(`form[data-contact-form] button.btn-primary[type=submit]`); status != http.StatusOK {
		t.Fatalf("save: %d", status)
	}
	if p := b.path(); p != fmt.Sprintf("/contacts/%d", ana) {
		t.Fatalf("after saving on %s", p)
	}
	if f := b.text(".flash-success"); !strings.Contains(f, "have been saved") {
		t.Errorf("save flash %q", f)
	}
	if main := b.text("#financial"); !strings.Contains(main, "Landscape architect") {
		t.Errorf("the record does not show the new occupation: %q", main)
	}

	if status := b.submit(`nav.tabs a[href$="/history"]`); status != http.StatusOK {
		t.Fatalf("history: %d", status)
	}
	first := b.text(".timeline-item")
	for _, want := range []string{"Changed the contact", "Olivia Owner", "Occupation", "Architect", "Landscape architect"} {
		if !strings.Contains(first, want) {
			t.Errorf("the newest history entry %q lacks %q", first, want)
		}
	}
	fullShot(b, desktopWidth, desktopHeight, "contact-history-1280")

	// The same pages on a phone.
	b.viewport(390, 844)
	for _, pg := range []struct{ path, shot string }{
		{"/contacts", "contacts-list-390"},
		{fmt.Sprintf("/contacts/%d", ana), "contact-record-390"},
		{fmt.Sprintf("/contacts/%d/edit", ana), "contact-edit-390"},
	} {
		if status := b.open(pg.path); status != http.StatusOK {
			t.Fatalf("GET %s at 390px: %d", pg.path, status)
		}
		if w := eval[int](b, "document.documentElement.scrollWidth"); w > 390 {
			t.Errorf("%s is %dpx wide at a 390px viewport", pg.path, w)
		}
		fullShot(b, 390, 844, pg.shot)
	}
	b.do("release", chromedp.Click(chromedp.CSS(`button[formaction$="/lease/release"]`)))
	b.viewport(desktopWidth, desktopHeight)

	b.checkPage()
	for _, n := range b.watch.Notes() {
		t.Log(n)
	}
}

// fullShot takes a full-page screenshot (with FOLIO_SCREENSHOTS) with the
// viewport as tall as the page, so that sticky bars sit where a reader of
// the page would see them, then restores the viewport.
func fullShot(b *browser, w, h int64, name string) {
	b.t.Helper()
	if b.shots == "" {
		return
	}
	eval[bool](b, `(window.scrollTo(0, 0), true)`)
	b.viewport(w, int64(eval[int](b, "document.documentElement.scrollHeight")))
	b.screenshot(name)
	b.viewport(w, h)
}

// waitFor polls a JavaScript condition until it holds.
func waitFor(t *testing.T, b *browser, cond, what string) {
	t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for time.Now().Before(deadline) {
		if eval[bool](b, cond) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("waiting for %s: %s never held (page %s)", what, cond, b.location())
}
