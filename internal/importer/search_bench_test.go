package importer_test

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/demoload"
	"github.com/foliocrm/folio/internal/importer"
	"github.com/foliocrm/folio/internal/norm"
	"github.com/foliocrm/folio/internal/secret"
	"github.com/foliocrm/folio/internal/tabular"
)

var baseContacts = flag.Int("import.base", 1_000_000, "contacts in the book an import runs beside (BenchmarkSearchDuringImport)")

// BenchmarkSearchDuringImport measures search as you type (2–4 letter
// prefixes of names and emails, first 50) on a SQLite book of
// -import.base demo contacts, idle and then while an import of
// -import.rows rows runs, and reports both 95th percentiles and their
// ratio (target: under 2). The book is built once in TMPDIR and copied
// for each run.
func BenchmarkSearchDuringImport(b *testing.B) {
	file := benchFile(b, *benchRows)
	base := benchBook(b)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		d := copyBook(b, base)
		box, _ := secret.New(make([]byte, 32))
		cs := contact.New(d, box)
		var owner int64
		if err := d.QueryRowContext(ctx, "SELECT MIN(id) FROM users").Scan(&owner); err != nil {
			b.Fatal(err)
		}
		v := contact.Viewer{UserID: owner, Admin: true}
		prefixes := searchPrefixes(b, d)
		search := func(i int) time.Duration {
			start := time.Now()
			if _, err := cs.List(ctx, v, contact.Query{Q: prefixes[i%len(prefixes)], Limit: 50}); err != nil {
				b.Fatal(err)
			}
			return time.Since(start)
		}
		for i := range 50 { // warm the cache
			search(i)
		}
		var idle []time.Duration
		for i := range 400 {
			idle = append(idle, search(i))
		}

		s := importer.New(d, box, cs, slog.New(slog.NewTextHandler(io.Discard, nil)))
		s.ViewerOf = func(context.Context, int64) (contact.Viewer, error) { return v, nil }
		f, _ := os.Open(file)
		im, err := s.Upload(ctx, v, "bench.csv", f, tabular.Options{})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Start(ctx, v, im.ID, importer.Settings{Mapping: im.Mapping, Key: contact.MatchEmail}); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		done := make(chan error, 1)
		go func() {
			_, err := s.RunNow(ctx, im.ID, nil)
			done <- err
		}()
		var busy []time.Duration
	loop:
		for i := 0; ; i++ {
			select {
			case err := <-done:
				if err != nil {
					b.Fatal(err)
				}
				break loop
			default:
			}
			busy = append(busy, search(i))
			time.Sleep(20 * time.Millisecond) // someone typing
		}
		b.StopTimer()
		d.Close()
		pi, pb := p95(idle), p95(busy)
		b.ReportMetric(float64(pi.Microseconds())/1000, "idle-p95-ms")
		b.ReportMetric(float64(pb.Microseconds())/1000, "import-p95-ms")
		b.ReportMetric(float64(pb)/float64(pi), "ratio")
		b.ReportMetric(float64(len(busy)), "searches")
		b.StartTimer()
	}
}

// benchBook returns the directory of a SQLite book of -import.base demo
// contacts, built once in TMPDIR.
func benchBook(b *testing.B) string {
	base := filepath.Join(os.TempDir(), fmt.Sprintf("folio-import-base-%d", *baseContacts))
	ctx := context.Background()
	if _, err := os.Stat(filepath.Join(base, "folio.db")); err == nil {
		return base
	}
	d, err := db.Open(ctx, db.Options{DataDir: base})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	box, _ := secret.New(make([]byte, 32))
	if _, err := demoload.Load(audit.WithActor(ctx, audit.System), auth.NewService(d, box, "http://localhost"), contact.New(d, box), *baseContacts, 1, nil); err != nil {
		b.Fatal(err)
	}
	return base
}

// copyBook opens a copy of the book in base, closed when b ends.
func copyBook(b *testing.B, base string) *db.DB {
	dir := b.TempDir()
	if out, err := exec.Command("cp", "-r", base+"/.", dir).CombinedOutput(); err != nil {
		b.Fatalf("copy the book: %v %s", err, out)
	}
	d, err := db.Open(context.Background(), db.Options{DataDir: dir})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	return d
}

// BenchmarkImportIntoBook imports -import.rows rows (target: 10,000 in
// ≤ 3 s) into a SQLite book of -import.base demo contacts (a copy of the
// one BenchmarkSearchDuringImport builds), end to end from the upload,
// matching by email.
func BenchmarkImportIntoBook(b *testing.B) {
	file := benchFile(b, *benchRows)
	base := benchBook(b)
	ctx := context.Background()
	for b.Loop() {
		b.StopTimer()
		d := copyBook(b, base)
		// The book's pages as a running server holds them: read once.
		if _, err := d.ExecContext(ctx, "SELECT COUNT(*) FROM contacts"); err != nil {
			b.Fatal(err)
		}
		box, _ := secret.New(make([]byte, 32))
		cs := contact.New(d, box)
		var owner int64
		if err := d.QueryRowContext(ctx, "SELECT MIN(id) FROM users").Scan(&owner); err != nil {
			b.Fatal(err)
		}
		v := contact.Viewer{UserID: owner, Admin: true}
		s := importer.New(d, box, cs, slog.New(slog.NewTextHandler(io.Discard, nil)))
		s.ViewerOf = func(context.Context, int64) (contact.Viewer, error) { return v, nil }
		f, _ := os.Open(file)
		b.StartTimer()
		im, err := s.Upload(ctx, v, "bench.csv", f, tabular.Options{})
		f.Close()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Start(ctx, v, im.ID, importer.Settings{Mapping: im.Mapping, Key: contact.MatchEmail}); err != nil {
			b.Fatal(err)
		}
		if im, err = s.RunNow(ctx, im.ID, nil); err != nil || im.Created+im.Updated+im.Unchanged != int64(*benchRows) {
			b.Fatalf("%v %+v", err, im)
		}
	}
}

func p95(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)*95/100]
}

// searchPrefixes are 2–4 letter starts of names and emails in the book.
func searchPrefixes(b *testing.B, d *db.DB) []string {
	r := rand.New(rand.NewPCG(1, 2))
	rows, err := d.QueryContext(context.Background(),
		"SELECT display_name, primary_email FROM contacts WHERE id % 997 = 0 AND kind = 'person' LIMIT 400")
	if err != nil {
		b.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name, email string
		_ = rows.Scan(&name, &email)
		for _, terms := range [][]string{norm.Terms(name), norm.EmailTerms(email)} {
			if len(terms) == 0 {
				continue
			}
			t := []rune(terms[r.IntN(len(terms))])
			if len(t) >= 2 {
				out = append(out, string(t[:min(len(t), 2+r.IntN(3))]))
			}
		}
	}
	if len(out) == 0 {
		b.Fatal("no names to search for")
	}
	return out
}
