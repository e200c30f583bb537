package importer_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/export"
	"github.com/foliocrm/folio/internal/importer"
	"github.com/foliocrm/folio/internal/secret"
	"github.com/foliocrm/folio/internal/tabular"
)

var benchRows = flag.Int("import.rows", 1_000_000, "rows of the generated import file")

var (
	firstNames = []string{"James", "Mary", "Wei", "Aiko", "Olga", "Mohammed", "Fatima", "Lucas", "Sofia", "Noah", "Amara",
		"Chen", "Priya", "Ivan", "Zoë", "José", "Ingrid", "Kwame", "Yuki", "Liam", "Ana", "Omar", "Elena", "Raj", "Hana"}
	lastNames = []string{"Smith", "Garcia", "Müller", "Tanaka", "Kowalski", "Okafor", "Nguyen", "Rossi", "Andersson", "Haddad",
		"Patel", "Ivanova", "O'Brien", "Dubois", "Silva", "Kim", "Cohen", "Jensen", "Moreau", "Fischer", "Santos", "Lee"}
	cities = []struct{ city, region, country, zip string }{{"New York", "NY", "US", "10001"}, {"Boston", "MA", "US", "02108"},
		{"Chicago", "IL", "US", "60601"}, {"London", "", "GB", "SW1A 1AA"}, {"Berlin", "", "DE", "10115"},
		{"Toronto", "ON", "CA", "M5H 2N2"}, {"Sydney", "NSW", "AU", "2000"}, {"Paris", "", "FR", "75001"}}
	areaCodes = []string{"212", "646", "718", "917", "415", "312", "617", "305"}
)

// writeCSV writes n realistic contact rows with 15 columns.
func writeCSV(w io.Writer, n int, seed uint64) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	r := rand.New(rand.NewPCG(seed, 1))
	fmt.Fprintln(bw, "First Name,Last Name,Email Address,Phone Number,Mobile Phone,Street Line 1,City,State,Zip Code,Country,Date of Birth,Contact Type,Tags,Job Title,External ID")
	for i := range n {
		f, l := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		c := cities[r.IntN(len(cities))]
		fmt.Fprintf(bw, "%s,%s,%s.%s%d@example.com,+1 %s %d%02d %04d,+1 %s %d%02d %04d,%d Main Street,%s,%s,%s,%s,%d-%02d-%02d,%s,%s,%s,EXT-%d\n",
			f, quoteIf(l), lower(f), lower(l), i, areaCodes[r.IntN(8)], 2+r.IntN(8), r.IntN(100), r.IntN(10000),
			areaCodes[r.IntN(8)], 2+r.IntN(8), r.IntN(100), r.IntN(10000), 1+r.IntN(999), c.city, c.region, c.zip, c.country,
			1940+r.IntN(60), 1+r.IntN(12), 1+r.IntN(28), []string{"Client", "Prospect", "Former client"}[r.IntN(3)],
			[]string{"", "vip", "newsletter", "\"vip, newsletter\""}[r.IntN(4)], []string{"Engineer", "Teacher", "Doctor", "Retired", ""}[r.IntN(5)], i)
	}
	return bw.Flush()
}

func quoteIf(s string) string { return s }

func lower(s string) string {
	b := []rune(s)
	out := make([]rune, 0, len(b))
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if (c >= 'a' && c <= 'z') || c > 127 {
			out = append(out, c)
		}
	}
	return string(out)
}

// benchFile returns the generated CSV of n rows, written once to TMPDIR.
func benchFile(b *testing.B, n int) string {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("folio-import-%d.csv", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	f, err := os.Create(path + ".tmp")
	if err != nil {
		b.Fatal(err)
	}
	if err := writeCSV(f, n, 1); err != nil {
		b.Fatal(err)
	}
	f.Close()
	if err := os.Rename(path+".tmp", path); err != nil {
		b.Fatal(err)
	}
	return path
}

// benchXLSX returns a generated workbook of n rows and 10 columns, written
// once to TMPDIR.
func benchXLSX(b *testing.B, n int) string {
	path := filepath.Join(os.TempDir(), fmt.Sprintf("folio-import-%d.xlsx", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	f, err := os.Create(path + ".tmp")
	if err != nil {
		b.Fatal(err)
	}
	t, err := export.NewXLSX(f, "Contacts")
	if err != nil {
		b.Fatal(err)
	}
	if err := t.Header([]string{"First Name", "Last Name", "Email Address", "Mobile Phone", "Street Line 1", "City", "State",
		"Zip Code", "Country", "Date of Birth"}); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(2, 1))
	for i := range n {
		fn, ln := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
		c := cities[r.IntN(len(cities))]
		if err := t.Row([]string{fn, ln, fmt.Sprintf("%s.%s%d@example.com", lower(fn), lower(ln), i),
			fmt.Sprintf("+1 %s %d%02d %04d", areaCodes[r.IntN(8)], 2+r.IntN(8), r.IntN(100), r.IntN(10000)),
			fmt.Sprintf("%d Main Street", 1+r.IntN(999)), c.city, c.region, c.zip, c.country,
			fmt.Sprintf("%d-%02d-%02d", 1940+r.IntN(60), 1+r.IntN(12), 1+r.IntN(28))}); err != nil {
			b.Fatal(err)
		}
	}
	if err := t.Close(); err != nil {
		b.Fatal(err)
	}
	f.Close()
	if err := os.Rename(path+".tmp", path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkImportCSV imports the generated file (-import.rows, default a
// million rows of 15 columns) into an empty database, end to end: upload,
// parse, validate, normalise, match by email, store, audit.
func BenchmarkImportCSV(b *testing.B) { benchImport(b, benchFile(b, *benchRows), "bench.csv") }

// BenchmarkImportXLSX is BenchmarkImportCSV for a workbook of 10 columns.
func BenchmarkImportXLSX(b *testing.B) { benchImport(b, benchXLSX(b, *benchRows), "bench.xlsx") }

func benchImport(b *testing.B, path, name string) {
	for _, k := range dbtest.Kinds() {
		b.Run(k.Name, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				d := dbtest.Open(b, k.New(b))
				box, _ := secret.New(make([]byte, 32))
				s := importer.New(d, box, contact.New(d, box), slog.New(slog.NewTextHandler(io.Discard, nil)))
				var uid int64
				if err := d.InTx(context.Background(), func(tx *db.Tx) error {
					return tx.QueryRowContext(context.Background(), `INSERT INTO users (email, name, role, password_hash, created_at, updated_at)
						VALUES ('o@example.com', 'Owner', 'owner', 'x', ?, ?) RETURNING id`, db.Now(), db.Now()).Scan(&uid)
				}); err != nil {
					b.Fatal(err)
				}
				v := contact.Viewer{UserID: uid, Admin: true}
				s.ViewerOf = func(context.Context, int64) (contact.Viewer, error) { return v, nil }
				f, _ := os.Open(path)
				b.StartTimer()
				start := time.Now()
				im, err := s.Upload(context.Background(), v, name, f, tabular.Options{})
				if err != nil {
					b.Fatal(err)
				}
				f.Close()
				up := time.Since(start)
				if _, err := s.Start(context.Background(), v, im.ID, importer.Settings{Mapping: im.Mapping, Key: contact.MatchEmail}); err != nil {
					b.Fatal(err)
				}
				im, err = s.RunNow(context.Background(), im.ID, nil)
				if err != nil || im.Created != int64(*benchRows) {
					b.Fatalf("%v %+v %s", err, countsOf(im), im.Error)
				}
				b.ReportMetric(up.Seconds(), "upload-s")
				b.ReportMetric(time.Since(start).Seconds(), "total-s")
			}
		})
	}
}
