// Package dbtest gives tests a fresh, migrated database: a SQLite file in a
// temporary directory always, and a PostgreSQL schema of its own when
// FOLIO_TEST_POSTGRES holds a connection URL. The same test function runs
// on both.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/foliocrm/folio/internal/db"
)

// EnvPostgres names the variable holding the PostgreSQL test URL.
const EnvPostgres = "FOLIO_TEST_POSTGRES"

// Target is one database a test runs on.
type Target struct {
	Name    string // "sqlite" or "postgres"
	URL     string // "" for SQLite
	DataDir string
}

// Kind is a database kind to test on.
type Kind struct {
	Name string // "sqlite" or "postgres"
	base string
}

// Kinds lists SQLite, and PostgreSQL when FOLIO_TEST_POSTGRES is set.
func Kinds() []Kind {
	out := []Kind{{Name: "sqlite"}}
	if base := os.Getenv(EnvPostgres); base != "" {
		out = append(out, Kind{Name: "postgres", base: base})
	}
	return out
}

// New returns a fresh, empty target of this kind for t.
func (k Kind) New(t testing.TB) Target {
	tg := Target{Name: k.Name, DataDir: t.TempDir()}
	if k.base != "" {
		tg.URL = Schema(t, k.base)
	}
	return tg
}

// Schema creates a schema of its own for t in the database at base and
// returns a URL whose connections use it; the schema is dropped at cleanup.
func Schema(t testing.TB, base string) string {
	t.Helper()
	b := make([]byte, 6)
	rand.Read(b)
	name := "t_" + hex.EncodeToString(b)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", EnvPostgres, err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + name); err != nil {
		t.Fatalf("create schema (is PostgreSQL running at %s?): %v", EnvPostgres, err)
	}
	t.Cleanup(func() {
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer admin.Close()
		_, _ = admin.Exec("DROP SCHEMA " + name + " CASCADE")
	})
	return WithSearchPath(base, name)
}

// WithSearchPath returns the URL base whose connections use schema.
func WithSearchPath(base, schema string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Run runs fn as a subtest on every kind with a fresh migrated database.
func Run(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, k := range Kinds() {
		t.Run(k.Name, func(t *testing.T) { fn(t, Open(t, k.New(t))) })
	}
}

// Open returns a migrated database for target, closed at cleanup.
func Open(t testing.TB, tg Target) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), db.Options{URL: tg.URL, DataDir: tg.DataDir})
	if err != nil {
		t.Fatalf("open %s: %v", tg.Name, err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate %s: %v", tg.Name, err)
	}
	t.Cleanup(func() { checkForeignKeys(t, d) })
	return d
}

// checkForeignKeys fails t if a row of a SQLite database references one
// that does not exist: bulk transactions (imports, bulk email, demo loads)
// run without SQLite's key checks and rely on storing only references
// they read or created, which every test checks here. PostgreSQL checks
// its keys itself.
func checkForeignKeys(t testing.TB, d *db.DB) {
	if d.Dialect.Name() != "sqlite" {
		return
	}
	rows, err := d.QueryContext(context.Background(), "PRAGMA foreign_key_check")
	if err != nil {
		t.Errorf("foreign key check: %v", err)
		return
	}
	defer rows.Close()
	for n := 0; rows.Next() && n < 5; n++ {
		var table, parent string
		var rowid sql.NullInt64
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			t.Errorf("foreign key check: %v", err)
			return
		}
		t.Errorf("row %d of %s references a missing row of %s", rowid.Int64, table, parent)
	}
}
