package contact_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/demoload"
	"github.com/foliocrm/folio/internal/norm"
	"github.com/foliocrm/folio/internal/secret"
)

// The benchmarks run on `folio demo` data: FOLIO_BENCH_CONTACTS contacts
// (default 1,000,000), seed 1. The database is built once and kept — a
// SQLite file under the temp directory, a schema on PostgreSQL — so later
// runs start at once. Delete it to rebuild:
//
//	rm -r $TMPDIR/folio-bench-*; psql -c 'DROP SCHEMA bench_1000000 CASCADE'
//
// Each benchmark reports its p95 latency as the p95-ms metric.

func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("FOLIO_BENCH_CONTACTS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

type benchDB struct {
	d     *db.DB
	s     *contact.Service
	admin contact.Viewer
	terms []string // prefixes people type
}

var (
	benchMu  sync.Mutex
	benchDBs = map[string]*benchDB{}
)

func openBench(b *testing.B, kind dbtest.Kind) *benchDB {
	benchMu.Lock()
	defer benchMu.Unlock()
	n := benchSize()
	key := kind.Name + strconv.Itoa(n)
	if x, ok := benchDBs[key]; ok {
		return x
	}
	ctx := sysCtx
	var opts db.Options
	switch kind.Name {
	case "sqlite":
		opts.DataDir = filepath.Join(os.TempDir(), fmt.Sprintf("folio-bench-%d", n))
	case "postgres":
		schema := fmt.Sprintf("bench_%d", n)
		base := os.Getenv("FOLIO_TEST_POSTGRES")
		admin, err := db.Open(ctx, db.Options{URL: base})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := admin.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+schema); err != nil {
			b.Fatal(err)
		}
		admin.Close()
		opts.URL = dbtest.WithSearchPath(base, schema)
	}
	d, err := db.Open(ctx, opts)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := d.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	box, _ := secret.New(make([]byte, 32))
	x := &benchDB{d: d, s: contact.New(d, box)}
	var have int
	if err := d.QueryRowContext(ctx, "SELECT COUNT(*) FROM contacts").Scan(&have); err != nil {
		b.Fatal(err)
	}
	if have < n {
		start := time.Now()
		as := auth.NewService(d, box, "http://localhost")
		if _, err := demoload.Load(ctx, as, x.s, n-have, 1, nil); err != nil {
			b.Fatal(err)
		}
		b.Logf("loaded %d demo contacts on %s in %s", n-have, kind.Name, time.Since(start).Round(time.Millisecond))
	}
	var owner int64
	if err := d.QueryRowContext(ctx, "SELECT MIN(id) FROM users").Scan(&owner); err != nil {
		b.Fatal(err)
	}
	x.admin = contact.Viewer{UserID: owner, Name: "bench", Admin: true, Sensitive: true}
	// Prefixes: 2 to 4 letters of names and emails of random contacts.
	r := rand.New(rand.NewPCG(1, 2))
	rows, err := d.QueryContext(ctx, "SELECT display_name, primary_email FROM contacts WHERE id % 997 = 0 AND kind = 'person' LIMIT 400")
	if err != nil {
		b.Fatal(err)
	}
	for rows.Next() {
		var name, email string
		_ = rows.Scan(&name, &email)
		for _, terms := range [][]string{norm.Terms(name), norm.EmailTerms(email)} {
			if len(terms) == 0 {
				continue
			}
			t := []rune(terms[r.IntN(len(terms))])
			if len(t) < 2 {
				continue
			}
			x.terms = append(x.terms, string(t[:min(len(t), 2+r.IntN(3))]))
		}
	}
	rows.Close()
	benchDBs[key] = x
	return x
}

// measure runs fn b.N times and reports the 95th percentile.
func measure(b *testing.B, fn func(i int)) {
	b.Helper()
	var ds []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		t := time.Now()
		fn(i)
		ds = append(ds, time.Since(t))
	}
	b.StopTimer()
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	if len(ds) > 0 {
		b.ReportMetric(float64(ds[len(ds)*95/100].Microseconds())/1000, "p95-ms")
	}
}

func forEachDB(b *testing.B, fn func(b *testing.B, x *benchDB)) {
	for _, k := range dbtest.Kinds() {
		b.Run(k.Name, func(b *testing.B) { fn(b, openBench(b, k)) })
	}
}

// BenchmarkSearchAsYouType: 2–4 letter prefixes of names and emails, first
// page of 50. Target p95 ≤ 10 ms.
func BenchmarkSearchAsYouType(b *testing.B) {
	forEachDB(b, func(b *testing.B, x *benchDB) {
		ctx := context.Background()
		measure(b, func(i int) {
			if _, err := x.s.List(ctx, x.admin, contact.Query{Q: x.terms[i%len(x.terms)], Limit: 50}); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkHomeList: first page and the 20th page by cursor, sorted by
// every column both ways, with a category filter. Target p95 ≤ 15 ms.
func BenchmarkHomeList(b *testing.B) {
	forEachDB(b, func(b *testing.B, x *benchDB) {
		ctx := context.Background()
		// The cursor of page 20 for each sort, found once.
		type start struct {
			q      contact.Query
			cursor string
		}
		var starts []start
		for _, col := range contact.SortColumns {
			for _, key := range []string{col.Key(), "-" + col.Key()} {
				q := contact.Query{Sort: key, Category: 2, Limit: 50}
				starts = append(starts, start{q, ""})
				for range 19 {
					p, err := x.s.List(ctx, x.admin, q)
					if err != nil {
						b.Fatal(err)
					}
					q.Cursor = p.NextCursor
				}
				starts = append(starts, start{q, q.Cursor})
			}
		}
		measure(b, func(i int) {
			st := starts[i%len(starts)]
			if _, err := x.s.List(ctx, x.admin, st.q); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkOpenContact: one contact with all its sections. Target p95 ≤ 10 ms.
func BenchmarkOpenContact(b *testing.B) {
	forEachDB(b, func(b *testing.B, x *benchDB) {
		ctx := context.Background()
		n := int64(benchSize())
		measure(b, func(i int) {
			id := 1 + (int64(i)*7919)%n
			if _, err := x.s.Get(ctx, x.admin, id); err != nil {
				b.Fatal(err)
			}
			if _, err := x.s.Relationships(ctx, x.admin, id); err != nil {
				b.Fatal(err)
			}
			if _, err := x.s.GroupsOf(ctx, id); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkAdvancedSearch: three conditions, first page. Target p95 ≤ 100 ms.
func BenchmarkAdvancedSearch(b *testing.B) {
	forEachDB(b, func(b *testing.B, x *benchDB) {
		ctx := context.Background()
		queries := []contact.Query{
			{Match: "all", Conditions: []contact.Condition{{Field: "city", Op: "starts_with", Value: "l"},
				{Field: "risk_tolerance", Op: "equals", Value: "high"}, {Field: "birth_date", Op: "before", Value: "1970-01-01"}}},
			{Match: "any", Conditions: []contact.Condition{{Field: "last_name", Op: "equals", Value: "garcia"},
				{Field: "email", Op: "contains", Value: "gmail"}, {Field: "tag", Op: "equals", Value: "vip"}}},
			{Match: "all", Conditions: []contact.Condition{{Field: "completeness", Op: "greater", Value: "80"},
				{Field: "annual_income", Op: "equals", Value: "250k-1m"}, {Field: "country", Op: "equals", Value: "DE"}}},
		}
		measure(b, func(i int) {
			if _, err := x.s.List(ctx, x.admin, queries[i%len(queries)]); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// BenchmarkScanDuplicates: the background scan of the whole book for
// likely duplicates (no target; it runs in the background). Run with
// -benchtime 1x.
func BenchmarkScanDuplicates(b *testing.B) {
	forEachDB(b, func(b *testing.B, x *benchDB) {
		var pairs int
		for b.Loop() {
			var err error
			if pairs, err = x.s.ScanDuplicates(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(pairs), "pairs")
	})
}

// BenchmarkDuplicatesPage: the first and a later page of the duplicates
// list, as the page shows them (a list page's target: p95 ≤ 15 ms).
func BenchmarkDuplicatesPage(b *testing.B) {
	forEachDB(b, func(b *testing.B, x *benchDB) {
		ctx := context.Background()
		if at, err := x.s.DuplicatesScannedAt(ctx); err != nil || at.IsZero() {
			if _, err := x.s.ScanDuplicates(ctx); err != nil {
				b.Fatal(err)
			}
		}
		first, err := x.s.Duplicates(ctx, x.admin, "", 100)
		if err != nil {
			b.Fatal(err)
		}
		measure(b, func(i int) {
			after := ""
			if i%2 == 1 {
				after = first.Next
			}
			if _, err := x.s.Duplicates(ctx, x.admin, after, 100); err != nil {
				b.Fatal(err)
			}
		})
	})
}
