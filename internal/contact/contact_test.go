package contact_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
)

func TestCreate_normalisesAndReadsBack(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := person("  Zoë ", "Ångström")
		c.Emails = []contact.Email{{Label: "work", Address: "Zoe.Angstrom@Example.COM"}, {Label: "home", Address: "zoe@home.example.org"}}
		c.Phones = []contact.Phone{{Label: "mobile", Number: "+44 7911 123456"}}
		c.Addresses = []contact.Address{{Label: "home", Line1: "1 Main St", City: "Malmö", Country: "se"}}
		c.BirthDate = "1980-04-23"
		id := f.create(f.advisor, c)
		got := f.get(f.advisor, id)
		if got.FirstName != "Zoë" || got.Name() != "Zoë Ångström" {
			t.Errorf("name = %q / %q", got.FirstName, got.Name())
		}
		if got.Stage != contact.DefaultStage || got.OwnerID != f.advisor.UserID || got.Version != 1 {
			t.Errorf("defaults: stage %q owner %d version %d", got.Stage, got.OwnerID, got.Version)
		}
		if len(got.Emails) != 2 || !got.Emails[0].Primary || got.Emails[0].Address != "Zoe.Angstrom@example.com" {
			t.Errorf("emails = %+v", got.Emails)
		}
		if got.Phones[0].Number != "+447911123456" || got.Addresses[0].Country != "SE" {
			t.Errorf("phone %q country %q", got.Phones[0].Number, got.Addresses[0].Country)
		}
		if got.PrimaryEmail != "Zoe.Angstrom@example.com" || got.City != "Malmö" {
			t.Errorf("denormalised: %q %q", got.PrimaryEmail, got.City)
		}
		if got.Completeness <= 0 || got.Completeness >= 100 || len(got.Missing) == 0 {
			t.Errorf("completeness %d missing %v", got.Completeness, got.Missing)
		}
	})
}

func TestCreate_refusesBadInputPerField(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := person("", "")
		c.Emails = []contact.Email{{Address: "not-an-email"}}
		c.Phones = []contact.Phone{{Number: "12"}}
		c.BirthDate = "1980-02-30"
		c.Website = "javascript:alert(1)"
		c.BankAccounts = []contact.BankAccount{{IBAN: "DE89 3704 0044 0532 0130 01"}} // last digit wrong
		c.LastName = strings.Repeat("x", 101)
		_, err := f.s.Create(ctxAs(f.advisor), f.advisor, c)
		fields := errs.FieldsOf(err)
		for _, k := range []string{"emails.0", "phones.0", "birth_date", "website", "bank_accounts.0", "last_name"} {
			if fields[k] == "" {
				t.Errorf("no error for %s (got %v)", k, fields)
			}
		}
		if !strings.Contains(fields["last_name"], "100") {
			t.Errorf("length error does not name the limit: %q", fields["last_name"])
		}
		var n int
		if err := d.QueryRowContext(sysCtx, "SELECT COUNT(*) FROM contacts").Scan(&n); err != nil || n != 0 {
			t.Errorf("%d contacts stored after a refused create", n)
		}
	})
}

func TestJointAccount_namesExactlyTwoDistinctPersons(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := f.create(f.admin, person("Ann", "Lee"))
		b := f.create(f.admin, person("Bo", "Lee"))
		company := f.create(f.admin, &contact.Contact{Kind: contact.Company, EntityName: "Lee Ltd", CategoryID: 1})
		cases := []struct {
			name   string
			a, b   int64
			wantIn string
		}{
			{"one holder", a, 0, "exactly two"},
			{"same person twice", a, a, "two different persons"},
			{"an entity as holder", a, company, "persons, not"},
			{"missing person", a, 999999, "does not exist"},
		}
		for _, c := range cases {
			j := &contact.Contact{Kind: contact.Joint, EntityName: "Lee Joint", CategoryID: 1, JointA: c.a, JointB: c.b}
			_, err := f.s.Create(ctxAs(f.admin), f.admin, j)
			if msg := errs.FieldsOf(err)["joint"]; !strings.Contains(msg, c.wantIn) {
				t.Errorf("%s: joint error %q, want it to contain %q (err %v)", c.name, msg, c.wantIn, err)
			}
		}
		id := f.create(f.admin, &contact.Contact{Kind: contact.Joint, EntityName: "Lee Joint", CategoryID: 1, JointA: a, JointB: b})
		// The database refuses what the domain refuses.
		for _, q := range []string{
			"UPDATE contacts SET joint_b_id = joint_a_id WHERE id = ?",
			"UPDATE contacts SET joint_b_id = NULL WHERE id = ?",
		} {
			err := d.InTx(sysCtx, func(tx *db.Tx) error { _, err := tx.ExecContext(sysCtx, q, id); return err })
			if err == nil {
				t.Errorf("database accepted %s", q)
			}
		}
		rels, err := f.s.Relationships(sysCtx, f.admin, a)
		if err != nil || len(rels) != 1 || rels[0].OtherID != id {
			t.Errorf("holder's relationships = %+v, %v", rels, err)
		}
	})
}

func TestSensitive_maskedEncryptedAndRevealLogged(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := person("Tax", "Payer")
		c.Identifiers = []contact.Identifier{{Kind: "tax_id", Country: "US", Number: "123-45-6789"}}
		c.BankAccounts = []contact.BankAccount{{BankName: "Bank", IBAN: "DE89 3704 0044 0532 0130 00"}}
		id := f.create(f.advisor, c)
		got := f.get(f.advisor, id)
		if got.Identifiers[0].Number != "" || got.Identifiers[0].Masked() != "••••6789" {
			t.Errorf("identifier read back as %+v", got.Identifiers[0])
		}
		if got.BankAccounts[0].IBAN != "" || got.BankAccounts[0].MaskedIBAN() != "••••3000" {
			t.Errorf("bank account read back as %+v", got.BankAccounts[0])
		}
		// Nowhere in the database in clear: not in the row, not in the log.
		for _, q := range []string{"SELECT number_sealed FROM contact_identifiers", "SELECT iban_sealed FROM contact_bank_accounts",
			"SELECT changes FROM audit_log"} {
			rows, err := d.QueryContext(sysCtx, q)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var s string
				_ = rows.Scan(&s)
				if strings.Contains(s, "123456789") || strings.Contains(s, "123-45-6789") || strings.Contains(s, "370400440532013000") {
					t.Errorf("%s holds a clear value: %s", q, s)
				}
			}
			rows.Close()
		}
		if _, err := f.s.Reveal(ctxAs(f.advisor), f.advisor, id, "identifier", got.Identifiers[0].ID); !errs.Is(err, errs.Forbidden) {
			t.Errorf("reveal without Sensitive Data Access: %v", err)
		}
		clear, err := f.s.Reveal(ctxAs(f.admin), f.admin, id, "identifier", got.Identifiers[0].ID)
		if err != nil || clear != "123-45-6789" {
			t.Fatalf("Reveal = %q, %v", clear, err)
		}
		iban, err := f.s.Reveal(ctxAs(f.admin), f.admin, id, "iban", got.BankAccounts[0].ID)
		if err != nil || iban != "DE89370400440532013000" {
			t.Fatalf("Reveal iban = %q, %v", iban, err)
		}
		recs, _, _ := audit.List(sysCtx, d, audit.Filter{Action: "contact.reveal"})
		if len(recs) != 2 || recs[1].ActorName != "Ada Admin" || recs[1].EntityID != fmt.Sprint(id) {
			t.Fatalf("reveal log = %+v", recs)
		}
		// Saving the record without retyping keeps the stored numbers.
		got.Occupation = "Engineer"
		if err := f.s.Update(ctxAs(f.advisor), f.advisor, got, got.Version); err != nil {
			t.Fatal(err)
		}
		clear, _ = f.s.Reveal(ctxAs(f.admin), f.admin, id, "identifier", got.Identifiers[0].ID)
		if clear != "123-45-6789" {
			t.Errorf("identifier after an unrelated save = %q", clear)
		}
	})
}

func TestEditLease_secondEditorIsLockedOut(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.create(f.admin, person("Lea", "Se"))
		if _, err := f.s.Acquire(ctxAs(f.advisor), f.advisor, id); err != nil {
			t.Fatal(err)
		}
		l, err := f.s.Acquire(ctxAs(f.admin), f.admin, id)
		var held *contact.LeaseHeld
		if !errs.Is(err, errs.Locked) || !errors.As(err, &held) || l.UserID != f.advisor.UserID {
			t.Fatalf("second Acquire = %+v, %v; want Locked by the advisor", l, err)
		}
		if !strings.Contains(errs.MessageOf(err), "Otto Advisor is editing this contact since") {
			t.Errorf("message = %q", errs.MessageOf(err))
		}
		c := f.get(f.admin, id)
		c.Occupation = "Pilot"
		if err := f.s.Update(ctxAs(f.admin), f.admin, c, c.Version); !errs.Is(err, errs.Locked) {
			t.Fatalf("save under another's lease = %v, want Locked", err)
		}
		// The holder saves, which ends the lease; then the other may edit.
		mine := f.get(f.advisor, id)
		mine.Employer = "Acme"
		if err := f.s.Update(ctxAs(f.advisor), f.advisor, mine, mine.Version); err != nil {
			t.Fatal(err)
		}
		if l, _ := f.s.CurrentLease(sysCtx, id); l.UserID != 0 {
			t.Errorf("lease survived the save: %+v", l)
		}
		if _, err := f.s.Acquire(ctxAs(f.admin), f.admin, id); err != nil {
			t.Fatalf("Acquire after release: %v", err)
		}
		// An admin breaks another's lease, logged; a lease also expires.
		if err := f.s.BreakLease(ctxAs(f.advisor), f.advisor, id); !errs.Is(err, errs.Forbidden) {
			t.Errorf("advisor broke a lease: %v", err)
		}
		if err := f.s.BreakLease(ctxAs(f.admin), f.admin, id); err != nil {
			t.Fatal(err)
		}
		f.s.LeaseFor = time.Millisecond
		if _, err := f.s.Acquire(ctxAs(f.advisor), f.advisor, id); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
		if _, err := f.s.Acquire(ctxAs(f.admin), f.admin, id); err != nil {
			t.Errorf("Acquire after expiry: %v", err)
		}
		if recs, _, _ := audit.List(sysCtx, d, audit.Filter{Action: "contact.lease_break"}); len(recs) != 1 {
			t.Errorf("lease breaks logged: %d", len(recs))
		}
	})
}

func TestUpdate_staleVersionIsAConflictThatShowsWhatChanged(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.create(f.admin, person("Ver", "Sion"))
		mine := f.get(f.admin, id)
		theirs := f.get(f.advisor, id)
		theirs.Occupation = "Architect"
		if err := f.s.Update(ctxAs(f.advisor), f.advisor, theirs, theirs.Version); err != nil {
			t.Fatal(err)
		}
		mine.Employer = "Mine Inc"
		err := f.s.Update(ctxAs(f.admin), f.admin, mine, mine.Version)
		var st *contact.Stale
		if !errs.Is(err, errs.Conflict) || !errors.As(err, &st) {
			t.Fatalf("stale update = %v, want Conflict with *Stale", err)
		}
		if st.Current.Occupation != "Architect" || len(st.Changes) != 1 || st.Changes[0].ActorName != "Otto Advisor" {
			t.Fatalf("stale details: current %q, changes %+v", st.Current.Occupation, st.Changes)
		}
		got := f.get(f.admin, id)
		if got.Employer != "" || got.Occupation != "Architect" || got.Version != 2 {
			t.Errorf("after conflict: %+v", got)
		}
	})
}

func TestLimitedAdvisor_seesOnlyOwnContactsEverywhere(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		mine := f.create(f.limited, person("Mina", "Own"))
		other := f.create(f.advisor, person("Mina", "Other"))
		ctx := ctxAs(f.limited)
		if _, err := f.s.Get(ctx, f.limited, other); !errs.Is(err, errs.NotFound) {
			t.Errorf("Get of another's contact = %v", err)
		}
		p, err := f.s.List(ctx, f.limited, contact.Query{Q: "mina"})
		if err != nil || len(p.Rows) != 1 || p.Rows[0].ID != mine {
			t.Errorf("search = %+v, %v", p.Rows, err)
		}
		p, _ = f.s.List(ctx, f.limited, contact.Query{Sort: "-created"})
		if len(p.Rows) != 1 {
			t.Errorf("list = %+v", p.Rows)
		}
		p, _ = f.s.List(ctx, f.limited, contact.Query{Conditions: []contact.Condition{{Field: "first_name", Op: "equals", Value: "mina"}}})
		if len(p.Rows) != 1 {
			t.Errorf("advanced search = %+v", p.Rows)
		}
		if n, _ := f.s.Count(ctx, f.limited, contact.Query{}, 0); n != 1 {
			t.Errorf("count = %d", n)
		}
		if _, err := f.s.Reveal(ctx, contact.Viewer{UserID: f.limited.UserID, OwnOnly: true, Sensitive: true}, other, "identifier", 1); !errs.Is(err, errs.NotFound) {
			t.Errorf("reveal on another's contact = %v", err)
		}
		if n, _ := f.s.Delete(ctx, f.limited, other); n != 0 {
			t.Errorf("deleted another's contact")
		}
		if _, err := f.s.Acquire(ctx, f.limited, other); !errs.Is(err, errs.NotFound) {
			t.Errorf("lease on another's contact = %v", err)
		}
		if n, _ := f.s.Count(ctxAs(f.admin), f.admin, contact.Query{}, 0); n != 2 {
			t.Errorf("admin count = %d", n)
		}
	})
}

func TestList_refusesUnknownSortAndFilterFields(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		bad := []contact.Query{
			{Sort: "password"},
			{Sort: "-name; DROP TABLE contacts"},
			{Stage: "nope"},
			{Conditions: []contact.Condition{{Field: "password_hash", Op: "equals", Value: "x"}}},
			{Conditions: []contact.Condition{{Field: "first_name", Op: "greater", Value: "x"}}},
			{Conditions: make([]contact.Condition, 6)},
			{Match: "some", Conditions: []contact.Condition{{Field: "first_name", Op: "is_empty"}}},
			{Cursor: "garbage"},
			{Limit: 201},
		}
		for _, q := range bad {
			if _, err := f.s.List(sysCtx, f.admin, q); !errs.Is(err, errs.Invalid) {
				t.Errorf("List(%+v) = %v, want Invalid", q, err)
			}
		}
	})
}

func TestSearch_prefixAccentAndCaseInsensitive(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := person("José", "Müller-Lüdenscheidt")
		c.Emails = []contact.Email{{Address: "jose.mueller@example.de"}}
		c.Phones = []contact.Phone{{Number: "+49 151 23456789"}}
		c.ExternalID = "WB-00042"
		jose := f.create(f.admin, c)
		f.create(f.admin, person("Joanna", "Smith"))
		f.create(f.admin, &contact.Contact{Kind: contact.Company, EntityName: "Мюллер Групп", CategoryID: 1})
		cases := map[string]int{
			"jos": 1, "JOSE": 1, "josé": 1, "mull": 1, "müll": 1, "lud": 1, "jo": 2, "jose mul": 1, "mul jo": 1,
			"jose.mueller@": 1, "jose.mueller@example.de": 1, "+49 151": 1, "15123": 1, "wb-000": 1, "мюл": 1,
			"xyz": 0, "jose smith": 0,
		}
		for q, want := range cases {
			p, err := f.s.List(sysCtx, f.admin, contact.Query{Q: q})
			if err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			if len(p.Rows) != want {
				t.Errorf("search %q found %d, want %d", q, len(p.Rows), want)
			}
			if want == 1 && q != "мюл" && len(p.Rows) == 1 && p.Rows[0].ID != jose {
				t.Errorf("search %q found %+v", q, p.Rows[0])
			}
		}
	})
}

func TestList_keysetPagesVisitEveryContactOnceInEverySort(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		for i := range 23 {
			c := person(fmt.Sprintf("Pat%02d", i%7), "Same")
			c.CategoryID = int64(1 + i%3)
			if i%2 == 0 {
				c.Emails = []contact.Email{{Address: fmt.Sprintf("p%d@example.com", i%5)}}
			}
			v := f.admin
			if i%3 == 0 {
				v = f.advisor
			}
			f.create(v, c)
		}
		for _, col := range contact.SortColumns {
			for _, key := range []string{col.Key(), "-" + col.Key()} {
				seen := map[int64]bool{}
				q := contact.Query{Sort: key, Limit: 4}
				for pages := 0; ; pages++ {
					p, err := f.s.List(sysCtx, f.admin, q)
					if err != nil {
						t.Fatalf("%s: %v", key, err)
					}
					for _, r := range p.Rows {
						if seen[r.ID] {
							t.Errorf("%s: contact %d twice", key, r.ID)
						}
						seen[r.ID] = true
					}
					if p.NextCursor == "" || pages > 10 {
						break
					}
					q.Cursor = p.NextCursor
				}
				if len(seen) != 23 {
					t.Errorf("sort %s visited %d of 23", key, len(seen))
				}
			}
		}
		// Search pages too.
		seen := map[int64]bool{}
		q := contact.Query{Q: "pat", Limit: 5}
		for {
			p, err := f.s.List(sysCtx, f.admin, q)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range p.Rows {
				if seen[r.ID] {
					t.Errorf("search: contact %d twice", r.ID)
				}
				seen[r.ID] = true
			}
			if p.NextCursor == "" {
				break
			}
			q.Cursor = p.NextCursor
		}
		if len(seen) != 23 {
			t.Errorf("search pages visited %d of 23", len(seen))
		}
	})
}

func TestAdvancedSearch_conditionsAllAndAny(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a := person("Alma", "Stone")
		a.BirthDate = "1950-06-01"
		a.Emails = []contact.Email{{Address: "alma@stone.example"}}
		a.InvestedMinor = 500000
		f.create(f.admin, a)
		b := person("Bert", "Stone")
		b.BirthDate = "1990-01-01"
		f.create(f.admin, b)
		f.create(f.admin, person("Cleo", "River"))
		cases := []struct {
			match string
			conds []contact.Condition
			want  int
		}{
			{"all", []contact.Condition{{"last_name", "equals", "STONE"}}, 2},
			{"all", []contact.Condition{{"last_name", "equals", "stone"}, {"birth_date", "before", "1960-01-01"}}, 1},
			{"any", []contact.Condition{{"first_name", "equals", "cleo"}, {"birth_date", "after", "1980-01-01"}}, 2},
			{"all", []contact.Condition{{"email", "contains", "stone"}}, 1},
			{"all", []contact.Condition{{"email", "is_empty", ""}}, 2},
			{"all", []contact.Condition{{"first_name", "starts_with", "b"}}, 1},
			{"all", []contact.Condition{{"last_name", "not_equals", "stone"}}, 1},
			{"all", []contact.Condition{{"invested", "greater", "4999.99"}}, 1},
			{"all", []contact.Condition{{"first_name", "contains", "%"}}, 0},
			{"all", []contact.Condition{{"birth_date", "is_not_empty", ""}, {"last_name", "equals", "stone"}, {"first_name", "starts_with", "a"}}, 1},
		}
		for _, c := range cases {
			p, err := f.s.List(sysCtx, f.admin, contact.Query{Match: c.match, Conditions: c.conds})
			if err != nil {
				t.Fatalf("%+v: %v", c.conds, err)
			}
			if len(p.Rows) != c.want {
				t.Errorf("%s %+v: %d rows, want %d", c.match, c.conds, len(p.Rows), c.want)
			}
		}
	})
}

func TestTrash_deleteRestoreAndErase(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := person("Gone", "Soon")
		c.Emails = []contact.Email{{Address: "gone@example.com"}}
		c.Identifiers = []contact.Identifier{{Kind: "tax_id", Number: "987-65-4321"}}
		id := f.create(f.advisor, c)
		got := f.get(f.advisor, id)
		got.Occupation = "Baker"
		if err := f.s.Update(ctxAs(f.advisor), f.advisor, got, got.Version); err != nil {
			t.Fatal(err)
		}
		if n, err := f.s.Delete(ctxAs(f.advisor), f.advisor, id); n != 1 || err != nil {
			t.Fatalf("Delete = %d, %v", n, err)
		}
		if p, _ := f.s.List(sysCtx, f.admin, contact.Query{Q: "gone"}); len(p.Rows) != 0 {
			t.Errorf("deleted contact still listed")
		}
		if n, _ := f.s.Restore(ctxAs(f.advisor), f.advisor, id); n != 1 {
			t.Fatalf("Restore = %d", n)
		}
		if p, _ := f.s.List(sysCtx, f.admin, contact.Query{Q: "gone"}); len(p.Rows) != 1 {
			t.Errorf("restored contact not listed")
		}
		if err := f.s.Erase(ctxAs(f.advisor), f.advisor, id); !errs.Is(err, errs.Forbidden) {
			t.Errorf("advisor erased: %v", err)
		}
		if err := f.s.Erase(ctxAs(f.admin), f.admin, id); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Get(sysCtx, f.admin, id); err != nil {
			t.Fatalf("tombstone unreadable: %v", err)
		}
		// Nothing personal is left anywhere, and the log still verifies.
		for _, q := range []string{"SELECT COUNT(*) FROM contact_emails", "SELECT COUNT(*) FROM contact_identifiers", "SELECT COUNT(*) FROM contact_terms"} {
			var n int
			if err := d.QueryRowContext(sysCtx, q).Scan(&n); err != nil || n != 0 {
				t.Errorf("%s = %d", q, n)
			}
		}
		rows, _ := d.QueryContext(sysCtx, "SELECT changes FROM audit_log")
		for rows.Next() {
			var s string
			_ = rows.Scan(&s)
			if strings.Contains(s, "Gone") || strings.Contains(s, "gone@") || strings.Contains(s, "Baker") {
				t.Errorf("activity log still holds personal data: %s", s)
			}
		}
		rows.Close()
		if n, err := audit.Verify(sysCtx, d); err != nil {
			t.Errorf("chain after erase: %d, %v", n, err)
		}
		recs, _, _ := audit.List(sysCtx, d, audit.Filter{Entity: "contact", EntityID: fmt.Sprint(id)})
		if len(recs) < 5 || recs[0].Action != "contact.erase" {
			t.Errorf("history after erase: %d rows, newest %q", len(recs), recs[0].Action)
		}
	})
}

func TestPurgeTrash_erasesAfterThirtyDays(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		old := f.create(f.admin, person("Old", "Trash"))
		recent := f.create(f.admin, person("New", "Trash"))
		f.s.Delete(ctxAs(f.admin), f.admin, old, recent)
		_ = d.InTx(sysCtx, func(tx *db.Tx) error {
			_, err := tx.ExecContext(sysCtx, "UPDATE contacts SET deleted_at = ? WHERE id = ?", db.Now().Add(-31*24*time.Hour), old)
			return err
		})
		n, err := f.s.PurgeTrash(sysCtx, db.Now())
		if err != nil || n != 1 {
			t.Fatalf("PurgeTrash = %d, %v", n, err)
		}
		if c := f.get(f.admin, old); c.ErasedAt == nil {
			t.Error("old trash not erased")
		}
		if c := f.get(f.admin, recent); c.ErasedAt != nil {
			t.Error("recent trash erased")
		}
	})
}

func TestReadOnly_changesNothing(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		id := f.create(f.admin, person("Read", "Only"))
		if _, err := f.s.Create(ctxAs(f.readOnly), f.readOnly, person("No", "Way")); !errs.Is(err, errs.Forbidden) {
			t.Errorf("Create = %v", err)
		}
		c := f.get(f.readOnly, id)
		if err := f.s.Update(ctxAs(f.readOnly), f.readOnly, c, c.Version); !errs.Is(err, errs.Forbidden) {
			t.Errorf("Update = %v", err)
		}
		if _, err := f.s.Acquire(ctxAs(f.readOnly), f.readOnly, id); !errs.Is(err, errs.Forbidden) {
			t.Errorf("Acquire = %v", err)
		}
	})
}

func TestRelationshipValue_countsEachLinkedEntityOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		p := person("Val", "Ue")
		p.InvestedMinor = 100_00
		a := f.create(f.admin, p)
		b := f.create(f.admin, person("Co", "Holder"))
		trust := &contact.Contact{Kind: contact.Trust, EntityName: "Ue Trust", CategoryID: 1, InvestedMinor: 1000_00}
		tr := f.create(f.admin, trust)
		joint := f.create(f.admin, &contact.Contact{Kind: contact.Joint, EntityName: "Ue Joint", CategoryID: 1, JointA: a, JointB: b, InvestedMinor: 50_00})
		_ = joint
		if _, err := f.s.Relate(ctxAs(f.admin), f.admin, tr, a, "trustee", "", ""); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Relate(ctxAs(f.admin), f.admin, tr, a, "beneficiary", "", ""); err != nil {
			t.Fatal(err)
		}
		got := f.get(f.admin, a)
		if got.DirectInvested != 100_00 || got.RelationshipValue != 100_00+1000_00+50_00 {
			t.Errorf("direct %d, relationship value %d", got.DirectInvested, got.RelationshipValue)
		}
		// A company in euros counts beside the dollars, not converted.
		co := f.create(f.admin, &contact.Contact{Kind: contact.Company, EntityName: "Ue GmbH", CategoryID: 1, InvestedMinor: 700_00, Currency: "EUR"})
		if _, err := f.s.Relate(ctxAs(f.admin), f.admin, co, a, "owner", "", ""); err != nil {
			t.Fatal(err)
		}
		got = f.get(f.admin, a)
		if got.RelationshipValue != 100_00+1000_00+50_00 || len(got.RelationshipValueOther) != 1 ||
			got.RelationshipValueOther[0] != (contact.Amount{Currency: "EUR", Minor: 700_00}) {
			t.Errorf("with a euro company: %d + %v", got.RelationshipValue, got.RelationshipValueOther)
		}
		if _, err := f.s.Relate(ctxAs(f.admin), f.admin, a, tr, "trustee", "", ""); err == nil {
			t.Error("a person was made trustee-side entity")
		}
		rels, _ := f.s.Relationships(sysCtx, f.admin, tr)
		if len(rels) != 2 {
			t.Errorf("trust relationships = %+v", rels)
		}
	})
}

func TestCreate_refusedInputComesBackAsTyped(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := person("Keep", "Input")
		c.Emails = []contact.Email{{Address: ""}, {Address: "ok@example.com"}, {Address: "broken@"}}
		c.Addresses = []contact.Address{{City: "Oslo", Country: "Norway!"}}
		c.BankAccounts = []contact.BankAccount{{BankName: "DNB", IBAN: "NO93 8601 1117 948"}}
		_, err := f.s.Create(ctxAs(f.advisor), f.advisor, c)
		fields := errs.FieldsOf(err)
		if fields["emails.2"] == "" || fields["addresses.0"] == "" || fields["bank_accounts.0"] == "" {
			t.Fatalf("errors = %v", fields)
		}
		if len(c.Emails) != 3 || c.Emails[2].Address != "broken@" || c.Addresses[0].Country != "Norway!" || c.BankAccounts[0].IBAN != "NO93 8601 1117 948" {
			t.Errorf("input not kept: %+v %+v %+v", c.Emails, c.Addresses, c.BankAccounts)
		}
	})
}

func TestUpdate_keptSensitiveNumbersLogNoChange(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := person("Kept", "Number")
		c.Identifiers = []contact.Identifier{{Kind: "tax_id", Number: "123-45-6789"}}
		c.BankAccounts = []contact.BankAccount{{IBAN: "DE89370400440532013000"}}
		id := f.create(f.admin, c)
		got := f.get(f.admin, id)
		got.Occupation = "Chef"
		if err := f.s.Update(ctxAs(f.admin), f.admin, got, got.Version); err != nil {
			t.Fatal(err)
		}
		recs, _, _ := audit.List(sysCtx, d, audit.Filter{Action: "contact.update"})
		for _, ch := range recs[0].Changes {
			if ch.Field == "identifiers" || ch.Field == "bank_accounts" {
				t.Errorf("an unchanged number was logged as changed: %+v", ch)
			}
		}
		other := f.create(f.admin, person("Other", "One"))
		o := f.get(f.admin, other)
		o.Identifiers = got.Identifiers // ids of another contact
		if err := f.s.Update(ctxAs(f.admin), f.admin, o, o.Version); errs.FieldsOf(err)["identifiers"] == "" {
			t.Errorf("foreign identifier id: %v", err)
		}
	})
}

func TestCreate_reportsEveryProblemAtOnce(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		c := person("All", "AtOnce")
		c.CategoryID = 0
		c.Emails = []contact.Email{{Address: "nope"}}
		_, err := f.s.Create(ctxAs(f.advisor), f.advisor, c)
		fields := errs.FieldsOf(err)
		if fields["category_id"] == "" || fields["emails.0"] == "" {
			t.Errorf("errors = %v, want the category and the email together", fields)
		}
	})
}
