package importer_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/importer"
	"github.com/foliocrm/folio/internal/tabular"
)

func TestWealthboxHeadersMappedWithoutHelp(t *testing.T) {
	for _, tc := range []struct {
		name   string
		header []string
		want   map[string]string
	}{
		{"wealthbox snake_case", strings.Split("id,external_unique_id,first_name,middle_name,last_name,name,primary_email,"+
			"primary_phone,mailing_address_street,mailing_address_street_2,mailing_address_city,mailing_address_state,"+
			"mailing_address_zip_code,mailing_address_country,job_title,company_name,tags,birth_date", ","),
			map[string]string{"external_unique_id": "external_id", "first_name": "first_name", "middle_name": "middle_name",
				"last_name": "last_name", "name": "full_name", "primary_email": "email", "primary_phone": "phone",
				"mailing_address_street": "address_line1", "mailing_address_street_2": "address_line2",
				"mailing_address_city": "city", "mailing_address_state": "region", "mailing_address_zip_code": "postal_code",
				"mailing_address_country": "country", "job_title": "occupation", "company_name": "employer", "tags": "tags",
				"birth_date": "birth_date", "id": ""}},
		{"wealthbox labels", strings.Split("First Name,Last Name,Email Address,Phone Number,Street Line 1,Street Line 2,City,"+
			"State,Zip Code,Contact Type,Tags,Household,Date of Birth,Marital Status", ","),
			map[string]string{"First Name": "first_name", "Last Name": "last_name", "Email Address": "email",
				"Phone Number": "phone", "Street Line 1": "address_line1", "Street Line 2": "address_line2", "City": "city",
				"State": "region", "Zip Code": "postal_code", "Contact Type": "category", "Tags": "tags",
				"Date of Birth": "birth_date", "Household": "", "Marital Status": ""}},
		{"salesforce", strings.Split("Id,Salutation,FirstName,LastName,Email,Phone,MobilePhone,HomePhone,MailingStreet,"+
			"MailingCity,MailingState,MailingPostalCode,MailingCountry,Title,Birthdate", ","),
			map[string]string{"Id": "external_id", "Salutation": "prefix", "FirstName": "first_name", "LastName": "last_name",
				"Email": "email", "Phone": "phone", "MobilePhone": "mobile_phone", "HomePhone": "home_phone",
				"MailingStreet": "address_line1", "MailingCity": "city", "MailingState": "region",
				"MailingPostalCode": "postal_code", "MailingCountry": "country", "Title": "occupation", "Birthdate": "birth_date"}},
		{"hubspot", strings.Split("Record ID,First Name,Last Name,Email,Phone Number,Mobile Phone Number,Street Address,City,"+
			"State/Region,Postal Code,Country/Region,Company Name,Job Title", ","),
			map[string]string{"Record ID": "external_id", "Email": "email", "Phone Number": "phone",
				"Mobile Phone Number": "mobile_phone", "Street Address": "address_line1", "State/Region": "region",
				"Postal Code": "postal_code", "Country/Region": "country", "Company Name": "employer", "Job Title": "occupation"}},
		{"redtail", strings.Split("Client ID,Salutation,First Name,Middle Name,Last Name,Suffix,Nickname,Date of Birth,SSN/TIN,"+
			"Employer,Job Title,Email,Home Phone,Work Phone,Cell Phone,Address Line 1,Address Line 2,City,State,Zip", ","),
			map[string]string{"Client ID": "external_id", "SSN/TIN": "tax_id", "Cell Phone": "mobile_phone",
				"Home Phone": "home_phone", "Work Phone": "work_phone", "Zip": "postal_code", "Address Line 2": "address_line2"}},
		{"folio template", []string{"kind", "first_name", "last_name", "email", "tax_id", "drivers_licence"},
			map[string]string{"kind": "kind", "email": "email", "tax_id": "tax_id", "drivers_licence": "drivers_licence"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := importer.Propose(tc.header)
			for i, h := range tc.header {
				if want, ok := tc.want[h]; ok && got[i] != want {
					t.Errorf("%q mapped to %q, want %q", h, got[i], want)
				}
			}
		})
	}
}

const folioCSV = `kind,first_name,last_name,email,phone,city,country,category,tags,external_id,tax_id,birth_date
person,Ada,Lovelace,ada@example.com,+44 20 7946 0000,London,GB,Client,"vip, newsletter",X-1,123-45-6789,1985-03-07
person,Charles,Babbage,charles@example.com,(212) 555-0100,New York,US,Prospect,,X-2,987-65-4321,
company,,,info@engines.example,,Leeds,GB,Vendor,,X-3,,
person,Bad,Email,not-an-email,,,,,,X-4,,
`

func TestReimportChangesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		first := f.importFile(f.admin, "book.csv", folioCSV, contact.MatchEmail, false)
		if got, want := countsOf(first), (counts{created: 2, rejected: 2}); got != want {
			t.Fatalf("first import %+v, want %+v", got, want)
		}
		again := f.importFile(f.admin, "book.csv", folioCSV, contact.MatchEmail, false)
		if got, want := countsOf(again), (counts{unchanged: 2, rejected: 2}); got != want {
			t.Fatalf("re-import %+v, want %+v", got, want)
		}
		if n := f.count("SELECT COUNT(*) FROM contacts"); n != 2 {
			t.Errorf("%d contacts after re-import, want 2", n)
		}
		if n := f.count("SELECT COUNT(*) FROM contacts WHERE version = 1 AND import_id = ?", first.ID); n != 2 {
			t.Errorf("%d contacts untouched since the first import, want 2", n)
		}
	})
}

func TestUpdateOrCreateByEachKey(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.importFile(f.admin, "book.csv", folioCSV, contact.MatchEmail, false)
		for _, tc := range []struct {
			key  contact.MatchKey
			file string
			want counts
		}{
			{contact.MatchEmail, "email,occupation,first_name\nada@example.com,Mathematician,\nnew@example.com,Poet,Nell\n", counts{created: 1, updated: 1}},
			{contact.MatchExternalID, "external_id,first_name,last_name,employer\nX-2,Charles,Babbage,Difference Engines\nX-9,Mary,Somerville,\n",
				counts{created: 1, updated: 1}},
			{contact.MatchTaxID, "tax_id,nickname\n123 45 6789,Countess\n555-55-5555,\n", counts{updated: 1, rejected: 1}},
			{contact.MatchNone, "first_name,last_name,email\nAda,Lovelace,ada@example.com\nGrace,Hopper,\n", counts{created: 1, unchanged: 1}},
		} {
			im := f.importFile(f.admin, string(tc.key)+".csv", tc.file, tc.key, false)
			if got := countsOf(im); got != tc.want {
				t.Errorf("key %s: %+v, want %+v (errors %v)", tc.key, got, tc.want, f.errorsCSV(f.admin, im.ID))
			}
		}
		var occ, nick, employer string
		d.QueryRowContext(context.Background(), "SELECT occupation, nickname FROM contacts WHERE primary_email = 'ada@example.com'").Scan(&occ, &nick)
		d.QueryRowContext(context.Background(), "SELECT employer FROM contacts WHERE external_id = 'X-2'").Scan(&employer)
		if occ != "Mathematician" || nick != "Countess" || employer != "Difference Engines" {
			t.Errorf("updates not stored: occupation %q nickname %q employer %q", occ, nick, employer)
		}
		// An update keeps what the file does not say and records what changed.
		var changes string
		d.QueryRowContext(context.Background(), `SELECT u.changes FROM import_updates u JOIN contacts c ON c.id = u.contact_id
			WHERE c.external_id = 'X-2'`).Scan(&changes)
		if !strings.Contains(changes, "Difference Engines") {
			t.Errorf("import_updates changes %q do not name the new employer", changes)
		}
		if n := f.count("SELECT COUNT(*) FROM contact_emails WHERE address = 'charles@example.com'"); n != 1 {
			t.Errorf("the update by external ID lost the email address")
		}
	})
}

func TestRejectedRowsFile(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		im := f.importFile(f.admin, "book.csv", folioCSV, contact.MatchEmail, false)
		rows := f.errorsCSV(f.admin, im.ID)
		if len(rows) != 3 {
			t.Fatalf("errors.csv has %d rows, want header + 2: %v", len(rows), rows)
		}
		if got := rows[0][len(rows[0])-2:]; !slices.Equal(got, []string{"Line", "Error"}) {
			t.Errorf("errors.csv ends with columns %v", got)
		}
		if rows[1][12] != "4" || !strings.Contains(rows[1][13], "entity name") {
			t.Errorf("line 4 (a company without a name): %v", rows[1])
		}
		if rows[2][12] != "5" || !strings.Contains(rows[2][13], "email") || rows[2][3] != "not-an-email" {
			t.Errorf("line 5 (a bad email) not kept as it was with its reason: %v", rows[2])
		}
	})
}

func TestSensitiveColumnsNeverStoredInClear(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		file := "first_name,last_name,email,tax_id\nAda,Lovelace,ada@example.com,123-45-6789\nBad,Row,nope,999-88-7777\n"
		im := f.importFile(f.admin, "ssn.csv", file, contact.MatchEmail, false)
		for _, q := range []string{"SELECT COUNT(*) FROM import_errors WHERE row LIKE '%999-88-7777%' OR row LIKE '%999887777%'",
			"SELECT COUNT(*) FROM import_chunks WHERE import_id = " + itoa(im.ID),
			"SELECT COUNT(*) FROM contact_identifiers WHERE number_sealed LIKE '%6789%'",
			"SELECT COUNT(*) FROM audit_log WHERE changes LIKE '%6789%' OR changes LIKE '%7777%'"} {
			if n := f.count(q); n != 0 {
				t.Errorf("%s: %d rows hold the number in clear (or the file)", q, n)
			}
		}
		clear := f.errorsCSV(f.admin, im.ID)
		masked := f.errorsCSV(f.advisor, im.ID)
		if clear[1][3] != "999-88-7777" {
			t.Errorf("a user with Sensitive Data Access sees %q", clear[1][3])
		}
		if strings.Contains(masked[1][3], "999") {
			t.Errorf("a user without Sensitive Data Access sees %q", masked[1][3])
		}
	})
}

func TestDryRunWritesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		file := folioCSV + "person,Ada,Again,ada@example.com,,,,,,,,\n"
		im := f.importFile(f.admin, "book.csv", file, contact.MatchEmail, true)
		if got, want := countsOf(im), (counts{created: 2, rejected: 3}); got != want {
			t.Errorf("dry run %+v, want %+v", got, want)
		}
		if n := f.count("SELECT COUNT(*) FROM contacts"); n != 0 {
			t.Errorf("a dry run stored %d contacts", n)
		}
		// The real run after the dry run uses the same upload.
		im = f.run(f.admin, im, im.Mapping, contact.MatchEmail, false)
		if got, want := countsOf(im), (counts{created: 2, rejected: 3}); got != want {
			t.Errorf("import after the dry run %+v, want %+v", got, want)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func fmtInt(n int64) string { return strconv.FormatInt(n, 10) }

func TestRestartMidImportResumes(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var b strings.Builder
		b.WriteString("first_name,last_name,email\n")
		const n = 250
		for i := range n {
			b.WriteString("Person," + fmtInt(int64(i)) + ",p" + fmtInt(int64(i)) + "@example.com\n")
		}
		f.s.BatchSize = 40
		im, err := f.s.Upload(ctxAs(f.admin), f.admin, "big.csv", strings.NewReader(b.String()), tabular.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Start(ctxAs(f.admin), f.admin, im.ID, importer.Settings{Mapping: im.Mapping, Key: contact.MatchEmail}); err != nil {
			t.Fatal(err)
		}
		// The worker stops (a crash, a deploy) after its second batch.
		ctx, stop := context.WithCancel(ctxAs(f.admin))
		batches := 0
		_, err = f.s.RunNow(ctx, im.ID, func(*importer.Import) {
			if batches++; batches == 2 {
				stop()
			}
		})
		if err == nil {
			t.Fatal("the interrupted run reported no error")
		}
		mid, _ := f.s.Get(context.Background(), f.admin, im.ID)
		if mid.Status != importer.StatusRunning || mid.RowsDone == 0 || mid.RowsDone%40 != 0 {
			t.Fatalf("after the stop: status %s, %d rows done (whole batches expected)", mid.Status, mid.RowsDone)
		}
		if got := f.count("SELECT COUNT(*) FROM contacts"); int64(got) != mid.Created {
			t.Fatalf("%d contacts stored but the import counts %d: half a batch", got, mid.Created)
		}
		// Another instance takes it over once the claim runs out.
		if _, err := d.ExecContext(context.Background(), "UPDATE imports SET claimed_until = ? WHERE id = ?",
			db.Now().Add(-time.Second), im.ID); err != nil {
			t.Fatal(err)
		}
		other := importer.New(d, f.s.Box, f.c, f.s.Log)
		other.Instance, other.ViewerOf, other.TempDir, other.BatchSize = "other", f.s.ViewerOf, t.TempDir(), 40
		done, err := other.RunNow(ctxAs(f.admin), im.ID, nil)
		if err != nil {
			t.Fatal(err)
		}
		if done.Status != importer.StatusDone || done.Created != n || done.RowsDone != n {
			t.Errorf("resumed import: %s, created %d of %d rows", done.Status, done.Created, done.RowsDone)
		}
		if got := f.count("SELECT COUNT(*) FROM contacts"); got != n {
			t.Errorf("%d contacts after the resumed import, want %d (no duplicates)", got, n)
		}
		if got := f.count("SELECT COUNT(*) FROM audit_log WHERE action = 'import.finish' AND entity_id = ?", itoa(im.ID)); got != 1 {
			t.Errorf("%d import.finish entries in the activity log, want 1", got)
		}
	})
}

func TestExportRoundTrip(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		src := "kind,first_name,middle_name,last_name,entity_name,email,email_2,mobile_phone,work_phone,address_line1,city,region,postal_code,country,birth_date,category,tags,occupation,website,external_id\n" +
			"person,Ada,King,Lovelace,,ada@example.com,ada@work.example,+44 7911 123456,+44 20 7946 0000,12 St James's Sq,London,,SW1Y 4LE,GB,1985-03-07,Client,\"vip, newsletter\",Mathematician,https://ada.example,X-1\n" +
			"company,,,,Analytical Engines Ltd,info@engines.example,,,+1 212 555 0100,1 Main St,New York,NY,00501,US,,Prospect,,,,X-2\n" +
			"person,Zoë,,=Ünïcode-Ñame,,zoe@example.com,,,,,,,,,,,@risky,-12,,X-3\n"
		if im := f.importFile(f.admin, "src.csv", src, contact.MatchEmail, false); im.Created != 3 {
			t.Fatalf("source import: %+v %v", countsOf(im), f.errorsCSV(f.admin, im.ID))
		}
		var out strings.Builder
		if _, err := f.s.Export(ctxAs(f.admin), f.admin, &out, importer.ExportRequest{Format: importer.FormatCSV}); err != nil {
			t.Fatal(err)
		}
		g := newFixture(t, dbtest.Open(t, dbtest.Kinds()[0].New(t)))
		im := g.importFile(g.admin, "export.csv", out.String(), contact.MatchEmail, false)
		if im.Created != 3 || im.Rejected != 0 {
			t.Fatalf("re-import of the export: %+v %v", countsOf(im), g.errorsCSV(g.admin, im.ID))
		}
		a := f.exportCSV(f.admin, importer.ExportRequest{})
		b := g.exportCSV(g.admin, importer.ExportRequest{})
		slices.SortFunc(a[1:], func(x, y []string) int { return strings.Compare(strings.Join(x, "|"), strings.Join(y, "|")) })
		slices.SortFunc(b[1:], func(x, y []string) int { return strings.Compare(strings.Join(x, "|"), strings.Join(y, "|")) })
		ownerCol := slices.Index(a[0], "owner")
		for i := range a {
			for j := range a[i] {
				if j != ownerCol && a[i][j] != b[i][j] {
					t.Errorf("row %d column %s: %q exported, %q after export → import → export", i, a[0][j], a[i][j], b[i][j])
				}
			}
		}
	})
}

func TestExportFormulaNeutralised(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		file := "first_name,last_name,email,occupation,employer,tags\n=cmd|' /C calc'!A0,+SUM(A1),x@example.com,@evil,-2+3,=tag\n"
		im := f.importFile(f.admin, "formulas.csv", file, contact.MatchEmail, false)
		if im.Created != 1 {
			t.Fatalf("formula-looking values are text and import: %+v %v", countsOf(im), f.errorsCSV(f.admin, im.ID))
		}
		rows := f.exportCSV(f.admin, importer.ExportRequest{})
		for _, c := range []string{"first_name", "last_name", "occupation", "employer", "tags"} {
			v := col(rows, c)[0]
			if !strings.HasPrefix(v, "'") {
				t.Errorf("%s exported as %q: not neutralised", c, v)
			}
		}
	})
}

func TestExportLimitsAndMasking(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.importFile(f.admin, "a.csv", "first_name,last_name,email,tax_id,owner\nAda,Admin,ada@example.com,123-45-6789,ada@example.com\n"+
			"Lim,Own,lim@example.com,,lim@example.com\n", contact.MatchEmail, false)
		lim := f.limited
		lim.Export = true
		rows := f.exportCSV(lim, importer.ExportRequest{})
		if got := col(rows, "email"); !slices.Equal(got, []string{"lim@example.com"}) {
			t.Errorf("a limited advisor exported %v, want only their own contact", got)
		}
		if col(rows, "tax_id") != nil {
			t.Error("an export without sensitive columns has a tax_id column")
		}
		if _, err := f.s.Export(ctxAs(lim), lim, &strings.Builder{}, importer.ExportRequest{Format: "csv", Sensitive: true}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("sensitive export without Sensitive Data Access: %v", err)
		}
		if _, err := f.s.Export(ctxAs(f.advisor), f.advisor, &strings.Builder{}, importer.ExportRequest{Format: "csv"}); !errs.Is(err, errs.Forbidden) {
			t.Errorf("export without the export grant: %v", err)
		}
		rows = f.exportCSV(f.admin, importer.ExportRequest{Sensitive: true})
		if got := col(rows, "tax_id"); !slices.Contains(got, "123-45-6789") && !slices.Contains(got, "123456789") {
			t.Errorf("sensitive export: tax_id column %v", got)
		}
		if n := f.count("SELECT COUNT(*) FROM audit_log WHERE action = 'contact.export' AND changes LIKE '%\"new\":\"true\"%'"); n != 1 {
			t.Errorf("%d sensitive exports logged, want 1", n)
		}
	})
}

func TestTemplateImportsBack(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		var b strings.Builder
		if err := importer.Template(&b, importer.FormatCSV); err != nil {
			t.Fatal(err)
		}
		im := f.importFile(f.admin, "template.csv", b.String(), contact.MatchEmail, false)
		if im.Created != 1 || im.Rejected != 0 {
			t.Errorf("the template (description row skipped, example row imported): %+v %v", countsOf(im), f.errorsCSV(f.admin, im.ID))
		}
		for _, fd := range importer.Fields {
			if importer.Propose([]string{fd.Key})[0] != fd.Key {
				t.Errorf("template column %s is not mapped to itself", fd.Key)
			}
		}
		path := t.TempDir() + "/template.xlsx"
		w, _ := os.Create(path)
		if err := importer.Template(w, importer.FormatXLSX); err != nil {
			t.Fatal(err)
		}
		w.Close()
		src, err := tabular.Open(path, "template.xlsx", tabular.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer src.Close()
		if got := src.Header(); len(got) != len(importer.Fields) || got[0] != "kind" {
			t.Errorf("XLSX template header %v", got)
		}
	})
}

func TestUnfinishedImportFilesPurgedAfterAWeek(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		im, err := f.s.Upload(ctxAs(f.admin), f.admin, "later.csv", strings.NewReader(folioCSV), tabular.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := f.s.PurgeFiles(context.Background(), time.Now()); n != 0 {
			t.Fatalf("a fresh upload's file was purged (%d chunks)", n)
		}
		if n, _ := f.s.PurgeFiles(context.Background(), time.Now().Add(importer.KeepFilesFor+time.Hour)); n != 1 {
			t.Fatalf("purged %d chunks of a week-old upload, want 1", n)
		}
		if _, err := f.s.Preview(ctxAs(f.admin), f.admin, im.ID, importer.Settings{Mapping: im.Mapping, Key: contact.MatchEmail}, 5); !errs.Is(err, errs.Invalid) {
			t.Errorf("preview of a purged upload: %v", err)
		}
	})
}
