package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/config"
)

// The import and export endpoints of the API, driven over HTTP against the
// real server (and its background import worker) on every database kind.

// folioCSV has the columns of Folio's import template.
const folioCSV = "kind,external_id,first_name,last_name,email,phone,address_line1,city,postal_code,country,tags,category\r\n" +
	"person,F-1,Ada,Lovelace,ada@example.com,+44 20 7946 0018,12 St James's Square,London,SW1Y 4LE,GB,\"vip, newsletter\",Client\r\n" +
	"person,F-2,Charles,Babbage,charles@example.com,+44 20 7946 0019,1 Dorset Street,London,W1U 4EG,GB,engines,Prospect\r\n"

// wealthboxCSV has the snake_case headers of a Wealthbox contacts export.
const wealthboxCSV = "id,external_unique_id,first_name,middle_name,last_name,name,primary_email,primary_phone," +
	"mailing_address_street,mailing_address_street_2,mailing_address_city,mailing_address_state,mailing_address_zip_code\n" +
	"101,WB-101,Grace,Brewster,Hopper,Grace Hopper,grace@example.com,+1 212 555 0100,1 Navy Way,Suite 2,Arlington,VA,22202\n" +
	"102,WB-102,Alan,Mathison,Turing,Alan Turing,alan@example.com,+1 212 555 0101,2 Bletchley Road,,Princeton,NJ,08540\n"

// importBody is a multipart body: the parts (name, value pairs) in order,
// then the file when filename is set.
func importBody(t *testing.T, filename string, content []byte, parts ...string) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	for i := 0; i+1 < len(parts); i += 2 {
		if err := w.WriteField(parts[i], parts[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if filename != "" {
		fw, err := w.CreateFormFile("file", filename)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = fw.Write(content)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String(), w.FormDataContentType()
}

// importFile uploads content as filename, the parts sent before it.
func (c caller) importFile(filename string, content []byte, parts ...string) apptest.Response {
	c.t.Helper()
	body, ctype := importBody(c.t, filename, content, parts...)
	return c.do("POST", "/api/v1/imports", body, "Content-Type", ctype)
}

// imported uploads a file, expects it queued and waits for its end.
func (c caller) imported(filename, content string, parts ...string) map[string]any {
	c.t.Helper()
	res := c.importFile(filename, []byte(content), parts...)
	if res.StatusCode != 202 {
		c.t.Fatalf("upload %s = %d, want 202\n%s", filename, res.StatusCode, res.Body)
	}
	var im map[string]any
	if err := json.Unmarshal([]byte(res.Body), &im); err != nil {
		c.t.Fatal(err)
	}
	if loc := res.Header.Get("Location"); loc != "/api/v1/imports/"+idOf(im) {
		c.t.Errorf("Location = %q", loc)
	}
	if im["status"] != "queued" && im["status"] != "running" && im["status"] != "done" {
		c.t.Errorf("status after upload = %v", im["status"])
	}
	return c.finished(idOf(im))
}

// finished polls an import until it stops.
func (c caller) finished(id string) map[string]any {
	c.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		im := c.ok(200, "GET", "/api/v1/imports/"+id, "")
		switch im["status"] {
		case "done", "failed", "cancelled":
			return im
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("import %s still %v", id, im["status"])
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// counts is an import's counts as created/updated/unchanged/rejected.
func counts(im map[string]any) string {
	n := im["counts"].(map[string]any)
	return fmt.Sprintf("created=%v updated=%v unchanged=%v rejected=%v", n["created"], n["updated"], n["unchanged"], n["rejected"])
}

// mappedColumns is an import's columns as header→field.
func mappedColumns(im map[string]any) map[string]string {
	out := map[string]string{}
	for _, c := range im["columns"].([]any) {
		m := c.(map[string]any)
		out[m["header"].(string)] = m["field"].(string)
	}
	return out
}

// contactCount is how many contacts are not in the trash.
func contactCount(t *testing.T, s *apptest.Server) int {
	return count(t, s, "SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL")
}

// found is the one contact a search finds, read in full.
func (c caller) found(q string) map[string]any {
	c.t.Helper()
	list := c.ok(200, "GET", "/api/v1/contacts?q="+q, "")
	items := list["items"].([]any)
	if len(items) != 1 {
		c.t.Fatalf("search %q found %d contacts", q, len(items))
	}
	return c.ok(200, "GET", "/api/v1/contacts/"+idOf(items[0].(map[string]any)), "")
}

// grantedUser adds a user with grants.
func grantedUser(t *testing.T, s *apptest.Server, email, name string, role auth.Role, g auth.Grants, ownOnly bool) *auth.User {
	t.Helper()
	u, err := s.Auth.CreateUser(audit.WithActor(context.Background(), audit.System), nil, auth.NewUser{Email: email, Name: name,
		Role: role, Password: advPass, Grants: g, OwnContactsOnly: ownOnly})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// readCSV parses a CSV download (after its byte-order mark).
func readCSV(t *testing.T, body string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(body, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatalf("read CSV: %v\n%s", err, body)
	}
	return rows
}

// column is the values of one column of a CSV with a header, by row.
func column(t *testing.T, rows [][]string, name string) []string {
	t.Helper()
	i := slices.Index(rows[0], name)
	if i < 0 {
		t.Fatalf("no column %s in %v", name, rows[0])
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[i])
	}
	return out
}

func TestImportAPI_folioTemplateAndWealthboxCSVsAreQueuedRunAndCounted(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		o := callerFor(t, s, owner)

		im := o.imported("folio.csv", folioCSV)
		if im["status"] != "done" || counts(im) != "created=2 updated=0 unchanged=0 rejected=0" {
			t.Fatalf("folio template import = %v %s", im["status"], counts(im))
		}
		if n := im["counts"].(map[string]any)["rows_done"]; n != 2.0 {
			t.Errorf("rows_done = %v", n)
		}
		if p := im["progress"].(map[string]any); p["percent"] != 100.0 || p["seconds_left"] != 0.0 {
			t.Errorf("progress = %v", p)
		}
		if im["finished_at"] == nil || im["started_at"] == nil || im["created_by"] != "Olivia Owner" || im["format"] != "csv" ||
			im["key"] != "email" || im["dry_run"] != false {
			t.Errorf("import = %v", im)
		}
		if l := im["links"].(map[string]any); l["errors"] != "/api/v1/imports/"+idOf(im)+"/errors.csv" {
			t.Errorf("links = %v", l)
		}
		ada := o.found("lovelace")
		if ada["external_id"] != "F-1" || ada["category"] != "Client" || fmt.Sprint(ada["tags"]) != "[newsletter vip]" {
			t.Errorf("Ada = %v", ada)
		}
		if a := ada["addresses"].([]any)[0].(map[string]any); a["city"] != "London" || a["postal_code"] != "SW1Y 4LE" || a["country"] != "GB" {
			t.Errorf("Ada's address = %v", a)
		}
		if ph := ada["phones"].([]any)[0].(map[string]any); ph["number"] != "+442079460018" {
			t.Errorf("Ada's phone = %v", ph)
		}
		if o.found("babbage")["category"] != "Prospect" {
			t.Error("Babbage's category")
		}

		im = o.imported("wealthbox.csv", wealthboxCSV)
		if im["status"] != "done" || counts(im) != "created=2 updated=0 unchanged=0 rejected=0" {
			t.Fatalf("wealthbox import = %v %s %v", im["status"], counts(im), im["error"])
		}
		want := map[string]string{"id": "", "external_unique_id": "external_id", "first_name": "first_name", "middle_name": "middle_name",
			"last_name": "last_name", "name": "full_name", "primary_email": "email", "primary_phone": "phone",
			"mailing_address_street": "address_line1", "mailing_address_street_2": "address_line2", "mailing_address_city": "city",
			"mailing_address_state": "region", "mailing_address_zip_code": "postal_code"}
		if got := mappedColumns(im); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("wealthbox mapping = %v\nwant %v", got, want)
		}
		grace := o.found("hopper")
		if grace["first_name"] != "Grace" || grace["middle_name"] != "Brewster" || grace["external_id"] != "WB-101" ||
			grace["emails"].([]any)[0].(map[string]any)["address"] != "grace@example.com" {
			t.Errorf("Grace = %v", grace)
		}
		a := grace["addresses"].([]any)[0].(map[string]any)
		if a["line1"] != "1 Navy Way" || a["line2"] != "Suite 2" || a["city"] != "Arlington" || a["region"] != "VA" || a["postal_code"] != "22202" {
			t.Errorf("Grace's address = %v", a)
		}
		if a := o.found("turing")["addresses"].([]any)[0].(map[string]any); a["postal_code"] != "08540" {
			t.Errorf("a zip code's leading zero: %v", a)
		}
		if n := contactCount(t, s); n != 4 {
			t.Errorf("contacts = %d", n)
		}

		// The list pages newest first; each import is logged.
		page := o.ok(200, "GET", "/api/v1/imports?limit=1", "")
		if items := page["items"].([]any); len(items) != 1 || items[0].(map[string]any)["file_name"] != "wealthbox.csv" || page["next_cursor"] == "" {
			t.Fatalf("first page = %v", page)
		}
		page = o.ok(200, "GET", "/api/v1/imports?limit=1&cursor="+page["next_cursor"].(string), "")
		if items := page["items"].([]any); len(items) != 1 || items[0].(map[string]any)["file_name"] != "folio.csv" || page["next_cursor"] != "" {
			t.Fatalf("second page = %v", page)
		}
		problemOf(t, o.do("GET", "/api/v1/imports?cursor=x", ""), 400)
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'import.finish'"); n != 2 {
			t.Errorf("import.finish entries = %d", n)
		}
	})
}

func TestImportAPI_dryRunWritesNoContactThenTheRealImportDoes(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		o := callerFor(t, s, owner)
		im := o.imported("folio.csv", folioCSV, "dry_run", "true")
		if im["status"] != "done" || im["dry_run"] != true || counts(im) != "created=2 updated=0 unchanged=0 rejected=0" {
			t.Fatalf("dry run = %v %s", im["status"], counts(im))
		}
		if n := contactCount(t, s); n != 0 {
			t.Fatalf("a dry run stored %d contacts", n)
		}
		// The real import after the dry run, then it cannot run twice.
		started := o.ok(202, "POST", "/api/v1/imports/"+idOf(im)+"/start", "")
		if started["dry_run"] != false || started["status"] == "done" && counts(started) != "created=2 updated=0 unchanged=0 rejected=0" {
			t.Errorf("started = %v", started)
		}
		if im = o.finished(idOf(im)); counts(im) != "created=2 updated=0 unchanged=0 rejected=0" || contactCount(t, s) != 2 {
			t.Fatalf("real import = %s, contacts %d", counts(im), contactCount(t, s))
		}
		problemOf(t, o.do("POST", "/api/v1/imports/"+idOf(im)+"/start", ""), 409)
		problemOf(t, o.do("POST", "/api/v1/imports/"+idOf(im)+"/cancel", ""), 409)
		problemOf(t, o.do("POST", "/api/v1/imports/999999/start", ""), 404)
	})
}

func TestImportAPI_startFalseStoresTheFileToMapAndStartLater(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, adv := seeded(t, s)
		o := callerFor(t, s, owner)
		file := "Given,Family,E-mail address,Notes\nAda,Lovelace,ada@example.com,likes engines\n"
		res := o.importFile("people.csv", []byte(file), "start", "false")
		if res.StatusCode != 201 {
			t.Fatalf("upload start=false = %d\n%s", res.StatusCode, res.Body)
		}
		var im map[string]any
		_ = json.Unmarshal([]byte(res.Body), &im)
		id := idOf(im)
		if im["status"] != "uploaded" || res.Header.Get("Location") != "/api/v1/imports/"+id {
			t.Fatalf("stored import = %v", im)
		}
		if got := mappedColumns(im); got["E-mail address"] != "email" || got["Given"] != "" || got["Notes"] != "" {
			t.Errorf("proposed = %v", got)
		}
		// Settings that only a start takes are refused with start=false.
		p := problemOf(t, o.importFile("people.csv", []byte(file), "start", "false", "key", "email"), 422)
		if !strings.Contains(fmt.Sprint(p["detail"]), "/start") {
			t.Errorf("detail %v", p["detail"])
		}
		// The fields to map to.
		fields := o.ok(200, "GET", "/api/v1/imports/fields", "")
		var keys []string
		for _, f := range fields["items"].([]any) {
			m := f.(map[string]any)
			keys = append(keys, m["key"].(string))
			if m["key"] == "tax_id" && m["sensitive"] != true {
				t.Errorf("tax_id = %v", m)
			}
		}
		if !slices.Contains(keys, "first_name") || !slices.Contains(keys, "email") || fields["next_cursor"] != "" {
			t.Errorf("fields = %v", keys)
		}
		// Another user cannot start it; an unknown column or field is named.
		problemOf(t, callerFor(t, s, adv).do("POST", "/api/v1/imports/"+id+"/start", `{}`), 403)
		p = problemOf(t, o.do("POST", "/api/v1/imports/"+id+"/start", `{"mapping":{"Givne":"first_name"}}`), 422)
		if !strings.Contains(fmt.Sprint(p["detail"]), `"Givne"`) {
			t.Errorf("unknown column detail %v", p["detail"])
		}
		p = problemOf(t, o.do("POST", "/api/v1/imports/"+id+"/start", `{"mapping":{"Given":"given_name"}}`), 422)
		if !strings.Contains(fmt.Sprint(p["detail"]), `"given_name"`) {
			t.Errorf("unknown field detail %v", p["detail"])
		}
		problemOf(t, o.do("POST", "/api/v1/imports/"+id+"/start", `{"key":"phone"}`), 422)
		started := o.ok(202, "POST", "/api/v1/imports/"+id+"/start",
			`{"mapping":{"Given":"first_name","Family":"last_name","Notes":""},"key":"email"}`)
		if got := mappedColumns(started); got["Given"] != "first_name" || got["Family"] != "last_name" || got["E-mail address"] != "email" {
			t.Errorf("started mapping = %v", got)
		}
		if im := o.finished(id); counts(im) != "created=1 updated=0 unchanged=0 rejected=0" {
			t.Fatalf("import = %s %v", counts(im), im["error"])
		}
		if ada := o.found("lovelace"); ada["first_name"] != "Ada" {
			t.Errorf("Ada = %v", ada)
		}
		// Cancelling one that waits for its mapping.
		res = o.importFile("people.csv", []byte(file), "start", "false")
		_ = json.Unmarshal([]byte(res.Body), &im)
		if got := o.ok(200, "POST", "/api/v1/imports/"+idOf(im)+"/cancel", ""); got["status"] != "cancelled" {
			t.Errorf("cancelled = %v", got)
		}
	})
}

func TestImportAPI_updatesOrCreatesByEmailExternalIDOrTaxID(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		o := callerFor(t, s, owner)
		greta := idOf(o.ok(201, "POST", "/api/v1/contacts", fullPerson("Greta", "Gruber")))
		ext := idOf(o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Eric","last_name":"Extern","category_id":1,"external_id":"CRM-7"}`))

		im := o.imported("by-email.csv", "email,last_name,occupation\ngreta@example.com,,Engineer\nnew@example.com,Newman,Pilot\n", "key", "email")
		if counts(im) != "created=1 updated=1 unchanged=0 rejected=0" {
			t.Errorf("by email = %s %v", counts(im), im["rejections"])
		}
		if got := o.ok(200, "GET", "/api/v1/contacts/"+greta, ""); got["occupation"] != "Engineer" {
			t.Errorf("by email: occupation %v", got["occupation"])
		}

		im = o.imported("by-id.csv", "external_id,first_name,last_name,occupation\nCRM-7,Eric,Extern,Baker\nCRM-8,Nina,New,Cook\n", "key", "external_id")
		if counts(im) != "created=1 updated=1 unchanged=0 rejected=0" {
			t.Errorf("by external id = %s", counts(im))
		}
		if got := o.ok(200, "GET", "/api/v1/contacts/"+ext, ""); got["occupation"] != "Baker" {
			t.Errorf("by external id: occupation %v", got["occupation"])
		}

		im = o.imported("by-tax-id.csv", "tax_id,first_name,last_name,citizenship,occupation\n"+taxID+",Greta,Gruber,DE,Architect\n"+
			"123-45-6789,Tina,Taxed,US,Judge\n", "key", "tax_id")
		if counts(im) != "created=1 updated=1 unchanged=0 rejected=0" {
			t.Errorf("by tax id = %s %v", counts(im), im["rejections"])
		}
		if got := o.ok(200, "GET", "/api/v1/contacts/"+greta, ""); got["occupation"] != "Architect" || len(got["identifiers"].([]any)) != 1 {
			t.Errorf("by tax id: %v %v", got["occupation"], got["identifiers"])
		}
		if n := contactCount(t, s); n != 5 {
			t.Errorf("contacts = %d, want 5", n)
		}
		// The import's own view never shows the clear number.
		noClearValues(t, "tax id import", fmt.Sprint(im))
	})
}

func TestImportAPI_reimportingTheSameFileChangesNothing(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		o := callerFor(t, s, owner)
		for _, f := range []struct{ name, content, key string }{{"folio.csv", folioCSV, "email"}, {"wealthbox.csv", wealthboxCSV, "external_id"}} {
			if im := o.imported(f.name, f.content, "key", f.key); counts(im) != "created=2 updated=0 unchanged=0 rejected=0" {
				t.Fatalf("%s first = %s", f.name, counts(im))
			}
			before := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE entity = 'contact'")
			if im := o.imported(f.name, f.content, "key", f.key); counts(im) != "created=0 updated=0 unchanged=2 rejected=0" {
				t.Errorf("%s again = %s %v", f.name, counts(im), im["rejections"])
			}
			if after := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE entity = 'contact'"); after != before {
				t.Errorf("%s again logged %d contact changes", f.name, after-before)
			}
		}
		if n := contactCount(t, s); n != 4 {
			t.Errorf("contacts = %d", n)
		}
	})
}

func TestImportAPI_rejectedRowsDownloadAsCSVWithLineAndReason(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		o := callerFor(t, s, owner)
		file := "first_name,last_name,email,birth_date\n" +
			"Ada,Lovelace,ada@example.com,1985-12-10\n" +
			"Bad,Date,bad@example.com,1815-13-45\n" +
			"No,Email,,\n"
		im := o.imported("people.csv", file)
		if counts(im) != "created=1 updated=0 unchanged=0 rejected=2" {
			t.Fatalf("import = %s %v", counts(im), im["rejections"])
		}
		rej := im["rejections"].([]any)
		if len(rej) != 2 || rej[0].(map[string]any)["line"] != 3.0 || !strings.Contains(rej[0].(map[string]any)["reason"].(string), "birth_date") ||
			rej[1].(map[string]any)["line"] != 4.0 || !strings.Contains(rej[1].(map[string]any)["reason"].(string), "email") {
			t.Errorf("rejections = %v", rej)
		}
		res := o.do("GET", "/api/v1/imports/"+idOf(im)+"/errors.csv", "")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			res.Header.Get("Content-Disposition") != `attachment; filename="import-`+idOf(im)+`-errors.csv"` ||
			res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("errors.csv = %d %v\n%s", res.StatusCode, res.Header, res.Body)
		}
		rows := readCSV(t, res.Body)
		if fmt.Sprint(rows[0]) != "[first_name last_name email birth_date Line Error]" || len(rows) != 3 {
			t.Fatalf("errors.csv rows = %v", rows)
		}
		if r := rows[1]; r[0] != "Bad" || r[3] != "1815-13-45" || r[4] != "3" || !strings.Contains(r[5], "birth_date") {
			t.Errorf("row 1 = %v", r)
		}
		if r := rows[2]; r[0] != "No" || r[4] != "4" || !strings.Contains(r[5], "email") {
			t.Errorf("row 2 = %v", r)
		}
		problemOf(t, o.do("GET", "/api/v1/imports/999999/errors.csv", ""), 404)
		// A limited advisor sees neither the import nor its rejected rows.
		l := callerFor(t, s, limitedAdvisor(t, s))
		problemOf(t, l.do("GET", "/api/v1/imports/"+idOf(im), ""), 404)
		problemOf(t, l.do("GET", "/api/v1/imports/"+idOf(im)+"/errors.csv", ""), 404)
		if list := l.ok(200, "GET", "/api/v1/imports", ""); len(list["items"].([]any)) != 0 {
			t.Errorf("limited advisor's imports = %v", list)
		}
	})
}

func TestImportAPI_badMappingKeyOrPartsAre422AndStoreNothing(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		o := callerFor(t, s, owner)
		file := []byte("First,Last,Mail\nAda,Lovelace,ada@example.com\n")
		for name, tc := range map[string]struct {
			parts []string
			want  string
		}{
			"unknown field":   {[]string{"mapping", `{"First":"frist_name"}`}, `"frist_name" (for column "First") is not a Folio field`},
			"not JSON":        {[]string{"mapping", `First=first_name`}, "JSON object"},
			"bad key":         {[]string{"key", "phone"}, "email, external_id, tax_id or none"},
			"bad dry_run":     {[]string{"dry_run", "maybe"}, "true or false"},
			"unknown part":    {[]string{"owner", "me"}, "unknown part"},
			"part twice":      {[]string{"key", "email", "key", "email"}, "once"},
			"long delimiter":  {[]string{"delimiter", ";;"}, "one character"},
			"file as a value": {[]string{"file", "First,Last"}, "file part"},
		} {
			t.Run(name, func(t *testing.T) {
				p := problemOf(t, o.importFile("people.csv", file, tc.parts...), 422)
				if !strings.Contains(fmt.Sprint(p["detail"]), tc.want) {
					t.Errorf("detail = %v, want %q", p["detail"], tc.want)
				}
			})
		}
		if n := count(t, s, "SELECT COUNT(*) FROM imports"); n != 0 {
			t.Errorf("refused uploads stored %d imports", n)
		}
		// A column the file does not have is known only once it is read:
		// the file stays stored, not started, and the detail says where.
		p := problemOf(t, o.importFile("people.csv", file, "mapping", `{"Email":"email"}`), 422)
		if d := fmt.Sprint(p["detail"]); !strings.Contains(d, `no column "Email"`) || !strings.Contains(d, `"Mail"`) || !strings.Contains(d, "/start") {
			t.Errorf("unknown column detail = %s", d)
		}
		p = problemOf(t, o.importFile("people.csv", file, "mapping", `{"First":"","Last":"","Mail":""}`), 422)
		if d := fmt.Sprint(p["detail"]); !strings.Contains(d, "No column is mapped") || !strings.Contains(d, "/start") {
			t.Errorf("nothing mapped detail = %s", d)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM imports WHERE status = 'uploaded'"); n != 2 {
			t.Errorf("stored imports = %d", n)
		}
		// Without a file, and not as multipart.
		body, ctype := importBody(t, "", nil, "key", "email")
		if p := problemOf(t, o.do("POST", "/api/v1/imports", body, "Content-Type", ctype), 422); !strings.Contains(fmt.Sprint(p["detail"]), "file") {
			t.Errorf("no file detail = %v", p["detail"])
		}
		problemOf(t, o.do("POST", "/api/v1/imports", `{"file":"x"}`), 415)
		if n := contactCount(t, s); n != 0 {
			t.Errorf("contacts = %d", n)
		}
	})
}

func TestImportAPI_emptyFileAndPNGRenamedCSVAre422WithTheReadersMessage(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		o := callerFor(t, s, owner)
		png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)
		for name, tc := range map[string]struct {
			content []byte
			want    string
		}{
			"empty":             {nil, "The file is empty."},
			"png renamed .csv":  {png, "PNG image"},
			"header only blank": {[]byte("\n\n"), "empty"},
		} {
			t.Run(name, func(t *testing.T) {
				p := problemOf(t, o.importFile("contacts.csv", tc.content), 422)
				if !strings.Contains(fmt.Sprint(p["detail"]), tc.want) {
					t.Errorf("detail = %v, want %q", p["detail"], tc.want)
				}
			})
		}
		if n := count(t, s, "SELECT COUNT(*) FROM imports"); n != 0 {
			t.Errorf("unreadable files stored %d imports", n)
		}
	})
}

func TestImportAPI_fileOverTheLimitIs413(t *testing.T) {
	each(t, func(c *config.Config) { c.ImportMaxBytes = 4096 }, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		o := callerFor(t, s, owner)
		row := "Ada,Lovelace,ada@example.com\n"
		fits := "first_name,last_name,email\n" + strings.Repeat(row, 4000/len(row))
		if im := o.imported("fits.csv", fits); im["status"] != "done" {
			t.Fatalf("a file under the limit = %v", im)
		}
		for name, size := range map[string]int{"read to the limit": 10 << 10, "refused by its length": 2 << 20} {
			t.Run(name, func(t *testing.T) {
				big := "first_name,last_name,email\n" + strings.Repeat(row, size/len(row))
				p := problemOf(t, o.importFile("big.csv", []byte(big)), 413)
				if d := fmt.Sprint(p["detail"]); !strings.Contains(d, "4 KB") || !strings.Contains(d, "FOLIO_IMPORT_MAX_BYTES") {
					t.Errorf("detail = %s", d)
				}
			})
		}
		if n := count(t, s, "SELECT COUNT(*) FROM imports"); n != 1 {
			t.Errorf("imports = %d", n)
		}
	})
}

// exportUsers are the owner (who has every grant), an admin with the
// export grant, one who also has Sensitive Data Access and an advisor with
// neither.
func exportUsers(t *testing.T, s *apptest.Server) (o, exp, sens, adv caller) {
	owner, advisor := seeded(t, s)
	return callerFor(t, s, owner),
		callerFor(t, s, grantedUser(t, s, "exp@firm.test", "Edda Exporter", auth.RoleAdmin, auth.Grants{Export: true}, false)),
		callerFor(t, s, grantedUser(t, s, "sens@firm.test", "Sven Sensitive", auth.RoleAdmin, auth.Grants{Export: true, Sensitive: true}, false)),
		callerFor(t, s, advisor)
}

func TestExportAPI_csvXLSXAndVCardContainTheContactsTheQuerySelects(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		o, exp, _, _ := exportUsers(t, s)
		greta := idOf(o.ok(201, "POST", "/api/v1/contacts", fullPerson("Greta", "Gruber")))
		hans := idOf(o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Hans","last_name":"Huber","category_id":2,
			"emails":[{"address":"hans@example.com"}]}`))

		res := exp.do("GET", "/api/v1/contacts/export?format=csv", "")
		today := time.Now().Format(time.DateOnly)
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			res.Header.Get("Content-Disposition") != `attachment; filename="contacts-`+today+`.csv"` ||
			res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("export = %d %v\n%s", res.StatusCode, res.Header, res.Body)
		}
		rows := readCSV(t, res.Body)
		if len(rows) != 3 || fmt.Sprint(column(t, rows, "last_name")) != "[Gruber Huber]" ||
			fmt.Sprint(column(t, rows, "email")) != "[greta@example.com hans@example.com]" ||
			fmt.Sprint(column(t, rows, "city")) != "[Berlin ]" || fmt.Sprint(column(t, rows, "category")) != "[Client Prospect]" {
			t.Errorf("export rows = %v", rows)
		}
		// The list's search, filters and sort.
		rows = readCSV(t, exp.do("GET", "/api/v1/contacts/export?q=hub", "").Body)
		if fmt.Sprint(column(t, rows, "first_name")) != "[Hans]" {
			t.Errorf("q=hub = %v", rows)
		}
		rows = readCSV(t, exp.do("GET", "/api/v1/contacts/export?sort=-name", "").Body)
		if fmt.Sprint(column(t, rows, "first_name")) != "[Hans Greta]" {
			t.Errorf("sort=-name = %v", rows)
		}
		// A selection, in its order, each contact once.
		res = exp.do("POST", "/api/v1/contacts/export", `{"format":"csv","ids":[`+hans+`,`+greta+`,`+hans+`,999999]}`)
		if rows = readCSV(t, res.Body); res.StatusCode != 200 || fmt.Sprint(column(t, rows, "first_name")) != "[Hans Greta]" {
			t.Errorf("selection = %d %v", res.StatusCode, rows)
		}
		res = exp.do("GET", "/api/v1/contacts/export?format=xlsx", "")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Body, "PK") || !strings.HasSuffix(res.Header.Get("Content-Disposition"), `.xlsx"`) ||
			res.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("xlsx = %d %v", res.StatusCode, res.Header)
		}
		res = exp.do("GET", "/api/v1/contacts/export?format=vcard", "")
		if res.StatusCode != 200 || strings.Count(res.Body, "BEGIN:VCARD") != 2 || !strings.Contains(res.Body, "Gruber") ||
			!strings.HasSuffix(res.Header.Get("Content-Disposition"), `.vcf"`) {
			t.Errorf("vcard = %d %v\n%s", res.StatusCode, res.Header, res.Body)
		}
		// Bad parameters are answered before any byte, as problems.
		problemOf(t, exp.do("GET", "/api/v1/contacts/export?format=pdf", ""), 400)
		problemOf(t, exp.do("GET", "/api/v1/contacts/export?sort=shoe_size", ""), 400)
		problemOf(t, exp.do("GET", "/api/v1/contacts/export?group=999", ""), 400)
		problemOf(t, exp.do("GET", "/api/v1/contacts/export?limit=5", ""), 400)
		problemOf(t, exp.do("POST", "/api/v1/contacts/export", `{"format":"csv","ids":[]}`), 422)
		problemOf(t, exp.do("POST", "/api/v1/contacts/export", `{"format":"csv","ids":[`+strings.Repeat("1,", 10000)+`1]}`), 422)
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.export'"); n != 6 {
			t.Errorf("exports logged = %d, want 6", n)
		}
	})
}

func TestExportAPI_limitedAdvisorExportsOnlyTheirOwnContacts(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		o, _, _, _ := exportUsers(t, s)
		lim := grantedUser(t, s, "limexp@firm.test", "Lima Exporter", auth.RoleAdvisor, auth.Grants{Export: true}, true)
		l := callerFor(t, s, lim)
		mine := idOf(o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Mia","last_name":"Mine","category_id":1,"owner_id":`+lim.IDString()+`}`))
		theirs := idOf(o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"Tom","last_name":"Theirs","category_id":1,
			"emails":[{"address":"tom@example.com"}]}`))
		for _, path := range []string{"/api/v1/contacts/export", "/api/v1/contacts/export?q=theirs", "/api/v1/contacts/export?owner=1"} {
			res := l.do("GET", path, "")
			if res.StatusCode != 200 || strings.Contains(res.Body, "Theirs") || strings.Contains(res.Body, "tom@example.com") {
				t.Errorf("GET %s = %d\n%s", path, res.StatusCode, res.Body)
			}
		}
		if rows := readCSV(t, l.do("GET", "/api/v1/contacts/export", "").Body); fmt.Sprint(column(t, rows, "last_name")) != "[Mine]" {
			t.Errorf("limited export = %v", rows)
		}
		res := l.do("POST", "/api/v1/contacts/export", `{"format":"csv","ids":[`+theirs+`,`+mine+`]}`)
		if rows := readCSV(t, res.Body); res.StatusCode != 200 || fmt.Sprint(column(t, rows, "last_name")) != "[Mine]" {
			t.Errorf("limited selection = %d %v", res.StatusCode, rows)
		}
		res = l.do("GET", "/api/v1/contacts/export?format=vcard", "")
		if strings.Contains(res.Body, "Theirs") || !strings.Contains(res.Body, "Mine") {
			t.Errorf("limited vcard:\n%s", res.Body)
		}
	})
}

func TestExportAPI_sensitiveColumnsNeedSensitiveTrueAndAccessAndAreLogged(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		o, exp, sens, _ := exportUsers(t, s)
		o.ok(201, "POST", "/api/v1/contacts", fullPerson("Greta", "Gruber"))

		for _, c := range []caller{exp, sens} {
			res := c.do("GET", "/api/v1/contacts/export", "")
			rows := readCSV(t, res.Body)
			if res.StatusCode != 200 || slices.Contains(rows[0], "tax_id") || slices.Contains(rows[0], "passport") {
				t.Errorf("export without sensitive=true has the columns %v", rows[0])
			}
			noClearValues(t, "export without sensitive=true", res.Body)
		}
		p := problemOf(t, exp.do("GET", "/api/v1/contacts/export?sensitive=true", ""), 403)
		if !strings.Contains(fmt.Sprint(p["detail"]), "Sensitive Data Access") {
			t.Errorf("detail %v", p["detail"])
		}
		problemOf(t, exp.do("POST", "/api/v1/contacts/export", `{"format":"csv","ids":[1],"sensitive":true}`), 403)
		problemOf(t, sens.do("GET", "/api/v1/contacts/export?sensitive=true&format=vcard", ""), 400)
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.denied' AND entity_id LIKE '%/contacts/export'"); n != 2 {
			t.Errorf("refused sensitive exports logged = %d", n)
		}

		res := sens.do("GET", "/api/v1/contacts/export?sensitive=true", "")
		rows := readCSV(t, res.Body)
		if res.StatusCode != 200 || fmt.Sprint(column(t, rows, "tax_id")) != "["+taxID+"]" {
			t.Fatalf("sensitive export = %d %v", res.StatusCode, rows)
		}
		log := sens.ok(200, "GET", "/api/v1/activity?action=contact.export", "")
		var sensitive []string
		for _, it := range log["items"].([]any) {
			e := it.(map[string]any)
			for _, ch := range e["changes"].([]any) {
				if m := ch.(map[string]any); m["field"] == "sensitive" {
					sensitive = append(sensitive, fmt.Sprint(e["actor"], " ", e["channel"], " ", m["new"]))
				}
			}
		}
		sort.Strings(sensitive)
		want := []string{"Edda Exporter <exp@firm.test> via token \"test\" api false",
			"Sven Sensitive <sens@firm.test> via token \"test\" api false", "Sven Sensitive <sens@firm.test> via token \"test\" api true"}
		if fmt.Sprint(sensitive) != fmt.Sprint(want) {
			t.Errorf("exports logged: %q\nwant %q", sensitive, want)
		}
	})
}

func TestExportAPI_withoutTheExportGrantIs403(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		o, _, _, adv := exportUsers(t, s)
		admin := callerFor(t, s, grantedUser(t, s, "nogrant@firm.test", "Nora Nogrant", auth.RoleAdmin, auth.Grants{Sensitive: true}, false))
		o.ok(201, "POST", "/api/v1/contacts", fullPerson("Greta", "Gruber"))
		for _, c := range []caller{admin, adv} {
			p := problemOf(t, c.do("GET", "/api/v1/contacts/export", ""), 403)
			if !strings.Contains(fmt.Sprint(p["detail"]), "data.export") {
				t.Errorf("detail %v", p["detail"])
			}
			problemOf(t, c.do("POST", "/api/v1/contacts/export", `{"format":"csv","ids":[1]}`), 403)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.export'"); n != 0 {
			t.Errorf("refused exports logged as exports: %d", n)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'auth.denied'"); n != 4 {
			t.Errorf("denials logged = %d", n)
		}
	})
}

func TestExportAPI_formulaPrefixedValuesAreNeutralisedInTheCSV(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		o, exp, _, _ := exportUsers(t, s)
		o.ok(201, "POST", "/api/v1/contacts", `{"kind":"person","first_name":"=HYPERLINK(\"http://evil.test\")","last_name":"@SUM(A1)",
			"nickname":"-2+3","occupation":"+cmd|' /C calc'!A0","employer":"=1+1","category_id":1,
			"phones":[{"label":"mobile","number":"+49 30 1234567"}]}`)
		res := exp.do("GET", "/api/v1/contacts/export", "")
		rows := readCSV(t, res.Body)
		if len(rows) != 2 {
			t.Fatalf("rows = %v", rows)
		}
		for i, cell := range rows[1] {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("column %s starts a formula: %q", rows[0][i], cell)
			}
		}
		for col, want := range map[string]string{"first_name": `'=HYPERLINK("http://evil.test")`, "last_name": "'@SUM(A1)",
			"nickname": "'-2+3", "occupation": "'+cmd|' /C calc'!A0", "employer": "'=1+1", "mobile_phone": "'+49301234567"} {
			if got := column(t, rows, col)[0]; got != want {
				t.Errorf("%s = %q, want %q", col, got, want)
			}
		}
	})
}

func TestExportImportAPI_roundTripGivesTheSameContacts(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		o, exp, _, _ := exportUsers(t, s)
		bodies := []string{
			`{"kind":"person","prefix":"Dr","first_name":"Greta","middle_name":"Maria","last_name":"Gruber","category_id":1,
				"emails":[{"label":"work","address":"greta@example.com","primary":true},{"label":"home","address":"g.gruber@example.org"}],
				"phones":[{"label":"mobile","number":"+49 30 1234567","primary":true},{"label":"work","number":"+49 30 7654321"}],
				"addresses":[{"label":"home","line1":"Unter den Linden 1","line2":"Haus B","city":"Berlin","region":"BE","postal_code":"10117","country":"DE"}]}`,
			`{"kind":"person","first_name":"Hans","last_name":"=Huber","nickname":"+1","category_id":2,
				"emails":[{"address":"hans@example.com"}],"phones":[{"label":"home","number":"+1 212 555 0100"}],
				"addresses":[{"line1":"5th Avenue 1","city":"New York","region":"NY","postal_code":"10001","country":"US"}]}`,
			`{"kind":"company","entity_name":"Analytical Engines Ltd","category_id":1,"emails":[{"address":"office@engines.test"}]}`,
		}
		tags := [][]string{{"newsletter", "vip"}, {"golf"}, nil}
		var before []map[string]any
		for i, b := range bodies {
			id := idOf(o.ok(201, "POST", "/api/v1/contacts", b))
			if tags[i] != nil {
				tj, _ := json.Marshal(tags[i])
				o.ok(200, "PUT", "/api/v1/contacts/"+id+"/tags", `{"tags":`+string(tj)+`}`)
			}
			before = append(before, o.ok(200, "GET", "/api/v1/contacts/"+id, ""))
		}
		res := exp.do("GET", "/api/v1/contacts/export", "")
		if res.StatusCode != 200 {
			t.Fatalf("export = %d %s", res.StatusCode, res.Body)
		}
		file := res.Body

		// Over the same contacts, the export changes nothing.
		if im := o.imported("contacts-export.csv", file); counts(im) != "created=0 updated=0 unchanged=3 rejected=0" {
			t.Errorf("export imported over its contacts = %s %v", counts(im), im["rejections"])
		}
		// Into an empty book, it makes the same contacts.
		var all []string
		for _, c := range before {
			all = append(all, idOf(c))
		}
		o.ok(200, "POST", "/api/v1/contacts/bulk", `{"action":"delete","contact_ids":[`+strings.Join(all, ",")+`]}`)
		if n := contactCount(t, s); n != 0 {
			t.Fatalf("contacts after delete = %d", n)
		}
		im := o.imported("contacts-export.csv", file)
		if counts(im) != "created=3 updated=0 unchanged=0 rejected=0" {
			t.Fatalf("export imported into an empty book = %s %v", counts(im), im["rejections"])
		}
		for _, b := range before {
			email := b["emails"].([]any)[0].(map[string]any)["address"].(string)
			a := o.found(strings.Split(email, "@")[0])
			for _, k := range []string{"kind", "name", "prefix", "first_name", "middle_name", "last_name", "nickname", "entity_name",
				"category", "owner", "stage", "tags"} {
				if fmt.Sprint(a[k]) != fmt.Sprint(b[k]) {
					t.Errorf("%s: %s = %v, was %v", email, k, a[k], b[k])
				}
			}
			if got, was := addressesOf(a["emails"]), addressesOf(b["emails"]); got != was {
				t.Errorf("%s: emails = %s, were %s", email, got, was)
			}
			if got, was := numbersOf(a["phones"]), numbersOf(b["phones"]); got != was {
				t.Errorf("%s: phones = %s, were %s", email, got, was)
			}
			if got, was := placesOf(a["addresses"]), placesOf(b["addresses"]); got != was {
				t.Errorf("%s: addresses = %s, were %s", email, got, was)
			}
		}
	})
}

// addressesOf lists email addresses, the primary first.
func addressesOf(v any) string {
	var out []string
	for _, e := range v.([]any) {
		m := e.(map[string]any)
		if m["primary"] == true {
			out = append([]string{m["address"].(string)}, out...)
		} else {
			out = append(out, m["address"].(string))
		}
	}
	return fmt.Sprint(out)
}

// numbersOf lists phone numbers with their labels, sorted.
func numbersOf(v any) string {
	var out []string
	for _, p := range v.([]any) {
		m := p.(map[string]any)
		out = append(out, fmt.Sprint(m["label"], ":", m["number"]))
	}
	sort.Strings(out)
	return fmt.Sprint(out)
}

// placesOf lists postal addresses without their labels.
func placesOf(v any) string {
	var out []string
	for _, p := range v.([]any) {
		m := p.(map[string]any)
		out = append(out, fmt.Sprint(m["line1"], "|", m["line2"], "|", m["city"], "|", m["region"], "|", m["postal_code"], "|", m["country"], "|", m["primary"]))
	}
	return fmt.Sprint(out)
}
