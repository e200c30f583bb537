package app_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/config"
	"github.com/foliocrm/folio/internal/contact"
)

// The staff UI of imports and exports, over HTTP against the real server
// (its background worker runs the imports) on every database kind.

// webWealthboxCSV is a small Wealthbox contact export: Ana matches a contact
// already in Folio by email, Bruno and Dora are new, and Carla's date of
// birth is no date.
const webWealthboxCSV = "First Name,Last Name,Email Address,Phone Number,Street Line 1,City,State,Zip Code,Contact Type,Tags,Household,Date of Birth,Marital Status\r\n" +
	"Ana,Silva,ana@example.com,+1 212 555 0100,1 Main Street,Springfield,IL,62701,Client,\"vip, newsletter\",Silva Household,1979-04-12,Married\r\n" +
	"Bruno,Costa,bruno@example.com,+1 212 555 0101,2 Oak Avenue,Springfield,IL,62702,Prospect,,Costa Household,03/15/1985,Single\r\n" +
	"Carla,Alves,carla@example.com,,3 Elm Road,Chicago,IL,60601,Client,,,the day after yesterday,Single\r\n" +
	"Dora,Mendes,dora@example.com,+1 312 555 0199,,Chicago,IL,,Client,vip,,,\r\n"

// webWealthboxFields is what Folio proposes for webWealthboxCSV's columns.
var webWealthboxFields = []string{"first_name", "last_name", "email", "phone", "address_line1", "city", "region", "postal_code",
	"category", "tags", "", "birth_date", ""}

// webUpload posts a file to /imports as the browser's form does: the
// options first, then the file.
func webUpload(t *testing.T, s *apptest.Server, c *http.Client, filename string, content []byte, opts ...string) apptest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(opts); i += 2 {
		_ = mw.WriteField(opts[i], opts[i+1])
	}
	fw, err := mw.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(content)
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/imports", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return apptest.Do(t, c, req)
}

var (
	webSelectRE   = regexp.MustCompile(`(?s)<select id="(map_[0-9]+|key)" name="[^"]+"[^>]*>(.*?)</select>`)
	webSelectedRE = regexp.MustCompile(`<option value="([^"]*)" selected>`)
)

// mappingForm reads the mapping form of an import page the way a browser
// would submit it: each select with its selected option.
func webMappingForm(t *testing.T, body string) url.Values {
	t.Helper()
	f := url.Values{}
	for _, m := range webSelectRE.FindAllStringSubmatch(body, -1) {
		v := ""
		if sel := webSelectedRE.FindStringSubmatch(m[2]); sel != nil {
			v = html.UnescapeString(sel[1])
		}
		f.Set(m[1], v)
	}
	if len(f) == 0 {
		t.Fatalf("no mapping form on the page:\n%s", body)
	}
	return f
}

// webImportProgress is the JSON the progress bar polls.
type webImportProgress struct {
	Status                                string
	Percent                               int
	RowsDone                              int64 `json:"rows_done"`
	Created, Updated, Unchanged, Rejected int64
	Finished                              bool
	Summary                               string
}

// webWaitImport polls the progress endpoint until the import has finished.
func webWaitImport(t *testing.T, s *apptest.Server, c *http.Client, path string) webImportProgress {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		res := s.Get(t, c, path+"/progress")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Fatalf("progress = %d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), res.Body)
		}
		var p webImportProgress
		if err := json.Unmarshal([]byte(res.Body), &p); err != nil {
			t.Fatalf("progress JSON: %v\n%s", err, res.Body)
		}
		if p.Finished {
			return p
		}
		if time.Now().After(deadline) {
			t.Fatalf("the import did not finish: %+v", p)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestImportsWeb_wealthboxExportMapsPreviewsDryRunsAndImports(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		addContact(t, s, owner, person("Ana", "Old", "ana@example.com"))
		c := signedIn(t, s, ownerEmail, ownerPass)

		// The contacts page offers the import to a user who can write.
		if list := s.Get(t, c, "/contacts"); !strings.Contains(list.Body, `href="/imports"`) {
			t.Error("the contact list has no Import action")
		}
		page := s.Get(t, c, "/imports")
		for _, want := range []string{"Import contacts", `enctype="multipart/form-data"`, `accept=".csv,.tsv,.txt,.xlsx,.vcf"`,
			`name="encoding"`, `name="sheet"`, "/imports/template.csv", "/imports/template.xlsx", "Wealthbox", "No imports yet"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("the import page lacks %q", want)
			}
		}
		// The options come before the file, so the server knows them when
		// the file streams in.
		if strings.Index(page.Body, `name="encoding"`) > strings.Index(page.Body, `name="file"`) {
			t.Error("the file input comes before the options")
		}

		res := webUpload(t, s, c, "wealthbox-contacts.csv", []byte(webWealthboxCSV), "encoding", "", "sheet", "")
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther || !regexp.MustCompile(`^/imports/[0-9]+$`).MatchString(loc) {
			t.Fatalf("upload = %d %q\n%s", res.StatusCode, loc, res.Body)
		}
		form := follow(t, s, c, res)
		for _, want := range []string{"Uploaded “wealthbox-contacts.csv” with 13 columns.", "What each column becomes",
			"Ignore this column", "Tax ID (encrypted)", ">Bruno<", ">bruno@example.com<", "Find the contact a row updates by"} {
			if !strings.Contains(form.Body, want) {
				t.Errorf("the mapping form lacks %q", want)
			}
		}
		mapping := webMappingForm(t, form.Body)
		for i, want := range webWealthboxFields {
			if got := mapping.Get(fmt.Sprintf("map_%d", i)); got != want {
				t.Errorf("column %d is proposed as %q, want %q", i, got, want)
			}
		}
		if mapping.Get("key") != "email" {
			t.Errorf("key %q, want email", mapping.Get("key"))
		}

		// Preview: the first rows as they will be stored, nothing written.
		pv := s.PostForm(t, c, loc+"/preview", mapping)
		if pv.StatusCode != http.StatusOK {
			t.Fatalf("preview = %d\n%s", pv.StatusCode, pv.Body)
		}
		for _, want := range []string{`id="preview"`, "Preview of the first 4 rows as they will be stored", "New contact", "Update",
			"Rejected", "Date of Birth", "<th scope=\"col\">Email</th>", "bruno@example.com", "1985-03-15"} {
			if !strings.Contains(pv.Body, want) {
				t.Errorf("the preview lacks %q", want)
			}
		}
		if got := webMappingForm(t, pv.Body); got.Encode() != mapping.Encode() {
			t.Errorf("the preview did not keep the mapping: %v", got)
		}

		// Two columns on one field: refused on the form with the choices kept.
		twice := url.Values{}
		for k, v := range mapping {
			twice[k] = v
		}
		twice.Set("map_10", "email")
		bad := s.PostForm(t, c, loc+"/start", twice)
		if bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, "The import was not started.") ||
			!strings.Contains(bad.Body, "both mapped to Email") || !strings.Contains(bad.Body, `id="map_10-error"`) {
			t.Errorf("a field mapped twice = %d\n%s", bad.StatusCode, bad.Body)
		}
		if got := webMappingForm(t, bad.Body); got.Get("map_10") != "email" || got.Get("map_0") != "first_name" {
			t.Errorf("the refused form lost the choices: %v", got)
		}
		none := url.Values{"key": {"email"}}
		if res := s.PostForm(t, c, loc+"/preview", none); res.StatusCode != http.StatusUnprocessableEntity ||
			!strings.Contains(res.Body, "No column is mapped to a Folio field") {
			t.Errorf("nothing mapped = %d", res.StatusCode)
		}

		// A dry run counts and stores nothing.
		dry := url.Values{}
		for k, v := range mapping {
			dry[k] = v
		}
		dry.Set("dry_run", "1")
		res = s.PostForm(t, c, loc+"/start", dry)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != loc {
			t.Fatalf("dry run = %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		p := webWaitImport(t, s, c, loc)
		if p.Status != "done" || p.Created != 2 || p.Updated != 1 || p.Rejected != 1 || p.Percent != 100 {
			t.Errorf("dry run ended %+v", p)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM contacts"); n != 1 {
			t.Fatalf("the dry run stored %d contacts", n-1)
		}
		after := s.Get(t, c, loc)
		for _, want := range []string{"Dry run: would create 2, update 1, leave 0 unchanged, reject 1.", "Nothing was stored.",
			"Rejected rows", "Date of Birth", loc + "/errors.csv", `id="import-start"`} {
			if !strings.Contains(after.Body, want) {
				t.Errorf("the page after the dry run lacks %q", want)
			}
		}

		// The import itself, in the background.
		res = s.PostForm(t, c, loc+"/start", webMappingForm(t, after.Body))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("import = %d\n%s", res.StatusCode, res.Body)
		}
		if running := follow(t, s, c, res); !strings.Contains(running.Body, "Imported") && !strings.Contains(running.Body, "data-import-progress") {
			t.Errorf("after starting, the page shows neither the progress nor the result\n%s", running.Body)
		}
		p = webWaitImport(t, s, c, loc)
		if p.Status != "done" || p.Created != 2 || p.Updated != 1 || p.Unchanged != 0 || p.Rejected != 1 || p.RowsDone != 4 {
			t.Errorf("import ended %+v", p)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL"); n != 3 {
			t.Errorf("%d contacts after the import, want 3", n)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM contacts WHERE first_name = 'Ana' AND last_name = 'Silva'"); n != 1 {
			t.Error("Ana was not updated from the file")
		}
		done := s.Get(t, c, loc)
		for _, want := range []string{"Imported 4 rows", ">Created<", ">2<", "Rejected rows", "Download rejected rows (CSV)",
			`href="/contacts?sort=-created"`, "Import another file"} {
			if !strings.Contains(done.Body, want) {
				t.Errorf("the result lacks %q", want)
			}
		}
		if strings.Contains(done.Body, `id="mapping-form"`) {
			t.Error("a finished import still offers the mapping form")
		}
		// It cannot run twice.
		if res := s.PostForm(t, c, loc+"/start", mapping); res.StatusCode != http.StatusSeeOther {
			t.Errorf("starting a finished import = %d", res.StatusCode)
		} else if again := follow(t, s, c, res); !strings.Contains(again.Body, "This file was imported already.") {
			t.Errorf("starting a finished import says nothing\n%s", again.Body)
		}

		// The rejected rows as CSV: the file's columns, the line and the reason.
		ec := s.Get(t, c, loc+"/errors.csv")
		if ec.StatusCode != http.StatusOK || !strings.HasPrefix(ec.Header.Get("Content-Type"), "text/csv") ||
			ec.Header.Get("Content-Disposition") != `attachment; filename=wealthbox-contacts-rejected.csv` ||
			ec.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("errors.csv = %d %q %q", ec.StatusCode, ec.Header.Get("Content-Type"), ec.Header.Get("Content-Disposition"))
		}
		recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(ec.Body, "\uFEFF"))).ReadAll()
		if err != nil {
			t.Fatalf("errors.csv: %v\n%s", err, ec.Body)
		}
		if len(recs) != 2 || len(recs[0]) != 15 || recs[0][13] != "Line" || recs[0][14] != "Error" {
			t.Fatalf("errors.csv:\n%s", ec.Body)
		}
		if row := recs[1]; row[0] != "Carla" || row[2] != "carla@example.com" || row[13] != "4" || !strings.Contains(row[14], "Date of Birth") {
			t.Errorf("rejected row %q", row)
		}

		// The list of past imports has it.
		list := s.Get(t, c, "/imports")
		for _, want := range []string{"wealthbox-contacts.csv", "Olivia Owner", "Imported", `href="` + loc + `"`} {
			if !strings.Contains(list.Body, want) {
				t.Errorf("past imports lack %q", want)
			}
		}
	})
}

func TestImportsWeb_refusedFilesSayWhyAndStoreNothing(t *testing.T) {
	each(t, func(c *config.Config) { c.ImportMaxBytes = 4096 }, func(t *testing.T, s *apptest.Server) {
		seeded(t, s)
		c := signedIn(t, s, ownerEmail, ownerPass)
		png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0, 1, 2, 3}, 64)...)
		big := []byte("First Name,Last Name,Email\r\n" + strings.Repeat("Someone,Withalongname,someone@example.com\r\n", 120))
		huge := bytes.Repeat([]byte("a,b,c\r\n"), (1<<20)/7+2000)
		for _, tc := range []struct {
			name, file string
			content    []byte
			status     int
			want       string
		}{
			{"no file", "", nil, http.StatusUnprocessableEntity, "Choose the file to import: a CSV, Excel (.xlsx) or vCard (.vcf) file."},
			{"empty file", "empty.csv", []byte{}, http.StatusUnprocessableEntity, "The file is empty."},
			{"an image named .csv", "photo.csv", png, http.StatusUnprocessableEntity, "This file is a PNG image"},
			{"over the limit", "big.csv", big, http.StatusRequestEntityTooLarge, "The file is larger than the 4 KB Folio accepts"},
			{"over the request limit", "huge.csv", huge, http.StatusRequestEntityTooLarge, "The file is larger than the 4 KB Folio accepts"},
		} {
			t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
				var res apptest.Response
				if tc.file == "" {
					// No file chosen: the browser sends an empty part.
					var body bytes.Buffer
					mw := multipart.NewWriter(&body)
					_ = mw.WriteField("encoding", "")
					fw, _ := mw.CreateFormFile("file", "")
					_, _ = fw.Write(nil)
					_ = mw.Close()
					req, _ := http.NewRequest(http.MethodPost, s.URL+"/imports", &body)
					req.Header.Set("Content-Type", mw.FormDataContentType())
					res = apptest.Do(t, c, req)
				} else {
					res = webUpload(t, s, c, tc.file, tc.content, "encoding", "utf-8", "sheet", "")
				}
				if res.StatusCode != tc.status {
					t.Fatalf("status %d, want %d\n%s", res.StatusCode, tc.status, res.Body)
				}
				m := regexp.MustCompile(`<p class="field-error" id="file-error" role="alert">([^<]+)</p>`).FindStringSubmatch(res.Body)
				if m == nil || !strings.Contains(html.UnescapeString(m[1]), tc.want) || !strings.HasSuffix(m[1], ".") {
					t.Fatalf("no message %q next to the file input:\n%s", tc.want, res.Body)
				}
				t.Logf("%s: %s", tc.name, html.UnescapeString(m[1]))
				if !strings.Contains(res.Body, `aria-invalid="true"`) {
					t.Error("the refused form does not mark the file input")
				}
				// The options are kept when the request was read (not when it
				// was refused by its length alone).
				if tc.file != "" && tc.name != "over the request limit" && !strings.Contains(res.Body, `<option value="utf-8" selected>`) {
					t.Error("the refused form lost the options")
				}
			})
		}
		if n := count(t, s, "SELECT COUNT(*) FROM imports"); n != 0 {
			t.Errorf("refused files stored %d imports", n)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM import_chunks"); n != 0 {
			t.Errorf("refused files stored %d chunks", n)
		}
		// The limit is on the page, for the browser to check first.
		if page := s.Get(t, c, "/imports"); !strings.Contains(page.Body, `data-max-bytes="4096"`) || !strings.Contains(page.Body, "at most 4 KB") {
			t.Error("the upload form does not state the limit")
		}
	})
}

func TestImportsWeb_readOnlyAndOtherUsers(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, _ := seeded(t, s)
		s.CreateUser(t, readEmail, "Rita Reader", auth.RoleReadOnly, readPass, auth.Grants{})
		lim, err := s.Auth.CreateUser(asUser(owner), owner, auth.NewUser{Email: limEmail, Name: "Lia Limited", Role: auth.RoleAdvisor,
			Password: limPass, OwnContactsOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		_ = lim
		oc := signedIn(t, s, ownerEmail, ownerPass)
		res := webUpload(t, s, oc, "owners.csv", []byte("Email,First Name,SSN\r\na@example.com,A,123-45-6789\r\n"))
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload = %d", res.StatusCode)
		}
		// ID numbers show in clear only with Sensitive Data Access.
		if page := s.Get(t, oc, loc); !strings.Contains(page.Body, ">123-45-6789<") {
			t.Error("the owner does not see the sample ID number")
		}
		ac := signedIn(t, s, advEmail, advPass)
		page := s.Get(t, ac, loc)
		if page.StatusCode != http.StatusOK || strings.Contains(page.Body, "123-45-6789") || !strings.Contains(page.Body, ">••••6789<") {
			t.Errorf("another advisor's view of the samples = %d", page.StatusCode)
		}
		// Only the uploader or an admin previews and starts it.
		if pv := s.PostForm(t, ac, loc+"/preview", webMappingForm(t, page.Body)); pv.StatusCode != http.StatusForbidden ||
			!strings.Contains(pv.Body, "Only Olivia Owner, who uploaded the file, or an admin can preview and start this import.") {
			t.Errorf("another advisor's preview = %d", pv.StatusCode)
		}
		s.CreateUser(t, "admin@firm.test", "Ada Admin", auth.RoleAdmin, advPass, auth.Grants{})
		adm := signedIn(t, s, "admin@firm.test", advPass)
		if pv := s.PostForm(t, adm, loc+"/preview", webMappingForm(t, page.Body)); pv.StatusCode != http.StatusOK ||
			strings.Contains(pv.Body, "123-45-6789") || strings.Contains(pv.Body, "123456789") || !strings.Contains(pv.Body, "Tax ID") {
			t.Errorf("an admin's preview without Sensitive Data Access = %d, or shows the ID number in clear", pv.StatusCode)
		}

		rc := signedIn(t, s, readEmail, readPass)
		page = s.Get(t, rc, "/imports")
		if page.StatusCode != http.StatusOK || strings.Contains(page.Body, `action="/imports"`) || !strings.Contains(page.Body, "owners.csv") {
			t.Errorf("read-only import page = %d (an upload form, or no list)", page.StatusCode)
		}
		if list := s.Get(t, rc, "/contacts"); strings.Contains(list.Body, `href="/imports"`) {
			t.Error("a read-only user is offered the import")
		}
		if res := webUpload(t, s, rc, "x.csv", []byte("Email\r\nx@example.com\r\n")); res.StatusCode != http.StatusForbidden {
			t.Errorf("read-only upload = %d", res.StatusCode)
		}
		if res := s.PostForm(t, rc, loc+"/start", url.Values{"map_0": {"email"}, "map_1": {"first_name"}, "map_2": {""}, "key": {"email"}}); res.StatusCode != http.StatusForbidden {
			t.Errorf("read-only start = %d", res.StatusCode)
		}
		// The reader sees the mapping, but cannot change it.
		if view := s.Get(t, rc, loc); view.StatusCode != http.StatusOK || !strings.Contains(view.Body, "Only Olivia Owner, who uploaded the file, or an admin") ||
			!strings.Contains(view.Body, `<fieldset class="form-body" disabled>`) {
			t.Errorf("the reader's view of the import = %d", view.StatusCode)
		}
		// A user limited to their own contacts does not see others' imports.
		lc := signedIn(t, s, limEmail, limPass)
		if res := s.Get(t, lc, loc); res.StatusCode != http.StatusNotFound {
			t.Errorf("limited user GET %s = %d, want 404", loc, res.StatusCode)
		}
		if res := s.Get(t, lc, loc+"/errors.csv"); res.StatusCode != http.StatusNotFound || res.Header.Get("Content-Disposition") != "" {
			t.Errorf("limited user errors.csv = %d", res.StatusCode)
		}
		if page := s.Get(t, lc, "/imports"); strings.Contains(page.Body, "owners.csv") {
			t.Error("the limited user's import list shows another's import")
		}
		// The templates.
		for _, f := range []struct{ path, ctype, start string }{
			{"/imports/template.csv", "text/csv", "\uFEFFkind,external_id,"},
			{"/imports/template.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
		} {
			res := s.Get(t, rc, f.path)
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), f.ctype) ||
				!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment; filename=folio-import-template.") || !strings.HasPrefix(res.Body, f.start) {
				t.Errorf("%s = %d %q %q %q", f.path, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), res.Body[:min(20, len(res.Body))])
			}
		}
	})
}

// webExportRows reads a CSV export into its header and rows.
func webExportRows(t *testing.T, res apptest.Response) ([]string, [][]string) {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(res.Body, "\uFEFF"))).ReadAll()
	if err != nil || len(recs) == 0 {
		t.Fatalf("export CSV: %v\n%s", err, res.Body)
	}
	return recs[0], recs[1:]
}

// column is the values of one column of an export.
func webColumn(head []string, rows [][]string, name string) []string {
	i := -1
	for j, h := range head {
		if h == name {
			i = j
		}
	}
	var out []string
	for _, r := range rows {
		if i >= 0 && i < len(r) {
			out = append(out, r[i])
		}
	}
	return out
}

func TestExportWeb_listSelectionLimitedAdvisorAndGrant(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, adv := seeded(t, s)
		lim, err := s.Auth.CreateUser(asUser(owner), owner, auth.NewUser{Email: limEmail, Name: "Lia Limited", Role: auth.RoleAdvisor,
			Password: limPass, OwnContactsOnly: true, Grants: auth.Grants{Export: true}})
		if err != nil {
			t.Fatal(err)
		}
		ana := person("Ana", "Silva", "ana@example.com")
		ana.Identifiers = []contact.Identifier{{Kind: "tax_id", Country: "PT", Number: "123456789"}}
		anaID := addContact(t, s, owner, ana)
		bruno := addContact(t, s, owner, person("Bruno", "Costa", "bruno@example.com"))
		addContact(t, s, adv, person("Carla", "Alves", "carla@example.org"))
		addContact(t, s, lim, person("Mia", "Mine", "mia@example.com"))
		c := signedIn(t, s, ownerEmail, ownerPass)

		// The list offers the export to a user with the grant, with the ID
		// numbers choice for Sensitive Data Access.
		list := s.Get(t, c, "/contacts")
		for _, want := range []string{`formaction="/contacts/export"`, `value="xlsx"`, `value="vcard"`, `name="sensitive"`, "Include ID numbers", `data-bulk-export`} {
			if !strings.Contains(list.Body, want) {
				t.Errorf("the owner's list lacks %q", want)
			}
		}

		res := s.Get(t, c, "/contacts/export?format=csv")
		today := time.Now().UTC().Format("2006-01-02")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") ||
			res.Header.Get("Content-Disposition") != "attachment; filename=contacts-"+today+".csv" || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("export = %d %q %q %q", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"), res.Header.Get("Cache-Control"))
		}
		head, rows := webExportRows(t, res)
		emails := webColumn(head, rows, "email")
		if len(rows) != 4 || !contains(emails, "ana@example.com") || !contains(emails, "mia@example.com") || !contains(emails, "carla@example.org") {
			t.Errorf("the list export holds %q", emails)
		}
		if contains(head, "tax_id") {
			t.Error("ID numbers were exported without being asked for")
		}
		// The list's own query: a search, a filter, a sort, as the list form sends them.
		res = s.Get(t, c, "/contacts/export?q=silva&category=&m=all&f1=&o1=contains&v1=&view_name=&format=csv")
		if _, rows := webExportRows(t, res); len(rows) != 1 || rows[0][0] == "" {
			t.Errorf("search export rows %q", rows)
		} else if head, rows := webExportRows(t, res); webColumn(head, rows, "email")[0] != "ana@example.com" {
			t.Errorf("search export %q", rows)
		}
		res = s.Get(t, c, "/contacts/export?sort=-name&owner="+adv.IDString())
		if head, rows := webExportRows(t, res); len(rows) != 1 || webColumn(head, rows, "email")[0] != "carla@example.org" {
			t.Errorf("owner filter export %q", rows)
		}
		// With ID numbers, for Sensitive Data Access.
		res = s.Get(t, c, "/contacts/export?format=csv&sensitive=1&q=ana")
		if head, rows := webExportRows(t, res); !contains(head, "tax_id") || webColumn(head, rows, "tax_id")[0] != "123456789" {
			t.Errorf("sensitive export %q %q", head, rows)
		}
		// The ticked contacts only, in XLSX and vCard.
		sel := "/contacts/export?id=" + id(bruno) + "&id=" + id(anaID) + "&return=%2Fcontacts&confirm=&owner_id=1&tag="
		if res := s.Get(t, c, sel+"&format=xlsx"); res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Body, "PK") ||
			res.Header.Get("Content-Disposition") != "attachment; filename=contacts-"+today+".xlsx" {
			t.Errorf("xlsx export = %d %q", res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		res = s.Get(t, c, sel+"&format=vcard")
		if res.StatusCode != http.StatusOK || strings.Count(res.Body, "BEGIN:VCARD") != 2 || !strings.Contains(res.Body, "bruno@example.com") ||
			strings.Contains(res.Body, "mia@example.com") || res.Header.Get("Content-Disposition") != "attachment; filename=contacts-"+today+".vcf" {
			t.Errorf("vcard export = %d\n%s", res.StatusCode, res.Body)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action = 'contact.export'"); n != 6 {
			t.Errorf("%d exports logged, want 6", n)
		}
		// Refused before the first byte: a bad format, a bad condition.
		for _, q := range []string{"format=pdf", "f1=nosuchfield&o1=contains&v1=x", "id=abc", "category=x"} {
			res := s.Get(t, c, "/contacts/export?"+q)
			if res.StatusCode != http.StatusBadRequest || res.Header.Get("Content-Disposition") != "" || !strings.Contains(res.Header.Get("Content-Type"), "text/html") {
				t.Errorf("export ?%s = %d %q", q, res.StatusCode, res.Header.Get("Content-Disposition"))
			}
		}

		// A limited advisor with the grant exports only their own.
		lc := signedIn(t, s, limEmail, limPass)
		if list := s.Get(t, lc, "/contacts"); !strings.Contains(list.Body, `formaction="/contacts/export"`) || strings.Contains(list.Body, "Include ID numbers") {
			t.Error("the limited advisor's list: no export, or the ID numbers choice without Sensitive Data Access")
		}
		res = s.Get(t, lc, "/contacts/export?format=csv")
		if head, rows := webExportRows(t, res); len(rows) != 1 || webColumn(head, rows, "email")[0] != "mia@example.com" {
			t.Errorf("the limited advisor exported %q", rows)
		}
		if res := s.Get(t, lc, "/contacts/export?id="+id(anaID)+"&id="+id(bruno)); strings.Contains(res.Body, "ana@example.com") {
			t.Error("the limited advisor exported another's contact by id")
		}
		if res := s.Get(t, lc, "/contacts/export?sensitive=1"); res.StatusCode != http.StatusForbidden ||
			!strings.Contains(res.Body, "Including ID numbers in an export needs Sensitive Data Access.") {
			t.Errorf("sensitive export without access = %d", res.StatusCode)
		}

		// Without the grant: no control, and the route refuses.
		ac := signedIn(t, s, advEmail, advPass)
		if list := s.Get(t, ac, "/contacts"); strings.Contains(list.Body, "/contacts/export") {
			t.Error("a user without the export grant is offered the export")
		}
		if res := s.Get(t, ac, "/contacts/export?format=csv"); res.StatusCode != http.StatusForbidden || res.Header.Get("Content-Disposition") != "" ||
			strings.Contains(res.Body, "ana@example.com") {
			t.Errorf("export without the grant = %d", res.StatusCode)
		}
	})
}

func TestImportsWeb_cancelAsksFirstAndTheMappingCanBeStartedAgain(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		seeded(t, s)
		c := signedIn(t, s, ownerEmail, ownerPass)
		res := webUpload(t, s, c, "later.csv", []byte("Email,First Name,Last Name\r\nzoe@example.com,Zoe,Zed\r\n"))
		loc := res.Header.Get("Location")
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload = %d", res.StatusCode)
		}
		// Without confirm=yes the server asks on a page.
		ask := s.PostForm(t, c, loc+"/cancel", url.Values{})
		if ask.StatusCode != http.StatusOK || !strings.Contains(ask.Body, "Cancel the import of later.csv?") ||
			!strings.Contains(ask.Body, `<input type="hidden" name="confirm" value="yes">`) || !strings.Contains(ask.Body, ">Go back</a>") {
			t.Fatalf("cancel without confirmation = %d\n%s", ask.StatusCode, ask.Body)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM imports WHERE status = 'uploaded'"); n != 1 {
			t.Fatal("asking cancelled the import")
		}
		res = s.PostForm(t, c, loc+"/cancel", url.Values{"confirm": {"yes"}})
		page := follow(t, s, c, res)
		for _, want := range []string{"The import was cancelled before it started; nothing was stored.", ">Cancelled<", `id="mapping-form"`,
			"Check the mapping below and start it again"} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("the cancelled import's page lacks %q", want)
			}
		}
		// Cancelling again: nothing to cancel, said in words.
		if again := follow(t, s, c, s.PostForm(t, c, loc+"/cancel", url.Values{"confirm": {"yes"}})); !strings.Contains(again.Body, "This import has finished; there is nothing to cancel.") {
			t.Error("a second cancel says nothing")
		}
		// Started again from the same page, it runs to the end.
		if res := s.PostForm(t, c, loc+"/start", webMappingForm(t, page.Body)); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("start after cancel = %d\n%s", res.StatusCode, res.Body)
		}
		if p := webWaitImport(t, s, c, loc); p.Status != "done" || p.Created != 1 {
			t.Errorf("restarted import %+v", p)
		}
		// A failed import says why and offers the mapping again.
		res = webUpload(t, s, c, "failing.csv", []byte("Email,First Name\r\nyan@example.com,Yan\r\n"))
		failing := res.Header.Get("Location")
		if _, err := s.DB.ExecContext(context.Background(), "UPDATE imports SET status = 'failed', error = 'The stored file could not be read.', rows_done = 3 WHERE id = ?",
			strings.TrimPrefix(failing, "/imports/")); err != nil {
			t.Fatal(err)
		}
		page = s.Get(t, c, failing)
		for _, want := range []string{"The import stopped.", "The stored file could not be read.", "The 3 rows stored before it stopped stay.",
			`id="mapping-form"`, ">Failed<", `href="/imports">upload the file again</a>`} {
			if !strings.Contains(page.Body, want) {
				t.Errorf("the failed import's page lacks %q", want)
			}
		}
		// An unknown or foreign import is a 404, JSON or not.
		for _, p := range []string{"/imports/999999", "/imports/999999/progress", "/imports/abc"} {
			if res := s.Get(t, c, p); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d", p, res.StatusCode)
			}
		}
	})
}
