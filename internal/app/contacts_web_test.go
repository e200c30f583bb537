package app_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// The staff UI of contacts, driven over HTTP against the real server on
// every database kind.

const (
	limEmail  = "limited@firm.test"
	limPass   = "quartz meadow lantern 5150"
	readEmail = "reader@firm.test"
	readPass  = "saffron tunnel violet 8080"
)

// asUser is a context acting as u in the staff UI, for set-up through the
// service.
func asUser(u *auth.User) context.Context {
	return audit.WithActor(context.Background(), u.Actor(audit.ChannelUI, "127.0.0.1"))
}

// addContact creates a contact through the service and returns its id.
func addContact(t *testing.T, s *apptest.Server, by *auth.User, c *contact.Contact) int64 {
	t.Helper()
	if c.CategoryID == 0 {
		c.CategoryID = 1
	}
	id, err := s.Contacts.Create(asUser(by), contact.ViewerFor(by), c)
	if err != nil {
		t.Fatalf("create %s: %v %v", c.Name(), err, errs.FieldsOf(err))
	}
	return id
}

func person(first, last, email string) *contact.Contact {
	c := &contact.Contact{Kind: contact.Person, FirstName: first, LastName: last}
	if email != "" {
		c.Emails = []contact.Email{{Label: "work", Address: email}}
	}
	return c
}

// signedIn returns a client signed in as email.
func signedIn(t *testing.T, s *apptest.Server, email, pass string) *http.Client {
	t.Helper()
	c := s.Client()
	s.SignIn(t, c, email, pass)
	return c
}

// follow GETs the Location of a redirect and returns the page.
func follow(t *testing.T, s *apptest.Server, c *http.Client, res apptest.Response) apptest.Response {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusMovedPermanently {
		t.Fatalf("want a redirect, got %d\n%s", res.StatusCode, res.Body)
	}
	return s.Get(t, c, res.Header.Get("Location"))
}

func contactID(t *testing.T, loc string) int64 {
	t.Helper()
	m := regexp.MustCompile(`^/contacts/([0-9]+)$`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("redirect to %q, want /contacts/{id}", loc)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

func id(n int64) string { return strconv.FormatInt(n, 10) }

func TestContactsWeb_createFormRefusesBadInputKeepsItAndEscapesIt(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		c := signedIn(t, s, ownerEmail, ownerPass)
		form := s.Get(t, c, "/contacts/new")
		if form.StatusCode != 200 || !strings.Contains(form.Body, `name="emails.0.address"`) || !strings.Contains(form.Body, `name="kind"`) {
			t.Fatalf("new contact form = %d\n%s", form.StatusCode, form.Body)
		}

		long := strings.Repeat("x", 101)
		bad := url.Values{
			"kind": {"person"}, "first_name": {"<script>alert(1)</script>"}, "last_name": {long}, "category_id": {""},
			"owner_id":       {"1"},
			"emails.0.label": {"work"}, "emails.0.address": {"not-an-email"},
			"emails.1.label": {"home"}, "emails.1.address": {"ana@example.com"},
			"phones.0.label": {"mobile"}, "phones.0.number": {"12"},
			"addresses.0.label": {"home"}, "addresses.0.city": {"Lisbon"}, "addresses.0.country": {"XX"},
		}
		res := s.PostForm(t, c, "/contacts/new", bad)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("bad contact = %d, want 422\n%s", res.StatusCode, res.Body)
		}
		for _, want := range []string{
			`id="emails-0-error"`, `id="phones-0-error"`, `id="addresses-0-error"`, `id="category_id-error"`,
			"Last name is too long: at most 100 characters",                     // the domain's limit message
			`value="not-an-email"`, `value="ana@example.com"`, `value="Lisbon"`, // input kept
			`&lt;script&gt;alert(1)&lt;/script&gt;`, // and inert
		} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("refused form lacks %s", want)
			}
		}
		if strings.Contains(res.Body, "<script>alert(1)") {
			t.Error("the script tag was rendered live")
		}
		if !strings.Contains(res.Body, `class="form-errors"`) {
			t.Error("no error summary")
		}
		if n := count(t, s, "SELECT COUNT(*) FROM contacts"); n != 0 {
			t.Fatalf("a refused form created %d contacts", n)
		}

		good := url.Values{
			"kind": {"person"}, "first_name": {"Ana"}, "last_name": {"<b>Silva</b>"}, "category_id": {"1"}, "owner_id": {"1"},
			"emails.0.label": {"work"}, "emails.0.address": {"ana@example.com"}, "emails_primary": {"0"},
			"emails.1.label": {"home"}, "emails.1.address": {""},
			"phones.0.label": {"mobile"}, "phones.0.number": {"+351 912 345 678"},
		}
		res = s.PostForm(t, c, "/contacts/new", good)
		id := contactID(t, res.Header.Get("Location"))
		page := follow(t, s, c, res)
		for _, want := range []string{"Ana &lt;b&gt;Silva&lt;/b&gt; has been added.", "ana@example.com", "351912345678", "Profile completeness"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("record page lacks %q", want)
			}
		}
		if got := page.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("record page Cache-Control = %q", got)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.create' AND entity_id = ?", fmt.Sprint(id)); n != 1 {
			t.Errorf("create logged %d times", n)
		}

		// A joint account names two different persons.
		joint := url.Values{"kind": {"joint"}, "entity_name": {"Silva & Costa joint"}, "category_id": {"1"}, "owner_id": {"1"},
			"joint_a": {fmt.Sprint(id)}, "joint_b": {fmt.Sprint(id)}}
		res = s.PostForm(t, c, "/contacts/new", joint)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="joint-error"`) || !strings.Contains(res.Body, "the same person cannot hold it twice") {
			t.Errorf("joint with one person twice = %d", res.StatusCode)
		}
		joint.Set("joint_b", "#abc")
		if res := s.PostForm(t, c, "/contacts/new", joint); !strings.Contains(res.Body, "is not a contact number") {
			t.Errorf("joint with a bad number = %d", res.StatusCode)
		}
		other := addContact(t, s, owner, person("Rui", "Costa", ""))
		joint.Set("joint_b", "#"+fmt.Sprint(other))
		res = s.PostForm(t, c, "/contacts/new", joint)
		if page := follow(t, s, c, res); !strings.Contains(page.Body, "Held by") || !strings.Contains(page.Body, "Rui Costa") {
			t.Errorf("joint account page lacks its holders\n%s", page.Body)
		}
	})
}

func TestContactsWeb_listSearchesSortsAndAnswersPartials(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		for _, p := range [][3]string{{"Ana", "Silva", "ana@example.com"}, {"Bruno", "Costa", "bruno@example.com"}, {"Carla", "Alves", "carla@example.org"}} {
			addContact(t, s, owner, person(p[0], p[1], p[2]))
		}
		c := signedIn(t, s, ownerEmail, ownerPass)

		home := s.Get(t, c, "/")
		if home.StatusCode != 200 || !strings.Contains(home.Body, "Good to see you, Olivia Owner") || !strings.Contains(home.Body, "Bruno Costa") {
			t.Fatalf("home = %d\n%s", home.StatusCode, home.Body)
		}
		list := s.Get(t, c, "/contacts")
		if list.StatusCode != 200 || !strings.Contains(list.Body, "Showing 3 contacts") || !strings.Contains(list.Body, `aria-current="page">Contacts<`) {
			t.Fatalf("list = %d\n%s", list.StatusCode, list.Body)
		}
		// Sorted by name (last name first) unless asked otherwise.
		order := func(body string, names ...string) bool {
			last := -1
			for _, n := range names {
				i := strings.Index(body, ">"+n+"</a>")
				if i < last || i < 0 {
					return false
				}
				last = i
			}
			return true
		}
		if !order(list.Body, "Carla Alves", "Bruno Costa", "Ana Silva") {
			t.Error("default order is not by last name")
		}
		desc := s.Get(t, c, "/contacts?sort=-name")
		if !order(desc.Body, "Ana Silva", "Bruno Costa", "Carla Alves") || !strings.Contains(desc.Body, `aria-sort="descending"`) {
			t.Error("sort=-name does not sort descending or mark the header")
		}
		byEmail := s.Get(t, c, "/contacts?sort=email&cols=name,email,city")
		if !order(byEmail.Body, "Ana Silva", "Bruno Costa", "Carla Alves") || strings.Contains(byEmail.Body, `class="col-stage"`) || !strings.Contains(byEmail.Body, `class="col-city"`) {
			t.Error("sort by email with chosen columns is wrong")
		}

		part := s.Get(t, c, "/contacts?q=bru&partial=rows")
		if part.StatusCode != 200 || strings.Contains(part.Body, "<html") || !strings.Contains(part.Body, "Bruno Costa") ||
			strings.Contains(part.Body, "Ana Silva") || !strings.Contains(part.Body, "Showing 1 contact") {
			t.Fatalf("search partial = %d\n%s", part.StatusCode, part.Body)
		}
		none := s.Get(t, c, "/contacts?q=zzzz")
		if !strings.Contains(none.Body, "No contacts match “zzzz”") || !strings.Contains(none.Body, "Clear search and filters") {
			t.Error("no-match page does not say so")
		}
		picker := s.Get(t, c, "/contacts?partial=picker&q=carla&kind=person")
		if !strings.Contains(picker.Body, `data-pick-name="Carla Alves"`) {
			t.Errorf("picker = %s", picker.Body)
		}

		bad := s.Get(t, c, "/contacts?sort=shoe_size")
		if bad.StatusCode != http.StatusBadRequest || !strings.Contains(bad.Body, "Unknown sort field") || !strings.Contains(bad.Body, "last_activity") {
			t.Errorf("unknown sort = %d\n%s", bad.StatusCode, bad.Body)
		}
		if res := s.Get(t, c, "/contacts?cursor=garbage"); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.Body, "first page") {
			t.Errorf("bad cursor = %d", res.StatusCode)
		}
	})
}

func TestContactsWeb_listPagesWithKeysetCursor(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		for i := range 55 {
			addContact(t, s, owner, person("Person", fmt.Sprintf("Number%02d", i), ""))
		}
		c := signedIn(t, s, ownerEmail, ownerPass)
		first := s.Get(t, c, "/contacts")
		next := regexp.MustCompile(`href="(/contacts\?cursor=[^"]+)" rel="next"`).FindStringSubmatch(first.Body)
		if !strings.Contains(first.Body, "Showing 50 contacts") || next == nil {
			t.Fatalf("first page has no next link\n%s", first.Body)
		}
		second := s.Get(t, c, html.UnescapeString(next[1]))
		if !strings.Contains(second.Body, "Showing 5 contacts") || !strings.Contains(second.Body, "Person Number54") ||
			strings.Contains(second.Body, "Person Number00<") || !strings.Contains(second.Body, "First page") {
			t.Errorf("second page is wrong\n%s", second.Body)
		}
	})
}

func TestContactsWeb_sensitiveNumbersAreMaskedAndRevealedOnlyWithTheGrant(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s) // the owner holds every grant
		p := person("Tax", "Payer", "")
		p.Identifiers = []contact.Identifier{{Kind: "tax_id", Country: "US", Number: "123-45-6789"}}
		cid := addContact(t, s, owner, p)
		got, _ := s.Contacts.Get(context.Background(), contact.ViewerFor(owner), cid)
		row := got.Identifiers[0].ID

		adv := signedIn(t, s, advEmail, advPass)
		page := s.Get(t, adv, "/contacts/"+id(cid))
		if page.StatusCode != 200 || !strings.Contains(page.Body, "••••6789") || strings.Contains(page.Body, "123-45-6789") ||
			strings.Contains(page.Body, "/reveal") {
			t.Fatalf("advisor's record page = %d\n%s", page.StatusCode, page.Body)
		}
		form := url.Values{"field": {"identifier"}, "row": {id(row)}}
		if res := s.PostForm(t, adv, "/contacts/"+id(cid)+"/reveal", form); res.StatusCode != http.StatusForbidden || strings.Contains(res.Body, "123-45-6789") {
			t.Errorf("advisor reveal = %d", res.StatusCode)
		}

		oc := signedIn(t, s, ownerEmail, ownerPass)
		page = s.Get(t, oc, "/contacts/"+id(cid))
		if !strings.Contains(page.Body, `action="/contacts/`+id(cid)+`/reveal"`) || strings.Contains(page.Body, "123-45-6789") {
			t.Fatal("the owner's record page has no Reveal button, or shows the number")
		}
		res := s.PostForm(t, oc, "/contacts/"+id(cid)+"/reveal", form)
		if res.StatusCode != 200 || !strings.Contains(res.Body, "123-45-6789") || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("reveal = %d %q\n%s", res.StatusCode, res.Header.Get("Cache-Control"), res.Body)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.reveal' AND entity_id = ? AND actor_id = ?", id(cid), owner.IDString()); n != 1 {
			t.Errorf("reveal logged %d times, want 1", n)
		}
		if again := s.Get(t, oc, "/contacts/"+id(cid)); strings.Contains(again.Body, "123-45-6789") {
			t.Error("the clear number is still on the next page")
		}
	})
}

func TestContactsWeb_editLeaseKeepsASecondEditorOut(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		cid := addContact(t, s, owner, person("Lena", "Lock", ""))
		a := signedIn(t, s, ownerEmail, ownerPass)
		b := signedIn(t, s, advEmail, advPass)

		ea := s.Get(t, a, "/contacts/"+id(cid)+"/edit")
		if ea.StatusCode != 200 || !strings.Contains(ea.Body, `data-heartbeat="/contacts/`+id(cid)+`/lease"`) || !strings.Contains(ea.Body, `name="version" value="1"`) {
			t.Fatalf("A's edit form = %d\n%s", ea.StatusCode, ea.Body)
		}
		eb := s.Get(t, b, "/contacts/"+id(cid)+"/edit")
		if !strings.Contains(eb.Body, "Olivia Owner is editing this contact since") || !strings.Contains(eb.Body, `<fieldset class="form-body" disabled>`) ||
			strings.Contains(eb.Body, "data-heartbeat") || !strings.Contains(eb.Body, "Try again") {
			t.Fatalf("B's edit page does not show the lock\n%s", eb.Body)
		}
		if strings.Contains(eb.Body, "Break lock") {
			t.Error("an advisor is offered to break the lock")
		}
		if res := s.PostForm(t, b, "/contacts/"+id(cid)+"/lease", nil); res.StatusCode != http.StatusLocked || !strings.Contains(res.Body, "Olivia Owner") {
			t.Errorf("B's heartbeat = %d %s", res.StatusCode, res.Body)
		}
		save := url.Values{"kind": {"person"}, "first_name": {"Bernd"}, "last_name": {"Lock"}, "category_id": {"1"},
			"owner_id": {owner.IDString()}, "version": {"1"}}
		res := s.PostForm(t, b, "/contacts/"+id(cid)+"/edit", save)
		if res.StatusCode != http.StatusLocked || !strings.Contains(res.Body, "Olivia Owner is editing this contact since") || !strings.Contains(res.Body, `value="Bernd"`) {
			t.Fatalf("B's save = %d\n%s", res.StatusCode, res.Body)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM contacts WHERE first_name = 'Lena' AND version = 1"); n != 1 {
			t.Fatal("B's refused save changed the contact")
		}
		if res := s.PostForm(t, a, "/contacts/"+id(cid)+"/lease", nil); res.StatusCode != http.StatusNoContent {
			t.Errorf("A's heartbeat = %d", res.StatusCode)
		}
		// A saves; the lease ends with the save, and B may edit.
		save.Set("first_name", "Lena Maria")
		if res := s.PostForm(t, a, "/contacts/"+id(cid)+"/edit", save); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("A's save = %d\n%s", res.StatusCode, res.Body)
		}
		if eb := s.Get(t, b, "/contacts/"+id(cid)+"/edit"); strings.Contains(eb.Body, "is editing this contact") || !strings.Contains(eb.Body, `name="version" value="2"`) {
			t.Error("B cannot edit after A saved")
		}
		// Cancel releases the lease.
		if res := s.PostForm(t, b, "/contacts/"+id(cid)+"/lease/release", nil); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/contacts/"+id(cid) {
			t.Errorf("cancel = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if ea := s.Get(t, a, "/contacts/"+id(cid)+"/edit"); strings.Contains(ea.Body, "is editing this contact") {
			t.Error("the lease was not released by cancel")
		}
		// An admin may break another's lock, and it is logged.
		s.PostForm(t, a, "/contacts/"+id(cid)+"/lease/release", nil)
		s.Get(t, b, "/contacts/"+id(cid)+"/edit")
		ea = s.Get(t, a, "/contacts/"+id(cid)+"/edit")
		if !strings.Contains(ea.Body, "Adam Advisor is editing this contact since") || !strings.Contains(ea.Body, "Break lock") {
			t.Fatal("the admin is not offered to break the lock")
		}
		res = s.PostForm(t, a, "/contacts/"+id(cid)+"/lease/break", nil)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/contacts/"+id(cid)+"/edit" {
			t.Fatalf("break = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if ea := follow(t, s, a, res); strings.Contains(ea.Body, "is editing this contact since") || !strings.Contains(ea.Body, "data-heartbeat") {
			t.Error("after breaking the lock the admin cannot edit")
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.lease_break'"); n != 1 {
			t.Errorf("lease breaks logged = %d", n)
		}
		if res := s.PostForm(t, b, "/contacts/"+id(cid)+"/lease/break", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("advisor break = %d", res.StatusCode)
		}
	})
}

func TestContactsWeb_versionConflictShowsWhatOthersChangedThenSaves(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, adv := seeded(t, s)
		cid := addContact(t, s, owner, person("Vera", "Version", ""))
		a := signedIn(t, s, ownerEmail, ownerPass)
		edit := "/contacts/" + id(cid) + "/edit"
		if res := s.Get(t, a, edit); !strings.Contains(res.Body, `name="version" value="1"`) {
			t.Fatal("no version in the form")
		}
		// A's lease runs out (here: A's other tab cancels) and B saves a change.
		s.PostForm(t, a, "/contacts/"+id(cid)+"/lease/release", nil)
		bv := contact.ViewerFor(adv)
		cur, err := s.Contacts.Get(asUser(adv), bv, cid)
		if err != nil {
			t.Fatal(err)
		}
		cur.LastName = "Versteeg"
		if err := s.Contacts.Update(asUser(adv), bv, cur, cur.Version); err != nil {
			t.Fatal(err)
		}
		save := url.Values{"kind": {"person"}, "first_name": {"Vera"}, "last_name": {"Versionova"}, "category_id": {"1"},
			"owner_id": {owner.IDString()}, "version": {"1"}}
		res := s.PostForm(t, a, edit, save)
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("stale save = %d\n%s", res.StatusCode, res.Body)
		}
		for _, want := range []string{"Someone else saved this contact while you were editing", `<th scope="row">Last name</th><td>Adam Advisor</td>`,
			"<strong>Versteeg</strong>", `name="version" value="2"`, `value="Versionova"`} {
			if !strings.Contains(res.Body, want) {
				t.Errorf("conflict page lacks %q", want)
			}
		}
		if n := count(t, s, "SELECT COUNT(*) FROM contacts WHERE last_name = 'Versteeg' AND version = 2"); n != 1 {
			t.Fatal("the stale save was written")
		}

		// A bulk reassignment meanwhile is a conflict too, with what is saved now.
		save.Set("version", "2")
		s.Get(t, a, edit)
		if _, err := s.Contacts.AssignOwner(asUser(owner), contact.ViewerFor(owner), adv.ID, cid); err != nil {
			t.Fatal(err)
		}
		res = s.PostForm(t, a, edit, save)
		if res.StatusCode != http.StatusConflict || !strings.Contains(res.Body, "<dt>Owner</dt><dd>Adam Advisor</dd>") || !strings.Contains(res.Body, `name="version" value="3"`) {
			t.Fatalf("save after a bulk change = %d\n%s", res.StatusCode, res.Body)
		}
		// After review, the second save goes through.
		save.Set("version", "3")
		if res := s.PostForm(t, a, edit, save); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("second save = %d\n%s", res.StatusCode, res.Body)
		}
		hist := s.Get(t, a, "/contacts/"+id(cid)+"/history")
		for _, want := range []string{"Changed the contact", "Last name", "Versteeg</del>", "Versionova</ins>", "Changed the owner", "Adam Advisor"} {
			if !strings.Contains(hist.Body, want) {
				t.Errorf("history lacks %q", want)
			}
		}
	})
}

func TestContactsWeb_limitedAdvisorSeesOnlyTheirOwn(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		lim, err := s.Auth.CreateUser(asUser(owner), owner, auth.NewUser{Email: limEmail, Name: "Lia Limited", Role: auth.RoleAdvisor,
			Password: limPass, OwnContactsOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		other := addContact(t, s, owner, person("Olga", "Others", ""))
		mine := addContact(t, s, lim, person("Mia", "Mine", ""))
		c := signedIn(t, s, limEmail, limPass)
		list := s.Get(t, c, "/contacts")
		if !strings.Contains(list.Body, "Mia Mine") || strings.Contains(list.Body, "Olga Others") {
			t.Errorf("limited list shows the wrong contacts")
		}
		for _, p := range []string{"/contacts/" + id(other), "/contacts/" + id(other) + "/history", "/contacts/" + id(other) + "/edit"} {
			if res := s.Get(t, c, p); res.StatusCode != http.StatusNotFound {
				t.Errorf("limited GET %s = %d, want 404", p, res.StatusCode)
			}
		}
		if res := s.Get(t, c, "/contacts?q=olga&partial=rows"); strings.Contains(res.Body, "Olga") {
			t.Error("search finds another's contact")
		}
		if res := s.Get(t, c, "/contacts/"+id(mine)); res.StatusCode != 200 {
			t.Errorf("own contact = %d", res.StatusCode)
		}
	})
}

func TestContactsWeb_bulkAssignOwnerGoesBackToTheSameList(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, adv := seeded(t, s)
		a := addContact(t, s, owner, person("Ann", "One", ""))
		b := addContact(t, s, owner, person("Ben", "Two", ""))
		keep := addContact(t, s, owner, person("Cid", "Three", ""))
		c := signedIn(t, s, ownerEmail, ownerPass)
		ret := "/contacts?q=o&sort=-name"
		res := s.PostForm(t, c, "/contacts/bulk", url.Values{"id": {id(a), id(b)}, "action": {"owner"}, "owner_id": {adv.IDString()}, "return": {ret}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != ret {
			t.Fatalf("bulk = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		if page := follow(t, s, c, res); !strings.Contains(page.Body, "Assigned 2 contacts to Adam Advisor.") {
			t.Errorf("bulk flash missing\n%s", page.Body)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM contacts WHERE owner_id = ?", adv.ID); n != 2 {
			t.Errorf("%d contacts reassigned, want 2", n)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM contacts WHERE id = ? AND owner_id = ?", keep, owner.ID); n != 1 {
			t.Error("an unselected contact was reassigned")
		}
		// A return address elsewhere is not followed.
		res = s.PostForm(t, c, "/contacts/bulk", url.Values{"id": {id(a)}, "action": {"tag"}, "tag": {"VIP"}, "return": {"https://evil.example/"}})
		if res.Header.Get("Location") != "/contacts" {
			t.Errorf("bulk went back to %q", res.Header.Get("Location"))
		}
		if page := follow(t, s, c, res); !strings.Contains(page.Body, "Tagged 1 contact “vip”.") {
			t.Error("tag flash missing")
		}
		// Nothing selected: said so, nothing done.
		res = s.PostForm(t, c, "/contacts/bulk", url.Values{"action": {"owner"}, "owner_id": {adv.IDString()}, "return": {"/contacts"}})
		if page := follow(t, s, c, res); !strings.Contains(page.Body, "Select at least one contact.") {
			t.Error("empty bulk is not explained")
		}
		// Delete asks first.
		res = s.PostForm(t, c, "/contacts/bulk", url.Values{"id": {id(a), id(b)}, "action": {"delete"}, "return": {"/contacts"}})
		if res.StatusCode != 200 || !strings.Contains(res.Body, "Move 2 contacts to the trash?") || count(t, s, "SELECT COUNT(*) FROM contacts WHERE deleted_at IS NOT NULL") != 0 {
			t.Fatalf("bulk delete without confirmation = %d", res.StatusCode)
		}
		res = s.PostForm(t, c, "/contacts/bulk", url.Values{"id": {id(a), id(b)}, "action": {"delete"}, "confirm": {"yes"}, "return": {"/contacts"}})
		if page := follow(t, s, c, res); !strings.Contains(page.Body, "Moved 2 contacts to the trash.") {
			t.Error("bulk delete flash missing")
		}
	})
}

func TestContactsWeb_deleteShowsTheTrashBannerAndRestoreBringsItBack(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		cid := addContact(t, s, owner, person("Tilda", "Trash", ""))
		c := signedIn(t, s, ownerEmail, ownerPass)
		if res := s.Get(t, c, "/contacts/"+id(cid)+"/delete"); res.StatusCode != 200 || !strings.Contains(res.Body, "Move Tilda Trash to the trash?") {
			t.Fatalf("delete confirmation = %d", res.StatusCode)
		}
		page := follow(t, s, c, s.PostForm(t, c, "/contacts/"+id(cid)+"/delete", nil))
		if !strings.Contains(page.Body, "In the trash since") || !strings.Contains(page.Body, `action="/contacts/`+id(cid)+`/restore"`) {
			t.Fatalf("no trash banner\n%s", page.Body)
		}
		if list := s.Get(t, c, "/contacts"); strings.Contains(list.Body, "Tilda Trash") {
			t.Error("a deleted contact is in the list")
		}
		if trash := s.Get(t, c, "/contacts/trash"); !strings.Contains(trash.Body, "Tilda Trash") {
			t.Error("the trash page does not list it")
		}
		if res := s.Get(t, c, "/contacts/"+id(cid)+"/edit"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("editing a deleted contact = %d, want a redirect", res.StatusCode)
		}
		page = follow(t, s, c, s.PostForm(t, c, "/contacts/"+id(cid)+"/restore", nil))
		if strings.Contains(page.Body, "In the trash since") || !strings.Contains(page.Body, "Tilda Trash is back from the trash.") {
			t.Error("restore did not take it out of the trash")
		}
		if list := s.Get(t, c, "/contacts"); !strings.Contains(list.Body, "Tilda Trash") {
			t.Error("a restored contact is not in the list")
		}
	})
}

func TestContactsWeb_eraseNeedsAnAdminAndTheTypedName(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		cid := addContact(t, s, owner, person("Erin", "Erase", "erin@example.com"))
		adv := signedIn(t, s, advEmail, advPass)
		if res := s.Get(t, adv, "/contacts/"+id(cid)+"/erase"); res.StatusCode != http.StatusForbidden {
			t.Errorf("advisor erase page = %d", res.StatusCode)
		}
		if res := s.PostForm(t, adv, "/contacts/"+id(cid)+"/erase", url.Values{"confirm_name": {"Erin Erase"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("advisor erase = %d", res.StatusCode)
		}
		c := signedIn(t, s, ownerEmail, ownerPass)
		if res := s.PostForm(t, c, "/contacts/"+id(cid)+"/erase", url.Values{"confirm_name": {"Erin"}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("erase with the wrong name = %d", res.StatusCode)
		}
		res := s.PostForm(t, c, "/contacts/"+id(cid)+"/erase", url.Values{"confirm_name": {"erin erase"}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/contacts" {
			t.Fatalf("erase = %d\n%s", res.StatusCode, res.Body)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM contact_emails"); n != 0 {
			t.Error("erase left the email")
		}
		if res := s.Get(t, c, "/contacts/"+id(cid)); res.StatusCode != http.StatusNotFound {
			t.Errorf("erased contact page = %d", res.StatusCode)
		}
	})
}

func TestContactsWeb_tagsGroupsAndRelationshipsOnTheRecord(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		ana := addContact(t, s, owner, person("Ana", "Silva", ""))
		trust := addContact(t, s, owner, &contact.Contact{Kind: contact.Trust, EntityName: "Silva Family Trust", InvestedMinor: 50000000, Currency: "USD"})
		c := signedIn(t, s, ownerEmail, ownerPass)
		rec := "/contacts/" + id(ana)

		if res := follow(t, s, c, s.PostForm(t, c, rec+"/tags", url.Values{"tags": {"VIP, newsletter"}})); !strings.Contains(res.Body, ">newsletter</a>") || !strings.Contains(res.Body, ">vip</a>") {
			t.Error("tags not saved")
		}
		if res := s.PostForm(t, c, rec+"/tags", url.Values{"tags": {strings.Repeat("t", 60)}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "at most 50 characters") {
			t.Errorf("overlong tag = %d", res.StatusCode)
		}

		// Groups: create, add the contact, filter the list by it, rename, delete.
		follow(t, s, c, s.PostForm(t, c, "/groups", url.Values{"name": {"Golf day"}}))
		if res := s.PostForm(t, c, "/groups", url.Values{"name": {""}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "A group name has 1 to 100 characters.") {
			t.Errorf("empty group name = %d", res.StatusCode)
		}
		var gid int64
		if err := s.DB.QueryRowContext(context.Background(), "SELECT id FROM contact_groups WHERE name = 'Golf day'").Scan(&gid); err != nil {
			t.Fatal(err)
		}
		if res := follow(t, s, c, s.PostForm(t, c, rec+"/groups", url.Values{"group_id": {id(gid)}})); !strings.Contains(res.Body, `href="/contacts?group=`+id(gid)+`">Golf day</a>`) {
			t.Error("not added to the group")
		}
		if list := s.Get(t, c, "/contacts?group="+id(gid)); !strings.Contains(list.Body, "Ana Silva") || strings.Contains(list.Body, "Silva Family Trust</a>") {
			t.Error("group filter is wrong")
		}
		if groups := s.Get(t, c, "/groups"); !strings.Contains(groups.Body, "Golf day") || !strings.Contains(groups.Body, `<td class="num">1</td>`) {
			t.Error("groups page lacks the group and its count")
		}
		follow(t, s, c, s.PostForm(t, c, "/groups/"+id(gid), url.Values{"name": {"Golf day 2026"}}))
		follow(t, s, c, s.PostForm(t, c, rec+"/groups/"+id(gid)+"/remove", nil))
		if n := count(t, s, "SELECT COUNT(*) FROM group_members"); n != 0 {
			t.Error("not removed from the group")
		}
		if res := s.Get(t, c, "/groups/"+id(gid)+"/delete"); !strings.Contains(res.Body, "Delete the group Golf day 2026?") {
			t.Error("no group delete confirmation")
		}
		follow(t, s, c, s.PostForm(t, c, "/groups/"+id(gid)+"/delete", nil))
		if n := count(t, s, "SELECT COUNT(*) FROM contact_groups"); n != 0 {
			t.Error("group not deleted")
		}

		// Ana is the beneficiary of the trust: from her side the reverse label.
		res := s.PostForm(t, c, rec+"/relationships", url.Values{"other_id": {id(trust)}, "kind": {"beneficiary:reverse"}})
		page := follow(t, s, c, res)
		if !strings.Contains(page.Body, "Beneficiary of") || !strings.Contains(page.Body, "Silva Family Trust") || !strings.Contains(page.Body, "500,000.00 USD") {
			t.Errorf("relationship or value missing\n%s", page.Body)
		}
		if res := s.PostForm(t, c, rec+"/relationships", url.Values{"other_id": {"nope"}, "kind": {"spouse"}}); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, `id="other_id-error"`) {
			t.Errorf("bad other contact = %d", res.StatusCode)
		}
		var rid int64
		if err := s.DB.QueryRowContext(context.Background(), "SELECT id FROM relationships").Scan(&rid); err != nil {
			t.Fatal(err)
		}
		follow(t, s, c, s.PostForm(t, c, rec+"/relationships/"+id(rid)+"/remove", nil))
		if n := count(t, s, "SELECT COUNT(*) FROM relationships"); n != 0 {
			t.Error("relationship not removed")
		}
	})
}

func TestContactsWeb_readOnlyUserLooksButCannotChange(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		s.CreateUser(t, readEmail, "Rita Reader", auth.RoleReadOnly, readPass, auth.Grants{})
		cid := addContact(t, s, owner, person("Rolf", "Record", ""))
		c := signedIn(t, s, readEmail, readPass)
		list := s.Get(t, c, "/contacts")
		if list.StatusCode != 200 || !strings.Contains(list.Body, "Rolf Record") || strings.Contains(list.Body, `href="/contacts/new"`) || strings.Contains(list.Body, "bulk-form") {
			t.Errorf("read-only list = %d", list.StatusCode)
		}
		rec := s.Get(t, c, "/contacts/"+id(cid))
		if strings.Contains(rec.Body, "/edit\"") || strings.Contains(rec.Body, "Edit tags") {
			t.Error("read-only record offers changes")
		}
		for _, p := range []string{"/contacts/new", "/contacts/" + id(cid) + "/edit"} {
			if res := s.Get(t, c, p); res.StatusCode != http.StatusForbidden {
				t.Errorf("read-only GET %s = %d", p, res.StatusCode)
			}
		}
	})
}

func TestContactsWeb_mergedContactRedirectsToTheSurvivor(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		keep := addContact(t, s, owner, person("Max", "Merge", "max@example.com"))
		gone := addContact(t, s, owner, person("Maximilian", "Merge", "max@example.org"))
		if err := s.Contacts.Merge(asUser(owner), contact.ViewerFor(owner), keep, gone, nil, contact.MergeBase{}); err != nil {
			t.Fatal(err)
		}
		c := signedIn(t, s, ownerEmail, ownerPass)
		for _, sub := range []string{"", "/history"} {
			res := s.Get(t, c, "/contacts/"+id(gone)+sub)
			if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/contacts/"+id(keep)+sub {
				t.Errorf("merged GET %s = %d %s", sub, res.StatusCode, res.Header.Get("Location"))
			}
		}
		hist := s.Get(t, c, "/contacts/"+id(keep)+"/history")
		if !strings.Contains(hist.Body, "Merged into another contact") || !strings.Contains(hist.Body, "Maximilian") {
			t.Error("the survivor's history lacks the merged contact's")
		}
	})
}

func TestContactsWeb_relationshipValueShowsOtherCurrenciesBesideIt(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		c := signedIn(t, s, ownerEmail, ownerPass)
		p := person("Ines", "Investor", "")
		p.InvestedMinor, p.Currency = 1000_00, "USD"
		pid := addContact(t, s, owner, p)
		co := addContact(t, s, owner, &contact.Contact{Kind: contact.Company, EntityName: "Investor GmbH", InvestedMinor: 700_00, Currency: "EUR"})
		if _, err := s.Contacts.Relate(asUser(owner), contact.ViewerFor(owner), co, pid, "owner", "", ""); err != nil {
			t.Fatal(err)
		}
		page := s.Get(t, c, "/contacts/"+id(pid))
		for _, want := range []string{"1,000.00 USD + 700.00 EUR", "not converted"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("record lacks %q", want)
			}
		}
	})
}
