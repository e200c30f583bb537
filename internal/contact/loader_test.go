package contact_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
)

func TestLoader_storesWhatCreateWould(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		existing := f.create(f.admin, person("Before", "Load"))
		l, err := f.s.NewLoader(sysCtx)
		if err != nil {
			t.Fatal(err)
		}
		l.BatchSize = 100
		var ids []int64
		for i := range 250 {
			c := person(fmt.Sprintf("Lo%d", i), "Ader")
			c.OwnerID = f.advisor.UserID
			c.Emails = []contact.Email{{Label: "work", Address: fmt.Sprintf("lo%d@example.com", i), Primary: true}}
			c.Phones = []contact.Phone{{Label: "mobile", Number: fmt.Sprintf("+4915112%06d", i), Primary: true}}
			c.Identifiers = []contact.Identifier{{Kind: "tax_id", Number: fmt.Sprintf("123-45-%04d", i)}}
			c.Tags = []string{"vip"}
			id, err := l.Add(c, 0, db.Now())
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		j := &contact.Contact{Kind: contact.Joint, EntityName: "Loader Joint", CategoryID: 1, OwnerID: f.advisor.UserID,
			JointA: ids[0], JointB: ids[1], InvestedMinor: 100}
		jid, err := l.Add(j, 2, db.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Relate(ids[0], ids[1], "spouse"); err != nil {
			t.Fatal(err)
		}
		if err := l.Flush(); err != nil {
			t.Fatal(err)
		}
		if ids[0] != existing+1 || l.Added() != 251 {
			t.Errorf("first id %d after %d; added %d", ids[0], existing, l.Added())
		}
		p, err := f.s.List(sysCtx, f.admin, contact.Query{Q: "lo12"})
		if err != nil || len(p.Rows) != 11 { // lo12, lo120..lo129
			t.Errorf("search lo12 = %d rows, %v", len(p.Rows), err)
		}
		got := f.get(f.admin, ids[7])
		if got.PrimaryEmail != "lo7@example.com" || got.Identifiers[0].Masked() != "••••0007" || len(got.Tags) != 1 {
			t.Errorf("loaded contact = %+v", got)
		}
		clear, err := f.s.Reveal(ctxAs(f.admin), f.admin, ids[7], "identifier", got.Identifiers[0].ID)
		if err != nil || clear != "123-45-0007" {
			t.Errorf("reveal = %q, %v", clear, err)
		}
		if r := f.get(f.admin, ids[0]); r.RelationshipValue != 100 {
			t.Errorf("relationship value = %d", r.RelationshipValue)
		}
		rels, _ := f.s.Relationships(sysCtx, f.admin, ids[0])
		if len(rels) != 2 {
			t.Errorf("relationships = %+v", rels)
		}
		_ = jid
		// New contacts after a load get fresh ids (the PostgreSQL sequence moved on).
		after := f.create(f.admin, person("After", "Load"))
		if after <= jid {
			t.Errorf("id after load = %d, want > %d", after, jid)
		}
	})
}

func indexCount(t *testing.T, d *db.DB) int {
	t.Helper()
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'"
	if d.Dialect.Name() == "postgres" {
		q = "SELECT COUNT(*) FROM pg_indexes WHERE schemaname = current_schema()"
	}
	var n int
	if err := d.QueryRowContext(sysCtx, q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// foreignKeyCount counts the foreign keys PostgreSQL enforces (SQLite's
// are part of each table's definition and never dropped: -1).
func foreignKeyCount(t *testing.T, d *db.DB) int {
	t.Helper()
	if d.Dialect.Name() != "postgres" {
		return -1
	}
	var n int
	err := d.QueryRowContext(sysCtx, "SELECT COUNT(*) FROM pg_constraint WHERE contype = 'f' AND connamespace = current_schema()::regnamespace").Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLoader_intoEmptyTablesDefersIndexesAndRebuildsThem(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		before, keysBefore := indexCount(t, d), foreignKeyCount(t, d)
		l, err := f.s.NewLoader(sysCtx)
		if err != nil {
			t.Fatal(err)
		}
		if during := indexCount(t, d); during >= before {
			t.Errorf("indexes during a fresh load: %d, before %d", during, before)
		}
		if during := foreignKeyCount(t, d); d.Dialect.Name() == "postgres" && during >= keysBefore {
			t.Errorf("foreign keys during a fresh load on PostgreSQL: %d, before %d", during, keysBefore)
		}
		for i := range 30 {
			c := person(fmt.Sprintf("Fresh%d", i), "Load")
			c.OwnerID = f.admin.UserID
			if _, err := l.Add(c, 0, time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
		if err := l.Finish(); err != nil {
			t.Fatal(err)
		}
		if after := indexCount(t, d); after != before {
			t.Errorf("indexes after the load: %d, want %d", after, before)
		}
		if after := foreignKeyCount(t, d); after != keysBefore {
			t.Errorf("foreign keys after the load: %d, want %d", after, keysBefore)
		}
		if d.Dialect.Name() == "postgres" {
			// Vacuumed, so index-only scans need not visit the table.
			var visible int
			_ = d.QueryRowContext(sysCtx, "SELECT relallvisible FROM pg_class WHERE oid = 'contacts'::regclass").Scan(&visible)
			if visible == 0 {
				t.Error("contacts has no all-visible pages after a load on PostgreSQL: not vacuumed")
			}
		}
		// An interrupted load leaves deferred indexes; the next start
		// (Migrate) builds them.
		if err := d.DeferIndexes(sysCtx, nil, "contacts"); err != nil {
			t.Fatal(err)
		}
		if indexCount(t, d) >= before {
			t.Fatal("DeferIndexes dropped nothing")
		}
		if _, err := d.Migrate(sysCtx); err != nil {
			t.Fatal(err)
		}
		if after := indexCount(t, d); after != before {
			t.Errorf("indexes after restart: %d, want %d", after, before)
		}
		if after := foreignKeyCount(t, d); after != keysBefore {
			t.Errorf("foreign keys after restart: %d, want %d", after, keysBefore)
		}
		if p, _ := f.s.List(sysCtx, f.admin, contact.Query{Q: "fresh1"}); len(p.Rows) != 11 {
			t.Errorf("search after load: %d rows", len(p.Rows))
		}
	})
}

// A row that breaks a deferred foreign key (which the loader's own checks
// exist to prevent) stops the rebuild with the key's name instead of being
// kept: the key stays deferred, so every start reports it again.
func TestRestoreIndexes_brokenReferenceIsReportedNotKept(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		if d.Dialect.Name() != "postgres" {
			t.Skip("SQLite keeps its foreign keys in the table definitions")
		}
		newFixture(t, d)
		if err := d.DeferIndexes(sysCtx, nil, "contact_emails"); err != nil {
			t.Fatal(err)
		}
		_, err := d.ExecContext(sysCtx, "INSERT INTO contact_emails (contact_id, address, address_key) VALUES (987654, 'x@example.com', 'x@example.com')")
		if err != nil {
			t.Fatal(err)
		}
		err = d.RestoreIndexes(sysCtx)
		if err == nil || !strings.Contains(err.Error(), "contact_emails_contact_id_fkey") {
			t.Fatalf("RestoreIndexes = %v, want the broken key named", err)
		}
		var left int
		_ = d.QueryRowContext(sysCtx, "SELECT COUNT(*) FROM deferred_indexes").Scan(&left)
		if left != 1 {
			t.Errorf("%d deferred entries left, want the one key", left)
		}
	})
}
