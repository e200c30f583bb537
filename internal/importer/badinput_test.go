package importer_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
	"github.com/foliocrm/folio/internal/tabular"
)

func fixtureFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "tabular", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// zipBomb is a real workbook whose first sheet unpacks to 300 MB.
func zipBomb(t *testing.T) string {
	src, err := zip.OpenReader(filepath.Join("..", "tabular", "testdata", "contacts.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, f := range src.File {
		w, _ := z.Create(f.Name)
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			pad := bytes.Repeat([]byte(" "), 1<<20)
			for range 100 {
				w.Write(pad)
			}
			continue
		}
		r, _ := f.Open()
		io.Copy(w, r)
		r.Close()
	}
	z.Close()
	return b.String()
}

// zeros is an endless upload.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

func TestBadInputIsRefusedClearly(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.importFile(f.admin, "kept.csv", "first_name,last_name,email\nKept,Contact,kept@example.com\n", contact.MatchEmail, false)
		before := f.count("SELECT COUNT(*) FROM contacts")
		// Files refused as a whole: nothing is stored, not even the import.
		wide := strings.Repeat("col,", 1999) + "col\n" + strings.Repeat("x,", 1999) + "x\n"
		for _, tc := range []struct {
			name, file, content, want string
		}{
			{"empty file", "empty.csv", "", "empty"},
			{"header only", "header.csv", fixtureFile(t, "header-only.csv"), "no rows"},
			{"2,000 columns", "wide.csv", wide, "2,000 columns"},
			{"NUL bytes", "nul.csv", fixtureFile(t, "nul.csv"), "NUL"},
			{"image renamed .csv", "photo.csv", fixtureFile(t, "image-renamed.csv"), "PNG image"},
			{"zip bomb named .xlsx", "bomb.xlsx", zipBomb(t), "zip bomb"},
			{"XML entity bomb named .xlsx", "entities.xlsx", fixtureFile(t, "entity-bomb.xlsx"), "document type declaration"},
			{"macro-enabled .xlsm", "macros.xlsm", fixtureFile(t, "contacts.xlsm"), "Macro-enabled"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.s.Upload(ctxAs(f.admin), f.admin, tc.file, strings.NewReader(tc.content), tabular.Options{})
				if !errs.Is(err, errs.Invalid) || !strings.Contains(errs.MessageOf(err), tc.want) {
					t.Fatalf("got %v, want an Invalid error mentioning %q", err, tc.want)
				}
			})
		}
		t.Run("600 MB upload over the limit", func(t *testing.T) {
			f.s.MaxUpload = 1 << 20
			defer func() { f.s.MaxUpload = 512 << 20 }()
			_, err := f.s.Upload(ctxAs(f.admin), f.admin, "huge.csv", io.LimitReader(zeros{}, 600<<20), tabular.Options{})
			if !errs.Is(err, errs.Invalid) || !strings.Contains(errs.MessageOf(err), "larger than the 1 MB") {
				t.Fatalf("got %v", err)
			}
		})
		if n := f.count("SELECT COUNT(*) FROM imports"); n != 1 {
			t.Errorf("%d imports stored; refused files must leave none", n)
		}
		// Files whose bad rows are rejected, each with its line and reason,
		// while the good rows import.
		bigCell := "first_name,last_name,email\nBig,Cell," + strings.Repeat("a", 1<<20) + "\nGood,Row,good@example.com\n"
		formulas := "first_name,last_name,email,phone,occupation,tags\n=1+1,+2,@x@example.com,-3,=cmd|' /C calc'!A0,@tag\n" +
			"=A1,Fine,fine@example.com,+1 212 555 0100,@work,-x\n"
		for _, tc := range []struct {
			name, file, content string
			want                []string // reasons, in line order
		}{
			{"broken quotes", "quotes.csv", "first_name,last_name,email\nAda,\"Love\"lace,ada@example.com\nGood,Row,good@example.com\nBad,\"Unclosed,x@example.com\n",
				[]string{"quote", "quote"}},
			{"ragged rows", "ragged.csv", "first_name,last_name,email\nAda,Lovelace\nGood,Row,good@example.com\nToo,Many,m@example.com,extra\n",
				[]string{"header has 3", "header has 3"}},
			{"a 1 MB cell", "bigcell.csv", bigCell, []string{"1,048,576 characters"}},
			{"invalid UTF-8 after the first 64 KB", "mixed.csv", "first_name,last_name,email\n" + manyRows(3000) + "Bad,\xff\xfe,bad@example.com\n", []string{"UTF-8"}},
			{"formula prefixes in every column", "formulas.csv", formulas, []string{"email"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				im, err := f.s.Upload(ctxAs(f.admin), f.admin, tc.file, strings.NewReader(tc.content), tabular.Options{})
				if err != nil {
					t.Fatalf("upload: %v", err)
				}
				im = f.run(f.admin, im, im.Mapping, contact.MatchEmail, false)
				rows := f.errorsCSV(f.admin, im.ID)
				if len(rows)-1 != len(tc.want) {
					t.Fatalf("%d rejected rows, want %d: %.2000v", len(rows)-1, len(tc.want), rows)
				}
				for i, w := range tc.want {
					reason := rows[i+1][len(rows[i+1])-1]
					if !strings.Contains(reason, w) {
						t.Errorf("rejected row %d: reason %q does not mention %q", i+1, reason, w)
					}
				}
				if im.Created+im.Unchanged == 0 {
					t.Errorf("no good row imported: %+v", countsOf(im))
				}
			})
		}
		if n := f.count("SELECT COUNT(*) FROM contacts WHERE primary_email = 'kept@example.com'"); n != 1 || f.count("SELECT COUNT(*) FROM contacts") < before {
			t.Error("a bad file lost a contact stored before it")
		}
	})
}

func manyRows(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "Good,Row%d,good%d@example.com\n", i, i)
	}
	return b.String()
}
