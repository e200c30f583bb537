package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

// Clear values of the sensitive numbers the fixtures store; none of them
// may appear in any response.
const (
	taxID     = "987-65-4321"
	iban      = "DE89370400440532013000"
	accountNo = "000987650001"
)

var clearValues = []string{taxID, "987654321", iban, "DE89 3704", "0532013000", accountNo, "98765000"}

// caller sends API requests as one token's user, without following
// redirects.
type caller struct {
	t   *testing.T
	s   *apptest.Server
	tok string
}

func callerFor(t *testing.T, s *apptest.Server, u *auth.User) caller {
	return caller{t: t, s: s, tok: token(t, s, u)}
}

// do sends a request; hdr are header name and value pairs.
func (c caller) do(method, path, body string, hdr ...string) apptest.Response {
	c.t.Helper()
	req, err := http.NewRequest(method, c.s.URL+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+c.tok)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return apptest.Do(c.t, c.s.Client(), req)
}

// ok sends a request and decodes its JSON answer, failing unless the
// status is want.
func (c caller) ok(want int, method, path, body string, hdr ...string) map[string]any {
	c.t.Helper()
	res := c.do(method, path, body, hdr...)
	if res.StatusCode != want {
		c.t.Fatalf("%s %s = %d, want %d\n%s", method, path, res.StatusCode, want, res.Body)
	}
	var m map[string]any
	if res.Body != "" {
		if err := json.Unmarshal([]byte(res.Body), &m); err != nil {
			c.t.Fatalf("%s %s: %v\n%s", method, path, err, res.Body)
		}
	}
	return m
}

func idOf(m map[string]any) string { return strconv.FormatInt(int64(m["id"].(float64)), 10) }

func ids(items any) []string {
	var out []string
	for _, it := range items.([]any) {
		out = append(out, idOf(it.(map[string]any)))
	}
	return out
}

// fullPerson is a create body with every section, sensitive numbers
// included.
func fullPerson(first, last string) string {
	return `{"kind":"person","first_name":"` + first + `","last_name":"` + last + `","category_id":1,
		"birth_date":"1980-04-23","citizenship":"DE","employment":"employed","employer":"Bosch","annual_income":"100-250k",
		"markets_traded":["equities","bonds"],"risk_tolerance":"medium","language":"de","time_zone":"Europe/Berlin",
		"emails":[{"label":"work","address":"` + strings.ToLower(first) + `@example.com"}],
		"phones":[{"label":"mobile","number":"+49 30 1234567"}],
		"addresses":[{"label":"home","line1":"Unter den Linden 1","city":"Berlin","postal_code":"10117","country":"DE"}],
		"identifiers":[{"kind":"tax_id","country":"DE","number":"` + taxID + `","expires_on":"2031-12-31"}],
		"bank_accounts":[{"bank_name":"Commerzbank","holder":"` + first + ` ` + last + `","iban":"` + iban + `","bic":"COBADEFFXXX","currency":"EUR"},
			{"bank_name":"Chase","account_number":"` + accountNo + `","routing_number":"011000015","currency":"USD"}],
		"invested":{"amount_minor":125050,"currency":"EUR"}}`
}

func noClearValues(t *testing.T, what, body string) {
	t.Helper()
	for _, v := range clearValues {
		if strings.Contains(body, v) {
			t.Errorf("%s shows the clear value %q:\n%s", what, v, body)
		}
	}
}

// limitedAdvisor adds an advisor who sees only the contacts they own.
func limitedAdvisor(t *testing.T, s *apptest.Server) *auth.User {
	u, err := s.Auth.CreateUser(audit.WithActor(context.Background(), audit.System), nil, auth.NewUser{Email: "lim@firm.test",
		Name: "Lima Limited", Role: auth.RoleAdvisor, Password: advPass, OwnContactsOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestContactsAPI_createReadPatchDeleteRestoreRoundTrip(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		c := callerFor(t, s, owner)
		res := c.do("POST", "/api/v1/contacts", fullPerson("Greta", "Gruber"))
		if res.StatusCode != 201 {
			t.Fatalf("create = %d %s", res.StatusCode, res.Body)
		}
		var created map[string]any
		_ = json.Unmarshal([]byte(res.Body), &created)
		id := idOf(created)
		if loc := res.Header.Get("Location"); loc != "/api/v1/contacts/"+id {
			t.Errorf("Location = %q", loc)
		}
		if et := res.Header.Get("ETag"); et != `"1"` {
			t.Errorf("ETag = %q", et)
		}
		noClearValues(t, "create response", res.Body)

		got := c.ok(200, "GET", "/api/v1/contacts/"+id, "")
		for k, want := range map[string]any{"name": "Greta Gruber", "kind": "person", "stage": "not_invited", "category": "Client",
			"owner": "Olivia Owner", "birth_date": "1980-04-23", "employment": "employed", "version": 1.0, "time_zone": "Europe/Berlin"} {
			if got[k] != want {
				t.Errorf("%s = %v, want %v", k, got[k], want)
			}
		}
		if p := got["phones"].([]any)[0].(map[string]any); p["number"] != "+49301234567" || p["primary"] != true {
			t.Errorf("phone = %v", p)
		}
		idn := got["identifiers"].([]any)[0].(map[string]any)
		if idn["number_masked"] != "••••4321" || idn["number"] != nil {
			t.Errorf("identifier = %v", idn)
		}
		banks := got["bank_accounts"].([]any)
		if b := banks[0].(map[string]any); b["iban_masked"] != "••••3000" || b["iban"] != nil || b["account_number_masked"] != "" {
			t.Errorf("bank 0 = %v", b)
		}
		if b := banks[1].(map[string]any); b["account_number_masked"] != "••••0001" || b["account_number"] != nil {
			t.Errorf("bank 1 = %v", b)
		}
		if got["completeness"].(float64) <= 0 || len(got["missing"].([]any)) == 0 {
			t.Errorf("completeness %v missing %v", got["completeness"], got["missing"])
		}
		if inv := got["direct_investments"].(map[string]any); inv["amount_minor"] != 125050.0 || inv["currency"] != "EUR" {
			t.Errorf("direct_investments = %v", inv)
		}
		for _, k := range []string{"relationship_value", "created_at", "updated_at", "tags"} {
			if _, ok := got[k]; !ok {
				t.Errorf("no %s", k)
			}
		}

		// A merge patch: what is left out stays, arrays replace, an identifier
		// sent back by id keeps its number.
		patched := c.ok(200, "PATCH", "/api/v1/contacts/"+id, `{"employer":"Siemens","markets_traded":["funds"],
			"identifiers":[{"id":`+strconv.Itoa(int(idn["id"].(float64)))+`,"kind":"tax_id","country":"DE"}],"nickname":null}`,
			"If-Match", `"1"`)
		if patched["employer"] != "Siemens" || patched["first_name"] != "Greta" || patched["version"] != 2.0 ||
			fmt.Sprint(patched["markets_traded"]) != "[funds]" || len(patched["bank_accounts"].([]any)) != 2 {
			t.Errorf("patched = %v", patched)
		}
		if idn := patched["identifiers"].([]any)[0].(map[string]any); idn["number_masked"] != "••••4321" || idn["expires_on"] != "" {
			t.Errorf("identifier after patch = %v", idn)
		}
		// The log shows the kept number as kept, and no change to the bank
		// accounts that were left out.
		logged := c.ok(200, "GET", "/api/v1/activity?entity=contact&action=contact.update&entity_id="+id, "")
		fieldsChanged := map[string]map[string]any{}
		for _, ch := range logged["items"].([]any)[0].(map[string]any)["changes"].([]any) {
			m := ch.(map[string]any)
			fieldsChanged[m["field"].(string)] = m
		}
		if ch := fieldsChanged["identifiers"]; ch == nil || !strings.Contains(ch["old"].(string), "••••4321") || !strings.Contains(ch["new"].(string), "••••4321") {
			t.Errorf("identifier change logged as %v", ch)
		}
		if ch := fieldsChanged["bank_accounts"]; ch != nil || fieldsChanged["employer"] == nil {
			t.Errorf("changes logged: %v", fieldsChanged)
		}
		res = c.do("GET", "/api/v1/contacts/"+id, "")
		if res.Header.Get("ETag") != `"2"` {
			t.Errorf("ETag after patch = %q", res.Header.Get("ETag"))
		}
		// The version may come in the body instead, and may be sent as a
		// weak tag.
		c.ok(200, "PATCH", "/api/v1/contacts/"+id, `{"version":2,"occupation":"Engineer"}`)
		c.ok(200, "PATCH", "/api/v1/contacts/"+id, `{"occupation":"Chief engineer"}`, "If-Match", `W/"3"`,
			"Content-Type", "application/merge-patch+json")

		// Trash and back.
		if res := c.do("DELETE", "/api/v1/contacts/"+id, ""); res.StatusCode != 204 {
			t.Fatalf("delete = %d %s", res.StatusCode, res.Body)
		}
		if got := c.ok(200, "GET", "/api/v1/contacts/"+id, ""); got["deleted_at"] == nil {
			t.Error("deleted contact has no deleted_at")
		}
		if list := c.ok(200, "GET", "/api/v1/contacts", ""); len(list["items"].([]any)) != 0 {
			t.Errorf("trash listed: %v", list)
		}
		problemOf(t, c.do("PATCH", "/api/v1/contacts/"+id, `{"employer":"X"}`, "If-Match", `"5"`), 409)
		restored := c.ok(200, "POST", "/api/v1/contacts/"+id+"/restore", "")
		if restored["deleted_at"] != nil {
			t.Errorf("restored = %v", restored)
		}
		if list := c.ok(200, "GET", "/api/v1/contacts", ""); fmt.Sprint(ids(list["items"])) != "["+id+"]" {
			t.Errorf("list after restore = %v", list)
		}
		problemOf(t, c.do("GET", "/api/v1/contacts/999999", ""), 404)
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE entity = 'contact' AND channel = 'api' AND actor_type = 'token'"); n < 6 {
			t.Errorf("contact changes logged through the API = %d", n)
		}
	})
}

func TestContactsAPI_sensitiveNumbersAreMaskedInEveryResponse(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		c := callerFor(t, s, owner)
		id := idOf(c.ok(201, "POST", "/api/v1/contacts", fullPerson("Hanna", "Huber")))
		for _, p := range []string{"/api/v1/contacts/" + id, "/api/v1/contacts", "/api/v1/contacts?q=huber",
			"/api/v1/activity?entity=contact"} {
			res := c.do("GET", p, "")
			if res.StatusCode != 200 {
				t.Fatalf("GET %s = %d %s", p, res.StatusCode, res.Body)
			}
			noClearValues(t, p, res.Body)
		}
		res := c.do("POST", "/api/v1/contacts/search", `{"conditions":[{"field":"last_name","op":"equals","value":"huber"}]}`)
		if res.StatusCode != 200 || !strings.Contains(res.Body, `"Hanna Huber"`) {
			t.Fatalf("search = %d %s", res.StatusCode, res.Body)
		}
		noClearValues(t, "search", res.Body)
		res = c.do("PATCH", "/api/v1/contacts/"+id, `{"first_name":"Hannah"}`, "If-Match", `"1"`)
		if res.StatusCode != 200 {
			t.Fatalf("patch = %d %s", res.StatusCode, res.Body)
		}
		noClearValues(t, "patch response", res.Body)
	})
}

func TestContactsAPI_revealNeedsSensitiveDataAccessAndIsLogged(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s) // the first owner has every grant
		compliance := s.CreateUser(t, "compliance@firm.test", "Cora Compliance", auth.RoleAdmin, advPass, auth.Grants{Sensitive: true})
		c := callerFor(t, s, owner)
		got := c.ok(201, "POST", "/api/v1/contacts", fullPerson("Ida", "Ibsen"))
		id := idOf(got)
		idn := idOf(got["identifiers"].([]any)[0].(map[string]any))
		bank := idOf(got["bank_accounts"].([]any)[0].(map[string]any))
		acct := idOf(got["bank_accounts"].([]any)[1].(map[string]any))

		// Even an admin needs the grant.
		admin := s.CreateUser(t, "admin@firm.test", "Adrian Admin", auth.RoleAdmin, advPass, auth.Grants{})
		p := problemOf(t, callerFor(t, s, admin).do("POST", "/api/v1/contacts/"+id+"/reveal", `{"field":"identifier","id":`+idn+`}`), 403)
		noClearValues(t, "403", fmt.Sprint(p))
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.denied' AND channel = 'api'"); n != 1 {
			t.Errorf("denials logged = %d", n)
		}

		cc := callerFor(t, s, compliance)
		for _, tc := range []struct{ field, id, want string }{{"identifier", idn, taxID}, {"iban", bank, iban}, {"account", acct, accountNo}} {
			res := cc.do("POST", "/api/v1/contacts/"+id+"/reveal", `{"field":"`+tc.field+`","id":`+tc.id+`}`)
			var v struct{ Value string }
			if res.StatusCode != 200 || json.Unmarshal([]byte(res.Body), &v) != nil || v.Value != tc.want {
				t.Errorf("reveal %s = %d %s", tc.field, res.StatusCode, res.Body)
			}
			if cache := res.Header.Get("Cache-Control"); cache != "no-store" {
				t.Errorf("reveal Cache-Control = %q", cache)
			}
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.reveal' AND entity_id = ? AND channel = 'api' AND actor_type = 'token'", id); n != 3 {
			t.Errorf("reveals logged = %d, want 3", n)
		}
		problemOf(t, cc.do("POST", "/api/v1/contacts/"+id+"/reveal", `{"field":"identifier","id":99999}`), 404)
		problemOf(t, cc.do("POST", "/api/v1/contacts/"+id+"/reveal", `{"field":"password","id":`+idn+`}`), 422)
	})
}

func TestContactsAPI_patchNeedsTheVersionAndStaleEditsGetTheChanges(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, adv := seeded(t, s)
		o, a := callerFor(t, s, owner), callerFor(t, s, adv)
		id := idOf(o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Jon","last_name":"Jansen","category_id":1}`))
		p := problemOf(t, o.do("PATCH", "/api/v1/contacts/"+id, `{"employer":"Acme"}`), 428)
		if !strings.Contains(p["detail"].(string), "If-Match") {
			t.Errorf("428 detail %v", p["detail"])
		}
		problemOf(t, o.do("PATCH", "/api/v1/contacts/"+id, `{"employer":"Acme"}`, "If-Match", "*"), 400)
		problemOf(t, o.do("PATCH", "/api/v1/contacts/"+id, `{"employer":"Acme","version":2}`, "If-Match", `"1"`), 400)

		// The advisor saves first; the owner's edit of version 1 is stale.
		a.ok(200, "PATCH", "/api/v1/contacts/"+id, `{"employer":"Acme Corp"}`, "If-Match", `"1"`)
		p = problemOf(t, o.do("PATCH", "/api/v1/contacts/"+id, `{"employer":"Other"}`, "If-Match", `"1"`), 409)
		if p["current_version"] != 2.0 {
			t.Errorf("current_version = %v", p["current_version"])
		}
		changes, _ := p["changes"].([]any)
		found := false
		for _, ch := range changes {
			m := ch.(map[string]any)
			if m["field"] == "employer" && m["new"] == "Acme Corp" && m["old"] == "" && strings.Contains(m["actor"].(string), "Adam Advisor") &&
				m["at"] != "" && m["channel"] == "api" {
				found = true
			}
		}
		if !found || len(changes) != 1 {
			t.Errorf("409 changes do not show just the advisor's edit: %v", p)
		}
		if got := o.ok(200, "GET", "/api/v1/contacts/"+id, ""); got["employer"] != "Acme Corp" {
			t.Errorf("stale edit was written: %v", got["employer"])
		}
		res := o.do("PATCH", "/api/v1/contacts/"+id, `{"employer":"Other"}`, "If-Match", `"2"`)
		if res.StatusCode != 200 || res.Header.Get("ETag") != `"3"` {
			t.Errorf("patch on current version = %d %s %s", res.StatusCode, res.Header.Get("ETag"), res.Body)
		}
	})
}

func TestContactsAPI_editLeaseHeldInTheUIIsLocked(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, adv := seeded(t, s)
		o := callerFor(t, s, owner)
		id := idOf(o.ok(201, "POST", "/api/v1/contacts", `{"kind":"company","entity_name":"Kappa GmbH","category_id":2}`))
		n, _ := strconv.ParseInt(id, 10, 64)
		actx := audit.WithActor(context.Background(), audit.Actor{Type: audit.ActorUser, ID: adv.IDString(), Name: adv.Name, Channel: audit.ChannelUI})
		if _, err := s.Contacts.Acquire(actx, contact.ViewerFor(adv), n); err != nil {
			t.Fatal(err)
		}
		p := problemOf(t, o.do("PATCH", "/api/v1/contacts/"+id, `{"entity_name":"Kappa AG"}`, "If-Match", `"1"`), 423)
		if d := p["detail"].(string); !strings.HasPrefix(d, "Adam Advisor is editing this contact since ") {
			t.Errorf("423 detail %q", d)
		}
		if ed, _ := p["editor"].(map[string]any); ed["name"] != "Adam Advisor" || ed["since"] == nil {
			t.Errorf("423 editor %v", p["editor"])
		}
		if got := o.ok(200, "GET", "/api/v1/contacts/"+id, ""); got["entity_name"] != "Kappa GmbH" || got["version"] != 1.0 {
			t.Errorf("locked edit was written: %v", got)
		}
	})
}

func TestContactsAPI_limitedAdvisorSeesOnlyOwnContacts(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		lim := limitedAdvisor(t, s)
		o, l := callerFor(t, s, owner), callerFor(t, s, lim)
		mine := idOf(o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Mia","last_name":"Mine","category_id":1,"owner_id":`+lim.IDString()+`}`))
		theirs := idOf(o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Tom","last_name":"Theirs","category_id":1}`))
		own2 := idOf(l.ok(201, "POST", "/api/v1/contacts", `{"kind":"trust","entity_name":"Mine Family Trust","category_id":1}`))
		problemOf(t, l.do("POST", "/api/v1/contacts", `{"kind":"person","last_name":"X","category_id":1,"owner_id":`+owner.IDString()+`}`), 422)

		if list := l.ok(200, "GET", "/api/v1/contacts?sort=-created", ""); fmt.Sprint(ids(list["items"])) != "["+own2+" "+mine+"]" {
			t.Errorf("limited list = %v", ids(list["items"]))
		}
		if list := l.ok(200, "GET", "/api/v1/contacts?q=theirs", ""); len(list["items"].([]any)) != 0 {
			t.Errorf("limited search = %v", list)
		}
		if list := l.ok(200, "POST", "/api/v1/contacts/search", `{"match":"any","conditions":[{"field":"last_name","op":"is_not_empty"},{"field":"kind","op":"equals","value":"trust"}]}`); fmt.Sprint(ids(list["items"])) != "["+own2+" "+mine+"]" {
			t.Errorf("limited advanced search = %v", ids(list["items"]))
		}
		if list := o.ok(200, "GET", "/api/v1/contacts", ""); len(list["items"].([]any)) != 3 {
			t.Errorf("owner list = %v", list)
		}
		problemOf(t, l.do("GET", "/api/v1/contacts/"+theirs, ""), 404)
		problemOf(t, l.do("PATCH", "/api/v1/contacts/"+theirs, `{"last_name":"Mine"}`, "If-Match", `"1"`), 404)
		problemOf(t, l.do("DELETE", "/api/v1/contacts/"+theirs, ""), 404)
		problemOf(t, l.do("PUT", "/api/v1/contacts/"+theirs+"/tags", `{"tags":["vip"]}`), 404)
		problemOf(t, l.do("GET", "/api/v1/contacts/"+theirs+"/relationships", ""), 404)
		l.ok(200, "GET", "/api/v1/contacts/"+mine, "")

		// Bulk skips what the advisor cannot see.
		got := l.ok(200, "POST", "/api/v1/contacts/bulk", `{"action":"tag","tag":"VIP","contact_ids":[`+mine+`,`+theirs+`,`+own2+`]}`)
		if got["changed"] != 2.0 {
			t.Errorf("bulk tag changed %v", got["changed"])
		}
		if n := count(t, s, "SELECT COUNT(*) FROM contact_tags WHERE contact_id = ?", theirs); n != 0 {
			t.Errorf("bulk tagged someone else's contact")
		}
		problemOf(t, l.do("POST", "/api/v1/contacts/bulk", `{"action":"owner","owner_id":`+owner.IDString()+`,"contact_ids":[`+mine+`]}`), 403)
		if got := l.ok(200, "POST", "/api/v1/contacts/bulk", `{"action":"delete","contact_ids":[`+theirs+`]}`); got["changed"] != 0.0 {
			t.Errorf("bulk deleted someone else's contact: %v", got)
		}

		// A relationship to a contact that is not theirs is not shown to them.
		o.ok(201, "POST", "/api/v1/contacts/"+mine+"/relationships", `{"kind":"spouse","other_id":`+theirs+`}`)
		if rels := l.ok(200, "GET", "/api/v1/contacts/"+mine+"/relationships", ""); len(rels["items"].([]any)) != 0 {
			t.Errorf("limited advisor sees %v", rels)
		}
		if rels := o.ok(200, "GET", "/api/v1/contacts/"+mine+"/relationships", ""); len(rels["items"].([]any)) != 1 {
			t.Errorf("owner sees %v", rels)
		}
	})
}

func TestContactsAPI_badRequestsAreProblemsAndWriteNothing(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		c := callerFor(t, s, owner)
		id := idOf(c.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Liv","last_name":"Lund","category_id":1}`))
		before := count(t, s, "SELECT COUNT(*) FROM audit_log")
		for name, tc := range map[string]struct {
			method, path, body string
			status             int
			location           string // of one of the problem's errors
		}{
			"unknown sort":              {"GET", "/api/v1/contacts?sort=shoe_size", "", 400, "query.sort"},
			"unknown query parameter":   {"GET", "/api/v1/contacts?stgae=approved", "", 400, "query.stgae"},
			"unknown stage":             {"GET", "/api/v1/contacts?stage=sleeping", "", 400, "query.stage"},
			"unknown category":          {"GET", "/api/v1/contacts?category=99", "", 400, "query.category"},
			"category not a number":     {"GET", "/api/v1/contacts?category=client", "", 400, "query.category"},
			"unknown group":             {"GET", "/api/v1/contacts?group=99", "", 400, "query.group"},
			"limit too large":           {"GET", "/api/v1/contacts?limit=201", "", 400, "query.limit"},
			"limit zero":                {"GET", "/api/v1/contacts?limit=0", "", 400, "query.limit"},
			"damaged cursor":            {"GET", "/api/v1/contacts?cursor=bm9wZQ", "", 400, "query.cursor"},
			"search unknown field":      {"POST", "/api/v1/contacts/search", `{"conditions":[{"field":"shoe_size","op":"equals","value":"9"}]}`, 422, "body.conditions[0].field"},
			"search wrong operator":     {"POST", "/api/v1/contacts/search", `{"conditions":[{"field":"birth_date","op":"contains","value":"19"}]}`, 422, "body.conditions[0]"},
			"search bad date":           {"POST", "/api/v1/contacts/search", `{"conditions":[{"field":"birth_date","op":"before","value":"yesterday"}]}`, 422, "body.conditions[0]"},
			"search unknown member":     {"POST", "/api/v1/contacts/search", `{"filter":"all"}`, 422, "body.filter"},
			"search limit too large":    {"POST", "/api/v1/contacts/search", `{"limit":201}`, 422, "body.limit"},
			"search unknown sort":       {"POST", "/api/v1/contacts/search", `{"sort":"-shoe_size"}`, 422, "body.sort"},
			"malformed JSON":            {"POST", "/api/v1/contacts", `{"kind":"person",`, 400, ""},
			"unknown field":             {"POST", "/api/v1/contacts", `{"kind":"person","last_name":"X","category_id":1,"vip":true}`, 422, "body.vip"},
			"field in other casing":     {"POST", "/api/v1/contacts", `{"kind":"person","Last_Name":"X","category_id":1}`, 422, "body.Last_Name"},
			"wrong type":                {"POST", "/api/v1/contacts", `{"kind":"person","last_name":42,"category_id":1}`, 422, "body.last_name"},
			"unknown answer":            {"POST", "/api/v1/contacts", `{"kind":"person","last_name":"X","category_id":1,"employment":"astronaut"}`, 422, "body.employment"},
			"no name":                   {"POST", "/api/v1/contacts", `{"kind":"person","category_id":1}`, 422, "body.last_name"},
			"bad email":                 {"POST", "/api/v1/contacts", `{"kind":"person","last_name":"X","category_id":1,"emails":[{"address":"x@example.com"},{"address":"not an email"}]}`, 422, "body.emails[1].address"},
			"joint with one holder":     {"POST", "/api/v1/contacts", `{"kind":"joint","entity_name":"J","category_id":1,"joint_holder_ids":[` + id + `]}`, 422, "body.joint_holder_ids"},
			"no such category":          {"POST", "/api/v1/contacts", `{"kind":"person","last_name":"X","category_id":99}`, 422, "body.category_id"},
			"bad IBAN":                  {"POST", "/api/v1/contacts", `{"kind":"person","last_name":"X","category_id":1,"bank_accounts":[{"iban":"DE00123"}]}`, 422, "body.bank_accounts[0]"},
			"patch unknown field":       {"PATCH", "/api/v1/contacts/" + id, `{"vip":true}`, 422, "body.vip"},
			"patch invalid value":       {"PATCH", "/api/v1/contacts/" + id, `{"version":1,"birth_date":"2999-01-01"}`, 422, "body.birth_date"},
			"patch foreign identifier":  {"PATCH", "/api/v1/contacts/" + id, `{"version":1,"identifiers":[{"id":999,"kind":"tax_id"}]}`, 422, "body.identifiers[0]"},
			"create with identifier id": {"POST", "/api/v1/contacts", `{"kind":"person","last_name":"X","category_id":1,"bank_accounts":[{"id":1,"iban":"` + iban + `"}]}`, 422, "body.bank_accounts[0]"},
			"patch not an object":       {"PATCH", "/api/v1/contacts/" + id, `[1,2]`, 422, ""},
			"path id not a number":      {"GET", "/api/v1/contacts/abc", "", 400, "path.id"},
			"bulk unknown action":       {"POST", "/api/v1/contacts/bulk", `{"action":"erase","contact_ids":[` + id + `]}`, 422, "body.action"},
			"bulk without contacts":     {"POST", "/api/v1/contacts/bulk", `{"action":"delete","contact_ids":[]}`, 422, "body.contact_ids"},
			"relationship kind":         {"POST", "/api/v1/contacts/" + id + "/relationships", `{"kind":"nemesis","other_id":` + id + `}`, 422, "body.kind"},
			"relationship to self":      {"POST", "/api/v1/contacts/" + id + "/relationships", `{"kind":"spouse","other_id":` + id + `}`, 422, "body.other_id"},
		} {
			t.Run(name, func(t *testing.T) {
				p := problemOf(t, c.do(tc.method, tc.path, tc.body), tc.status)
				if d, _ := p["detail"].(string); d == "" || d == "validation failed" {
					t.Errorf("detail %q", d)
				}
				if tc.location == "" {
					return
				}
				var locs []string
				errList, _ := p["errors"].([]any)
				for _, e := range errList {
					locs = append(locs, fmt.Sprint(e.(map[string]any)["location"]))
				}
				if !slices.Contains(locs, tc.location) {
					t.Errorf("error locations %v, want %s\n%v", locs, tc.location, p)
				}
			})
		}
		if after := count(t, s, "SELECT COUNT(*) FROM audit_log"); after != before {
			t.Errorf("bad requests wrote %d activity rows", after-before)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM contacts"); n != 1 {
			t.Errorf("bad requests left %d contacts", n)
		}
		p := problemOf(t, c.do("GET", "/api/v1/contacts?stgae=approved", ""), 400)
		if !strings.Contains(p["detail"].(string), "q, category, stage, owner, group, tag, sort, cursor, limit") {
			t.Errorf("unknown parameter detail does not list the known ones: %v", p["detail"])
		}
	})
}

func TestContactsAPI_keysetPagesVisitEveryContactOnce(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		v := contact.ViewerFor(owner)
		ctx := audit.WithActor(context.Background(), audit.System)
		lasts := []string{"Smith", "Smith", "Öztürk", "Ng", "Abbott", "smith", "Zimmer", "Ng"}
		cities := []string{"Berlin", "", "Zürich", "Austin", "Berlin"}
		const n = 23
		for i := range n {
			c := &contact.Contact{Kind: contact.Person, FirstName: fmt.Sprintf("P%02d", i), LastName: lasts[i%len(lasts)], CategoryID: int64(1 + i%3)}
			if city := cities[i%len(cities)]; city != "" {
				c.Addresses = []contact.Address{{City: city, Country: "DE"}}
			}
			if _, err := s.Contacts.Create(ctx, v, c); err != nil {
				t.Fatal(err)
			}
		}
		c := callerFor(t, s, owner)
		walk := func(t *testing.T, page func(cursor string) map[string]any) []string {
			var seen []string
			cursor := ""
			for range 20 {
				body := page(cursor)
				seen = append(seen, ids(body["items"])...)
				if body["next_cursor"] == "" {
					return seen
				}
				cursor = body["next_cursor"].(string)
			}
			t.Fatal("pages never end")
			return nil
		}
		for _, sort := range []string{"", "name", "-name", "last_name", "created", "-created_at", "city", "-city", "category", "-completeness", "email", "last_activity_at"} {
			t.Run("sort="+sort, func(t *testing.T) {
				seen := walk(t, func(cur string) map[string]any {
					return c.ok(200, "GET", "/api/v1/contacts?limit=4&sort="+url.QueryEscape(sort)+"&cursor="+url.QueryEscape(cur), "")
				})
				if len(seen) != n || len(uniq(seen)) != n {
					t.Errorf("visited %d contacts (%d distinct), want %d", len(seen), len(uniq(seen)), n)
				}
			})
		}
		seen := walk(t, func(cur string) map[string]any {
			return c.ok(200, "GET", "/api/v1/contacts?limit=2&q=smi&cursor="+url.QueryEscape(cur), "")
		})
		if want := 9; len(seen) != want || len(uniq(seen)) != want {
			t.Errorf("q=smi visited %v, want %d", seen, want)
		}
		seen = walk(t, func(cur string) map[string]any {
			return c.ok(200, "POST", "/api/v1/contacts/search", `{"limit":3,"sort":"-created","category":1,"cursor":"`+cur+`",
				"conditions":[{"field":"last_name","op":"not_equals","value":"ng"}]}`)
		})
		if want := 6; len(seen) != want || len(uniq(seen)) != want {
			t.Errorf("search visited %v, want %d", seen, want)
		}
	})
}

func uniq(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return slices.Compact(c)
}

func TestContactsAPI_groupsTagsRelationshipsBulkAndCategories(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, adv := seeded(t, s)
		c := callerFor(t, s, owner)
		ann := idOf(c.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Ann","last_name":"Arden","category_id":1,"invested":{"amount_minor":10000}}`))
		bob := idOf(c.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Bob","last_name":"Arden","category_id":1}`))
		trust := idOf(c.ok(201, "POST", "/api/v1/contacts", `{"kind":"trust","entity_name":"Arden Trust","category_id":1,"invested":{"amount_minor":500000}}`))
		joint := idOf(c.ok(201, "POST", "/api/v1/contacts", `{"kind":"joint","entity_name":"Arden Joint","category_id":1,"joint_holder_ids":[`+ann+`,`+bob+`]}`))

		cats := c.ok(200, "GET", "/api/v1/contact-categories", "")
		if items := cats["items"].([]any); len(items) < 2 || items[0].(map[string]any)["key"] != "client" {
			t.Errorf("categories = %v", cats)
		}

		tags := c.ok(200, "PUT", "/api/v1/contacts/"+ann+"/tags", `{"tags":["VIP","golf ","vip"]}`)
		if fmt.Sprint(tags["tags"]) != "[golf vip]" {
			t.Errorf("tags = %v", tags)
		}
		if list := c.ok(200, "GET", "/api/v1/contacts?tag=vip", ""); fmt.Sprint(ids(list["items"])) != "["+ann+"]" {
			t.Errorf("tag filter = %v", list)
		}

		// The person may name the trust: entity roles take either order.
		rel := c.ok(201, "POST", "/api/v1/contacts/"+ann+"/relationships", `{"kind":"trustee","other_id":`+trust+`}`)
		if rel["label"] != "Trustee of" || idOf(map[string]any{"id": rel["other_id"]}) != trust {
			t.Errorf("relationship = %v", rel)
		}
		rels := c.ok(200, "GET", "/api/v1/contacts/"+trust+"/relationships", "")
		if items := rels["items"].([]any); len(items) != 1 || items[0].(map[string]any)["label"] != "Trustee is" {
			t.Errorf("trust relationships = %v", rels)
		}
		c.ok(201, "POST", "/api/v1/contacts/"+ann+"/relationships", `{"kind":"custom","other_id":`+bob+`,"label":"Mentor of","reverse_label":"Mentee of"}`)
		rels = c.ok(200, "GET", "/api/v1/contacts/"+ann+"/relationships", "")
		kinds := map[string]string{}
		for _, it := range rels["items"].([]any) {
			m := it.(map[string]any)
			kinds[m["kind"].(string)] = m["label"].(string)
		}
		if kinds["trustee"] != "Trustee of" || kinds["custom"] != "Mentor of" || kinds["joint_holder"] == "" {
			t.Errorf("Ann's relationships = %v", rels)
		}
		if got := c.ok(200, "GET", "/api/v1/contacts/"+ann, ""); got["relationship_value"].(map[string]any)["amount_minor"] != 510000.0 ||
			fmt.Sprint(got["relationship_value_other_currencies"]) != "[]" {
			t.Errorf("relationship value = %v, other currencies %v", got["relationship_value"], got["relationship_value_other_currencies"])
		}
		// A company holding euros is listed beside the dollars, not converted.
		gmbh := idOf(c.ok(201, "POST", "/api/v1/contacts", `{"kind":"company","entity_name":"Ann GmbH","category_id":1,
			"invested":{"amount_minor":70000,"currency":"EUR"}}`))
		c.ok(201, "POST", "/api/v1/contacts/"+gmbh+"/relationships", `{"kind":"owner","other_id":`+ann+`}`)
		got := c.ok(200, "GET", "/api/v1/contacts/"+ann, "")
		if got["relationship_value"].(map[string]any)["amount_minor"] != 510000.0 ||
			fmt.Sprint(got["relationship_value_other_currencies"]) != "[map[amount_minor:70000 currency:EUR]]" {
			t.Errorf("with a euro company: %v + %v", got["relationship_value"], got["relationship_value_other_currencies"])
		}
		if res := c.do("DELETE", "/api/v1/contacts/"+ann+"/relationships/"+idOf(rel), ""); res.StatusCode != 204 {
			t.Errorf("unrelate = %d %s", res.StatusCode, res.Body)
		}
		problemOf(t, c.do("DELETE", "/api/v1/contacts/"+ann+"/relationships/"+idOf(rel), ""), 404)

		// Groups.
		g := c.ok(201, "POST", "/api/v1/groups", `{"name":"Golf day","description":"June"}`)
		gid := idOf(g)
		problemOf(t, c.do("POST", "/api/v1/groups", `{"name":"Golf day"}`), 422)
		if got := c.ok(200, "POST", "/api/v1/groups/"+gid+"/members", `{"contact_ids":[`+ann+`,`+bob+`,`+ann+`]}`); got["changed"] != 2.0 {
			t.Errorf("add members = %v", got)
		}
		if list := c.ok(200, "GET", "/api/v1/contacts?group="+gid+"&sort=-created", ""); fmt.Sprint(ids(list["items"])) != "["+bob+" "+ann+"]" {
			t.Errorf("group members = %v", ids(list["items"]))
		}
		if res := c.do("DELETE", "/api/v1/groups/"+gid+"/members/"+bob, ""); res.StatusCode != 204 {
			t.Errorf("remove member = %d %s", res.StatusCode, res.Body)
		}
		g = c.ok(200, "PATCH", "/api/v1/groups/"+gid, `{"name":"Golf day 2026"}`)
		if g["name"] != "Golf day 2026" || g["description"] != "June" || g["members"] != 1.0 {
			t.Errorf("renamed group = %v", g)
		}
		if list := c.ok(200, "GET", "/api/v1/groups", ""); len(list["items"].([]any)) != 1 {
			t.Errorf("groups = %v", list)
		}
		problemOf(t, c.do("POST", "/api/v1/groups/99999/members", `{"contact_ids":[`+ann+`]}`), 404)

		// Bulk.
		if got := c.ok(200, "POST", "/api/v1/contacts/bulk", `{"action":"owner","owner_id":`+adv.IDString()+`,"contact_ids":[`+ann+`,`+bob+`]}`); got["changed"] != 2.0 {
			t.Errorf("bulk owner = %v", got)
		}
		if list := c.ok(200, "GET", "/api/v1/contacts?owner="+adv.IDString(), ""); len(list["items"].([]any)) != 2 {
			t.Errorf("owner filter = %v", list)
		}
		if got := c.ok(200, "POST", "/api/v1/contacts/bulk", `{"action":"group","group_id":`+gid+`,"contact_ids":[`+trust+`,`+joint+`]}`); got["changed"] != 2.0 {
			t.Errorf("bulk group = %v", got)
		}
		if got := c.ok(200, "POST", "/api/v1/contacts/bulk", `{"action":"delete","contact_ids":[`+trust+`,`+joint+`]}`); got["changed"] != 2.0 {
			t.Errorf("bulk delete = %v", got)
		}
		if res := c.do("DELETE", "/api/v1/groups/"+gid, ""); res.StatusCode != 204 {
			t.Errorf("delete group = %d", res.StatusCode)
		}
		problemOf(t, c.do("GET", "/api/v1/groups/"+gid, ""), 404)

		// A read-only user reads but changes nothing.
		ro := s.CreateUser(t, "reader@firm.test", "Rea Reader", auth.RoleReadOnly, advPass, auth.Grants{})
		r := callerFor(t, s, ro)
		r.ok(200, "GET", "/api/v1/contacts/"+ann, "")
		problemOf(t, r.do("PUT", "/api/v1/contacts/"+ann+"/tags", `{"tags":[]}`), 403)
		problemOf(t, r.do("POST", "/api/v1/groups", `{"name":"X"}`), 403)
	})
}

func TestContactsAPI_mergedContactRedirectsReadsAndRefusesChanges(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		c := callerFor(t, s, owner)
		old := idOf(c.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","last_name":"Old","category_id":1}`))
		survivor := idOf(c.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","last_name":"Survivor","category_id":1}`))
		if _, err := s.DB.ExecContext(context.Background(), "UPDATE contacts SET merged_into_id = ?, deleted_at = updated_at WHERE id = ?", survivor, old); err != nil {
			t.Fatal(err)
		}
		res := c.do("GET", "/api/v1/contacts/"+old, "")
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/api/v1/contacts/"+survivor ||
			!strings.Contains(res.Body, `"merged_into":`+survivor) {
			t.Errorf("GET merged = %d %s %s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		res = c.do("GET", "/api/v1/contacts/"+old+"/relationships", "")
		if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/api/v1/contacts/"+survivor+"/relationships" {
			t.Errorf("GET merged relationships = %d %s", res.StatusCode, res.Header.Get("Location"))
		}
		// Clients that follow redirects land on the survivor.
		if res := s.API(t, c.tok, "GET", "/api/v1/contacts/"+old, ""); res.StatusCode != 200 || !strings.Contains(res.Body, `"Survivor"`) {
			t.Errorf("followed redirect = %d %s", res.StatusCode, res.Body)
		}
		for _, req := range [][3]string{{"PATCH", "/api/v1/contacts/" + old, `{"version":1,"last_name":"X"}`}, {"DELETE", "/api/v1/contacts/" + old, ""},
			{"PUT", "/api/v1/contacts/" + old + "/tags", `{"tags":["x"]}`}} {
			p := problemOf(t, c.do(req[0], req[1], req[2]), 404)
			if p["merged_into"] != float64(mustAtoi(t, survivor)) {
				t.Errorf("%s %s problem = %v", req[0], req[1], p)
			}
		}
	})
}

func mustAtoi(t *testing.T, s string) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestContactsAPI_openAPIDescribesContactsFromTheDomain(t *testing.T) {
	s := apptest.Start(t, dbtest.Kinds()[0], nil)
	res := s.API(t, "", "GET", "/api/v1/openapi.json", "")
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			Schemas map[string]struct {
				Properties map[string]struct {
					Enum      []string `json:"enum"`
					ReadOnly  bool     `json:"readOnly"`
					WriteOnly bool     `json:"writeOnly"`
					Items     *struct {
						Enum []string `json:"enum"`
					} `json:"items"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if res.StatusCode != 200 || json.Unmarshal([]byte(res.Body), &doc) != nil {
		t.Fatalf("openapi = %d", res.StatusCode)
	}
	for path, methods := range map[string][]string{
		"/api/v1/contacts": {"get", "post"}, "/api/v1/contacts/search": {"post"}, "/api/v1/contacts/{id}": {"get", "patch", "delete"},
		"/api/v1/contacts/{id}/restore": {"post"}, "/api/v1/contacts/{id}/reveal": {"post"}, "/api/v1/contacts/{id}/tags": {"put"},
		"/api/v1/contacts/{id}/relationships": {"get", "post"}, "/api/v1/contacts/{id}/relationships/{rid}": {"delete"},
		"/api/v1/contacts/bulk": {"post"}, "/api/v1/contact-categories": {"get"}, "/api/v1/groups": {"get", "post"},
		"/api/v1/groups/{id}": {"get", "patch", "delete"}, "/api/v1/groups/{id}/members": {"post"},
		"/api/v1/groups/{id}/members/{contact_id}": {"delete"},
	} {
		for _, m := range methods {
			if _, ok := doc.Paths[path][m]; !ok {
				t.Errorf("%s %s is not described", m, path)
			}
		}
	}
	props := doc.Components.Schemas["Contact"].Properties
	if e := props["employment"].Enum; len(e) != len(contact.Employments)+1 || e[0] != "" || e[1] != contact.Employments[0].Key {
		t.Errorf("employment enum %v", e)
	}
	if e := props["kind"].Enum; len(e) != len(contact.Kinds) {
		t.Errorf("kind enum %v", e)
	}
	if e := props["markets_traded"].Items; e == nil || len(e.Enum) != len(contact.Markets) {
		t.Errorf("markets_traded items %v", e)
	}
	if !props["id"].ReadOnly || !props["completeness"].ReadOnly {
		t.Error("computed members are not read-only")
	}
	idp := doc.Components.Schemas["Identifier"].Properties
	if !idp["number"].WriteOnly || !idp["number_masked"].ReadOnly {
		t.Errorf("identifier number is not write-only: %+v", idp)
	}
	if e := doc.Components.Schemas["Condition"].Properties["field"].Enum; len(e) != len(contact.SearchFields) {
		t.Errorf("condition fields %v", e)
	}
	list := string(doc.Paths["/api/v1/contacts"]["get"])
	for _, col := range contact.SortColumns {
		if !strings.Contains(list, col.Key()) {
			t.Errorf("the sort parameter does not mention %s", col.Key())
		}
	}
	patch := string(doc.Paths["/api/v1/contacts/{id}"]["patch"])
	for _, want := range []string{`"409"`, `"423"`, `"428"`, "current_version", "If-Match"} {
		if !strings.Contains(patch, want) && !strings.Contains(res.Body, want) {
			t.Errorf("PATCH does not document %s", want)
		}
	}
}
