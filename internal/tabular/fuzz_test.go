package tabular

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"
)

// The fuzz tests check that no input makes Open or Next panic or loop,
// and that what they return keeps its promises. Under "go test" they run
// their seeds; "go test -fuzz FuzzOpenCSV ./internal/tabular" explores.

// fuzzRead opens data as a file and reads all of it, checking the
// invariants of a Source.
func fuzzRead(t *testing.T, data []byte, name string, opts Options) {
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	src, err := Open(path, name, opts)
	if err != nil {
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("Open: %v is not an *Error", err)
		}
		if e.Msg == "" || !strings.HasSuffix(e.Msg, ".") {
			t.Fatalf("Open: message %q is not a sentence", e.Msg)
		}
		return
	}
	defer src.Close()
	header := src.Header()
	for _, h := range header {
		if !utf8.ValidString(h) {
			t.Fatalf("header %q is not valid UTF-8", h)
		}
	}
	last := 0
	for n := 0; ; n++ {
		if n > len(data)+2 {
			t.Fatalf("more records (%d) than bytes in the file", n)
		}
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Next: %v is not an *Error", err)
			}
			break
		}
		if src.Meta().Format == FormatCSV && rec.Line <= last {
			t.Fatalf("record on line %d after one on line %d", rec.Line, last)
		}
		last = rec.Line
		if rec.Err == nil && len(rec.Fields) != len(header) {
			t.Fatalf("line %d: accepted with %d values for %d columns", rec.Line, len(rec.Fields), len(header))
		}
		if rec.Err != nil {
			var e *Error
			if !errors.As(rec.Err, &e) || e.Msg == "" {
				t.Fatalf("line %d: row error %v is not an *Error", rec.Line, rec.Err)
			}
		}
		for _, f := range rec.Fields {
			if !utf8.ValidString(f) {
				t.Fatalf("line %d: value %q is not valid UTF-8", rec.Line, f)
			}
		}
	}
	if done, total := src.Progress(); done < 0 || done > total {
		t.Fatalf("progress %d/%d", done, total)
	}
}

func FuzzOpenCSV(f *testing.F) {
	for _, name := range []string{"comma.csv", "semicolon.csv", "tab.tsv", "pipe.csv", "utf8-bom.csv", "utf16le-bom.csv",
		"utf16be-bom.csv", "windows1252.csv", "multiline-quoted.csv", "broken-quotes.csv", "ragged.csv", "sep-directive.csv", "invalid-utf8.csv"} {
		data, err := os.ReadFile(testdata(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, false)
		f.Add(data, true)
	}
	for _, s := range []string{
		"a,b\n\"", "a,b\n\"\"\"", "a\n\"x\"y\n", "a,b\r\r\n\r", " \"a\" , \"b\"\n1,2", "sep=\n", "sep=,", "a\x00b",
		"\"a\nb\n", "a,b\n1,\"2\n3\n4,\"5\"\n", "\xFF\xFEa\x00,\x00b\x00\n\x00", "\xFE\xFF\x00a", "a;b|c\td\n",
		strings.Repeat("\"", 100), strings.Repeat(",", 100) + "\nx",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, small bool) {
		opts := Options{Format: "csv"}
		if small {
			opts.MaxCell, opts.MaxColumns = 8, 4
		}
		fuzzRead(t, data, "f.csv", opts)
	})
}

func FuzzOpenXLSX(f *testing.F) {
	for _, name := range []string{"contacts.xlsx", "excelize.xlsx", "entity-bomb.xlsx", "contacts.xlsm", "archive.csv"} {
		data, err := os.ReadFile(testdata(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, "f.xlsx", Options{})
	})
}

// FuzzXLSXSheet wraps fuzzed worksheet rows and shared strings in a valid
// workbook, to reach the XML scanner and the cell conversions.
func FuzzXLSXSheet(f *testing.F) {
	b := contactsBook()
	f.Add(b.sheets[1].rows, b.sharedXML)
	f.Add(`<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row><c t="s"><v>1</v></c><c s="2"><v>4e5</v></c></row>`, `<sst><si><t>x</t></si><si><r><t>y</t></r><rPh><t>z</t></rPh></si></sst>`)
	f.Add(`<row r="1"><c r="XFD1"><v>1</v></c><c r="A1"><v>2</v></c></row><row r="0"><c r="A0" t="d"><v>2001-02-30</v></c></row>`, `<sst><si/></sst>`)
	f.Add(`<row r="1"><c r="A1" t="b"><v>1</v></c><c r="B1" t="e"><v>#N/A</v></c></row><row><c r="B2" s="1"><v>60.5</v></c><c><![CDATA[x]]></c></row>`, `<!DOCTYPE x>`)
	f.Fuzz(func(t *testing.T, rows, shared string) {
		book := book{
			sheets:    []bookSheet{{name: "S", rows: rows}},
			sharedXML: shared,
			styles:    b.styles,
		}
		if shared == "" {
			book.sharedXML = "<sst/>"
		}
		fuzzRead(t, zipBytes(t, book.parts()), "f.xlsx", Options{MaxCell: 16, MaxColumns: 8})
	})
}

func FuzzOpenVCard(f *testing.F) {
	for _, name := range []string{"many-cards.vcf", "broken.vcf"} {
		data, err := os.ReadFile(testdata(name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"BEGIN:VCARD\nN:;;;;\nORG:;\nEND:VCARD", "BEGIN:VCARD\nFN;ENCODING=QUOTED-PRINTABLE:=\n=\nEND:VCARD\n",
		"BEGIN:VCARD\nPHOTO:\n \n\nAAAA\nEND:VCARD", "BEGIN:VCARD\nTEL;TYPE=\"a:b\";:x\nX;=;:\nEND:VCARD", "begin:vcard\r\n", "BEGIN:VCARD\nBDAY:0000-00-00\nEND:VCARD",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, data, "f.vcf", Options{Format: "vcard", MaxCell: 16})
	})
}
