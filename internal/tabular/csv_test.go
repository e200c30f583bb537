package tabular

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

// wantRec is an expected record: its line, values, and a distinctive part
// of its error message ("" for an accepted row).
type wantRec struct {
	line   int
	fields []string
	err    string
}

// checkRecords compares records with what is expected.
func checkRecords(t *testing.T, got []Record, want []wantRec) {
	t.Helper()
	if len(got) != len(want) {
		for _, r := range got {
			t.Logf("line %d: %q %v", r.Line, r.Fields, r.Err)
		}
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i, w := range want {
		r := got[i]
		if r.Line != w.line {
			t.Errorf("record %d: line %d, want %d", i+1, r.Line, w.line)
		}
		if w.err == "" {
			if r.Err != nil {
				t.Errorf("line %d: unexpected error %v", r.Line, r.Err)
			}
		} else {
			rowError(t, r, w.err)
		}
		if w.fields != nil {
			equalStrings(t, fmt.Sprintf("line %d", r.Line), r.Fields, w.fields)
		}
	}
}

func TestCSVFixtures(t *testing.T) {
	tests := []struct {
		file   string
		opts   Options
		delim  rune
		enc    string
		header []string
		recs   []wantRec
	}{
		{
			file: "comma.csv", delim: ',', enc: "utf-8",
			header: []string{"Name", "Email", "Phone", "City"},
			recs: []wantRec{
				{line: 2, fields: []string{"Ada Lovelace", "ada@example.com", "+44 20 7946 0001", "London"}},
				{line: 3, fields: []string{"Hopper, Grace", "grace@example.com", "+1 (202) 555-0111", "Arlington, VA"}},
				{line: 5, fields: []string{"Alan Turing", "alan@example.com", "", "Wilmslow"}},
			},
		},
		{
			file: "semicolon.csv", delim: ';', enc: "utf-8",
			header: []string{"Name", "Amount", "Note"},
			recs: []wantRec{
				{line: 2, fields: []string{"Müller", "1,50", "semi;colon"}},
				{line: 3, fields: []string{"Dupont", "2,75", "ok"}},
			},
		},
		{
			file: "tab.tsv", delim: '\t', enc: "utf-8",
			header: []string{"Name", "Email", "Note"},
			recs: []wantRec{
				{line: 2, fields: []string{"Ada", "ada@example.com", "comma, inside"}},
				{line: 3, fields: []string{"Grace", "grace@example.com", "quoted\ttab"}},
			},
		},
		{
			file: "pipe.csv", delim: '|', enc: "utf-8",
			header: []string{"Name", "Email", "Company"},
			recs: []wantRec{
				{line: 2, fields: []string{"Ada", "ada@example.com", "Analytical, Ltd"}},
				{line: 3, fields: []string{"Grace", "grace@example.com", "Navy"}},
			},
		},
		{
			file: "utf8-bom.csv", delim: ',', enc: "utf-8-bom",
			header: []string{"Name", "City"},
			recs:   []wantRec{{line: 2, fields: []string{"Zoë", "Zürich"}}},
		},
		{
			file: "utf16le-bom.csv", delim: ',', enc: "utf-16le",
			header: []string{"Name", "City"},
			recs: []wantRec{
				{line: 2, fields: []string{"Zoë", "Zürich"}},
				{line: 3, fields: []string{"José", "São Paulo"}},
			},
		},
		{
			file: "utf16be-bom.csv", delim: ',', enc: "utf-16be",
			header: []string{"Name", "City"},
			recs: []wantRec{
				{line: 2, fields: []string{"Zoë", "Zürich"}},
				{line: 3, fields: []string{"José", "São Paulo"}},
			},
		},
		{
			file: "windows1252.csv", delim: ',', enc: "windows-1252",
			header: []string{"Name", "City", "Note"},
			recs: []wantRec{
				{line: 2, fields: []string{"René", "Köln", "“quoted” €5"}},
				{line: 3, fields: []string{"Jürgen", "Düsseldorf", "it’s ü"}},
			},
		},
		{
			file: "multiline-quoted.csv", delim: ',', enc: "utf-8",
			header: []string{"Name", "Address", "Note"},
			recs: []wantRec{
				{line: 2, fields: []string{"Ada", "1 Main St\nFloor 2", `She said "hi"`}},
				{line: 4, fields: []string{"Grace", "Line one\nLine two\nLine three", "plain"}},
				{line: 7, fields: []string{"Alan", "x", "y"}},
			},
		},
		{
			file: "broken-quotes.csv", delim: ',', enc: "utf-8",
			header: []string{"Name", "Email", "Note"},
			recs: []wantRec{
				{line: 2, fields: []string{"Ada", "ada@example.com", "fine"}},
				{line: 3, fields: []string{"Bob", "bob@example.com", `5'9" tall`},
					err: `line 3: column 3 (Note) contains a quote character but is not enclosed in quotes`},
				{line: 4, fields: []string{"Carol Smith", "carol@example.com", "x"},
					err: `line 4: the quoted value in column 1 (Name) is followed by other text after its closing quote`},
				{line: 5, fields: []string{"Dave", "dave@example.com", "ok"}},
				{line: 6, fields: []string{"Eve", `"eve@example.com`, "unclosed"},
					err: "line 6: the quoted value in column 2 (Email) is never closed; only this line was rejected"},
				{line: 7, fields: []string{"Frank", "frank@example.com", "ok"}},
				{line: 8, fields: []string{"Gina", "gina@example.com", "last"}},
			},
		},
		{
			file: "ragged.csv", delim: ',', enc: "utf-8",
			header: []string{"Name", "Email", "Phone"},
			recs: []wantRec{
				{line: 2, fields: []string{"Ada", "ada@example.com", "123"}},
				{line: 3, fields: []string{"Bob", "bob@example.com", "456", "extra", "more"},
					err: "line 3 has 5 values but the header has 3 columns"},
				{line: 4, fields: []string{"Carol", "carol@example.com"},
					err: "line 4 has 2 values but the header has 3 columns; a comma may be missing, or a value with a line break may not be enclosed in quotes"},
				{line: 5, fields: []string{"Dave", "dave@example.com", "789"}},
				{line: 6, fields: []string{"Eve", "eve@example.com", "000"}},
			},
		},
		{
			file: "header-only.csv", delim: ',', enc: "utf-8",
			header: []string{"Name", "Email"},
		},
		{
			file: "sep-directive.csv", delim: ';', enc: "utf-8",
			header: []string{"Name", "Note"},
			recs:   []wantRec{{line: 3, fields: []string{"Ada", "a,b"}}},
		},
		{
			file: "invalid-utf8.csv", delim: ',', enc: "windows-1252",
			header: []string{"Name", "City"},
			recs: []wantRec{
				{line: 2, fields: []string{"René", "Köln"}},
				{line: 3, fields: []string{"Ada", "London"}},
			},
		},
		{
			file: "invalid-utf8.csv", opts: Options{Encoding: "UTF-8"}, delim: ',', enc: "utf-8",
			header: []string{"Name", "City"},
			recs: []wantRec{
				{line: 2, fields: []string{"Ren\uFFFD", "K\uFFFDln"},
					err: "line 2 is not valid UTF-8 text; choose the Windows-1252 encoding if the file came from older Excel"},
				{line: 3, fields: []string{"Ada", "London"}},
			},
		},
		{
			file: "windows1252.csv", opts: Options{Encoding: "latin1", Delimiter: ','}, delim: ',', enc: "windows-1252",
			header: []string{"Name", "City", "Note"},
			recs: []wantRec{
				{line: 2, fields: []string{"René", "Köln", "“quoted” €5"}},
				{line: 3, fields: []string{"Jürgen", "Düsseldorf", "it’s ü"}},
			},
		},
		{
			// A forced delimiter wins over detection.
			file: "pipe.csv", opts: Options{Delimiter: ','}, delim: ',', enc: "utf-8",
			header: []string{"Name|Email|Company"},
			recs: []wantRec{
				{line: 2, err: "line 2 has 2 values but the header has 1 column;"},
				{line: 3, fields: []string{"Grace|grace@example.com|Navy"}},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			src, recs := mustReadAll(t, testdata(tt.file), tt.file, tt.opts)
			m := src.Meta()
			if m.Format != FormatCSV || m.Delimiter != tt.delim || m.Encoding != tt.enc {
				t.Errorf("meta %+v, want csv, delimiter %q, encoding %s", m, tt.delim, tt.enc)
			}
			equalStrings(t, "header", src.Header(), tt.header)
			checkRecords(t, recs, tt.recs)
			if done, total := src.Progress(); done != total || total == 0 {
				t.Errorf("progress %d/%d after the last record", done, total)
			}
		})
	}
}

func TestCSVFileErrors(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		opts Options
		want string
	}{
		{"empty.csv", nil, Options{}, "The file is empty."},
		{"spaces.csv", []byte("\xEF\xBB\xBF \r\n\t\n\n"), Options{}, "The file is empty."},
		{"delims.csv", []byte(",,,\n, ,\n"), Options{}, "The file is empty."},
		{"utf16-empty.csv", []byte("\xFF\xFE"), Options{}, "The file is empty."},
		{"nul.csv", []byte("Name,Email\nA\x00da,ada@example.com\n"), Options{}, "This file contains NUL bytes, so it is not a text (CSV) file"},
		{"utf16-nobom.csv", []byte("N\x00a\x00m\x00e\x00,\x00C\x00i\x00t\x00y\x00\n\x00"), Options{}, "it looks like UTF-16 text without a byte-order mark, so choose the UTF-16 encoding"},
		{"wide.csv", []byte(strings.Repeat("col,", 1999) + "col\n1,2\n"), Options{}, "The file has 2,000 columns; Folio reads at most 1,000."},
		{"wide5.csv", []byte("a,b,c,d,e,f\n"), Options{MaxColumns: 5}, "The file has 6 columns; Folio reads at most 5."},
		{"header-quote.csv", []byte("Name,\"Email\nada,ada@example.com\n"), Options{}, "The header row on line 1 is broken: the quoted value in column 2 is never closed."},
		{"header-bare.csv", []byte("Name,Height 5'9\"\n"), Options{}, "The header row on line 1 is broken: column 2 contains a quote character"},
		{"header-long.csv", []byte("Name," + strings.Repeat("x", 40) + "\nA,b\n"), Options{MaxCell: 30}, "The header's column 2 holds 40 characters; a cell may hold at most 30."},
		{"bad-format.csv", []byte("a\n"), Options{Format: "pdf"}, `Folio cannot read the "pdf" format`},
		{"bad-encoding.csv", []byte("a\n"), Options{Encoding: "ebcdic"}, `Folio cannot read the "ebcdic" encoding`},
		{"bad-delim.csv", []byte("a\n"), Options{Delimiter: '"'}, "cannot separate values"},
		{"forced.xlsx", []byte("Name,Email\n"), Options{Format: "xlsx"}, "This file is not an Excel workbook (.xlsx): it is a text file."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readAll(t, writeFile(t, tt.name, tt.data), tt.name, tt.opts)
			userError(t, err, tt.want)
		})
	}
}

func TestCSVRowErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		opts Options
		recs []wantRec
	}{
		{
			name: "long cell",
			data: "Name,Notes\nAda," + strings.Repeat("x", 1<<20) + "\nGrace,ok\n",
			recs: []wantRec{
				{line: 2, err: "line 2: column 2 (Notes) holds 1,048,576 characters; a cell may hold at most 32,767"},
				{line: 3, fields: []string{"Grace", "ok"}},
			},
		},
		{
			name: "long quoted multi-byte cell",
			data: "Name,Notes\nAda,\"" + strings.Repeat("é", 40) + "\"\nGrace,ok\n",
			opts: Options{MaxCell: 39},
			recs: []wantRec{
				{line: 2, err: "line 2: column 2 (Notes) holds 40 characters; a cell may hold at most 39"},
				{line: 3, fields: []string{"Grace", "ok"}},
			},
		},
		{
			name: "quote swallowing lines",
			data: "Name,Notes\nAda,\"oops\nGrace,fine\nAlan,\"quoted\"\nEve,ok\n",
			recs: []wantRec{
				{line: 2, fields: []string{"Ada", `"oops`}, err: "line 2: the quoted value in column 2 (Notes) is followed by other text after its closing quote on line 4"},
				{line: 3, fields: []string{"Grace", "fine"}},
				{line: 4, fields: []string{"Alan", "quoted"}},
				{line: 5, fields: []string{"Eve", "ok"}},
			},
		},
		{
			name: "NUL after the first 64 KB",
			data: "Name,Notes\n" + strings.Repeat("a,b\n", 20000) + "A\x00,b\nc,d\n",
			recs: nil, // checked below
		},
		{
			name: "stray quote after a multi-line value",
			data: "Name,Address,Notes\nAda,\"1 Main St\nFloor 2\",\"oops\nGrace,x,y\n",
			recs: []wantRec{
				{line: 2, fields: []string{"Ada", `"1 Main St`}, err: "line 2: the quoted value in column 3 (Notes), which opens on line 3, is never closed; only this line was rejected"},
				{line: 3, err: "line 3: column 1 (Name) contains a quote character"},
				{line: 4, fields: []string{"Grace", "x", "y"}},
			},
		},
		{
			name: "trailing empty values and spaces around quotes",
			data: "Name,Email,,\nAda, \"ada@example.com\" ,,\n\"Grace\"  ,g@example.com\n",
			recs: []wantRec{
				{line: 2, fields: []string{"Ada", "ada@example.com"}},
				{line: 3, fields: []string{"Grace", "g@example.com"}},
			},
		},
		{
			name: "duplicate and blank header names",
			data: " Name ,,Name\n1,2,3\n",
			recs: []wantRec{{line: 2, fields: []string{"1", "2", "3"}}},
		},
		{
			name: "CR line breaks",
			data: "Name,Note\rAda,\"two\rlines\"\rGrace,x\r",
			recs: []wantRec{
				{line: 2, fields: []string{"Ada", "two\nlines"}},
				{line: 4, fields: []string{"Grace", "x"}},
			},
		},
		{
			name: "no final line break",
			data: "Name,Note\nAda,x",
			recs: []wantRec{{line: 2, fields: []string{"Ada", "x"}}},
		},
		{
			name: "quoted value ends the file",
			data: "Name,Note\nAda,\"x\"",
			recs: []wantRec{{line: 2, fields: []string{"Ada", "x"}}},
		},
		{
			name: "empty quoted values count as blank",
			data: "Name,Note\n\"\",\"\"\nAda,\"\"\n",
			recs: []wantRec{{line: 3, fields: []string{"Ada", ""}}},
		},
		{
			name: "too many values with a tab delimiter",
			data: "Name\tNote\nAda\tx\ty\n",
			recs: []wantRec{{line: 2, err: "line 2 has 3 values but the header has 2 columns; a value that contains a tab must be enclosed in quotes"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, recs := mustReadAll(t, writeFile(t, "t.csv", []byte(tt.data)), "t.csv", tt.opts)
			if tt.recs == nil {
				bad := 0
				for _, r := range recs {
					if r.Err != nil {
						bad++
						rowError(t, r, "line 20,002 contains a NUL byte (character code 0), which text does not hold; the file may be damaged")
					}
				}
				if bad != 1 || len(recs) != 20002 {
					t.Fatalf("got %d records, %d rejected; want 20,002 and 1", len(recs), bad)
				}
				return
			}
			checkRecords(t, recs, tt.recs)
		})
	}
}

// TestCSVEncodingChoice checks the chosen encodings, and that a
// byte-order mark wins over the choice.
func TestCSVEncodingChoice(t *testing.T) {
	le, _ := unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewEncoder().String("Name,City\nZoë,Zürich\n")
	be, _ := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().String("Name,City\nZoë,Zürich\n")
	tests := []struct {
		name, data, choice, enc string
	}{
		{"le.csv", le, "utf-16", "utf-16le"},
		{"be.csv", be, "UTF16", "utf-16be"},
		{"bom.csv", "\xEF\xBB\xBFName,City\nZoë,Zürich\n", "windows-1252", "utf-8-bom"},
		{"bom16.csv", "\xFF\xFE" + le, "utf-8", "utf-16le"},
	}
	for _, tt := range tests {
		src, recs := mustReadAll(t, writeFile(t, tt.name, []byte(tt.data)), tt.name, Options{Encoding: tt.choice})
		if got := src.Meta().Encoding; got != tt.enc {
			t.Errorf("%s: encoding %s, want %s", tt.name, got, tt.enc)
		}
		equalStrings(t, tt.name, src.Header(), []string{"Name", "City"})
		checkRecords(t, recs, []wantRec{{line: 2, fields: []string{"Zoë", "Zürich"}}})
	}
}

// TestCSVHeaderNames checks that header names are trimmed but otherwise
// returned as they are.
func TestCSVHeaderNames(t *testing.T) {
	src, _ := mustReadAll(t, writeFile(t, "h.csv", []byte("\n\n Name ,,Name, \uFEFFTag,,\n1,2,3,4\n")), "h.csv", Options{})
	equalStrings(t, "header", src.Header(), []string{"Name", "", "Name", "Tag"})
}

// TestCSVInvalidUTF8Later checks a file detected as UTF-8 from its first
// 64 KB that later holds Windows-1252 text.
func TestCSVInvalidUTF8Later(t *testing.T) {
	data := "Name,City\n" + strings.Repeat("Zoë,Zürich\n", 8000) + "Ren\xe9,K\xf6ln\nAda,London\n"
	src, recs := mustReadAll(t, writeFile(t, "late.csv", []byte(data)), "late.csv", Options{})
	if enc := src.Meta().Encoding; enc != "utf-8" {
		t.Fatalf("encoding %s, want utf-8", enc)
	}
	if len(recs) != 8002 {
		t.Fatalf("got %d records, want 8,002", len(recs))
	}
	rowError(t, recs[8000], "line 8,002 is not valid UTF-8 text; choose the Windows-1252 encoding if the file came from older Excel")
	equalStrings(t, "rejected", recs[8000].Fields, []string{"Ren\uFFFD", "K\uFFFDln"})
	checkRecords(t, recs[8001:], []wantRec{{line: 8003, fields: []string{"Ada", "London"}}})
}

// TestCSVLongMultiLineValue checks that a quoted value that spans lines
// and is too long is reported as a probably missing closing quote, and
// that reading goes on with the line after it.
func TestCSVLongMultiLineValue(t *testing.T) {
	data := "Name,Notes\nAda,\"oops\n" + strings.Repeat("filler line\n", 10) + "Grace\",x\nAlan,y\n"
	_, recs := mustReadAll(t, writeFile(t, "long.csv", []byte(data)), "long.csv", Options{MaxCell: 50})
	if len(recs) != 13 {
		t.Fatalf("got %d records, want 13", len(recs))
	}
	rowError(t, recs[0], "line 2: the quoted value in column 2 (Notes) runs to line 13 and holds 130 characters, more than the 50 a cell may hold; its closing quote is probably missing")
	rowError(t, recs[1], "line 3 has 1 value but")
	rowError(t, recs[11], "line 13: column 1 (Name) contains a quote character")
	checkRecords(t, recs[12:], []wantRec{{line: 14, fields: []string{"Alan", "y"}}})
}

// TestCSVUnclosedQuoteSwallowsFile checks the message when a stray quote
// swallows more of the file than can be gone back over.
func TestCSVUnclosedQuoteSwallowsFile(t *testing.T) {
	var b strings.Builder
	b.WriteString("Name,Notes\nAda,ok\nBob,\"stray\n")
	line := "Grace,no quotes on this line at all, just filler text\n"
	lim := defaultLimits()
	lim.rewind = 256 << 10
	for b.Len() < lim.rewind+100<<10 {
		b.WriteString(line)
	}
	src, err := open(writeFile(t, "swallow.csv", []byte(b.String())), "swallow.csv", Options{}, lim)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var recs []Record
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, rec)
	}
	if len(recs) != 2 {
		t.Fatalf("got %d records, want 2", len(recs))
	}
	checkRecords(t, recs[:1], []wantRec{{line: 2, fields: []string{"Ada", "ok"}}})
	lines := strings.Count(b.String(), "\n") - 2 // lines 3 to the end
	rowError(t, recs[1], "line 3: the quoted value in column 2 (Notes) is never closed, so everything after it ("+formatInt(lines)+" lines) was read as one value and the rest of the file could not be imported")
	if recs[1].Line != 3 {
		t.Fatalf("line %d, want 3", recs[1].Line)
	}
	// The value read is cut at four times the cell limit, not the whole
	// rest of the file.
	if n := len(recs[1].Fields[1]); n > 4*DefaultMaxCell+4 {
		t.Fatalf("kept %d bytes of the swallowing value", n)
	}
}

// TestCSVRecordsStay checks that records handed out are not overwritten
// by later reads.
func TestCSVRecordsStay(t *testing.T) {
	var b strings.Builder
	b.WriteString("A,B\n")
	for i := range 50000 {
		fmt.Fprintf(&b, "a%d,\"b%d\"\n", i, i)
	}
	src, err := Open(writeFile(t, "stay.csv", []byte(b.String())), "stay.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	var kept []Record
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, rec)
	}
	for i, r := range kept {
		if want := []string{fmt.Sprint("a", i), fmt.Sprint("b", i)}; r.Fields[0] != want[0] || r.Fields[1] != want[1] {
			t.Fatalf("record %d holds %q, want %q", i, r.Fields, want)
		}
	}
}

// TestCSVAgainstEncodingCSV compares the parser with encoding/csv on
// random valid files that cross many buffer boundaries.
func TestCSVAgainstEncodingCSV(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "bc", "Zoë", " ", "\"", "\n", "\r\n", ",", ";", "x y", "€", strings.Repeat("long", 50)}
	const cols = 5
	for round := range 4 {
		var b bytes.Buffer
		var want [][]string
		for r := range 3000 {
			row := make([]string, cols)
			for c := range row {
				var v strings.Builder
				v.WriteString("v") // never blank, so no row is skipped
				for range rng.IntN(4) {
					v.WriteString(pieces[rng.IntN(len(pieces))])
				}
				row[c] = v.String()
			}
			if r == 0 {
				for c := range row {
					row[c] = fmt.Sprint("col", c)
				}
			}
			want = append(want, row)
		}
		w := csv.NewWriter(&b)
		w.UseCRLF = round%2 == 1
		if err := w.WriteAll(want); err != nil {
			t.Fatal(err)
		}
		data := b.Bytes()
		// encoding/csv reads \r\n inside quotes as \n; so do we.
		ref, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		src, recs := mustReadAll(t, writeFile(t, "rand.csv", data), "rand.csv", Options{Delimiter: ','})
		equalStrings(t, "header", src.Header(), ref[0])
		if len(recs) != len(ref)-1 {
			t.Fatalf("round %d: got %d records, want %d", round, len(recs), len(ref)-1)
		}
		for i, r := range recs {
			if r.Err != nil {
				t.Fatalf("round %d, line %d: %v", round, r.Line, r.Err)
			}
			equalStrings(t, fmt.Sprintf("round %d, record %d", round, i+1), r.Fields, ref[i+1])
		}
	}
}

// TestCSVParserOneByte feeds the parser one byte at a time, so every
// construct is split across reads, and compares with a normal read.
func TestCSVParserOneByte(t *testing.T) {
	data := "Name,Note\r\n\"a \"\"b\"\"\",\"x\r\ny\"\r\n  \"sp\"  ,\"q\"\"\"\r\nbad\"q,z\n\"open,\"x\"\"\"y\nlast,\"\"\r"
	parse := func(r io.Reader) []string {
		p := newCSVParser(r, ',', 100, 10, 1<<20)
		var out []string
		for p.next() {
			out = append(out, fmt.Sprintf("%d %q %d", p.startLine, p.fields(), p.prob.kind))
		}
		return out
	}
	want := parse(strings.NewReader(data))
	got := parse(iotestOneByte(strings.NewReader(data)))
	equalStrings(t, "records", got, want)
	equalStrings(t, "records", want, []string{
		`1 ["Name" "Note"] 0`,
		`2 ["a \"b\"" "x\ny"] 0`,
		`4 ["sp" "q\""] 0`,
		`5 ["bad\"q" "z"] 1`,
		`6 ["open,x\"\"\"y"] 2`,
		`7 ["last" ""] 0`,
	})
}

func TestDetectDelimiter(t *testing.T) {
	tests := []struct {
		text string
		want byte
	}{
		{"a,b,c\n1,2,3\n", ','},
		{"a;b;c\n1,5;2,5;3\n", ';'},
		{"a\tb\tc\n\"x,y\"\t2\t3\n", '\t'},
		{"a|b\n1|2\n", '|'},
		{"name\nAda\n", ','},
		{"", ','},
		// Commas inside quotes do not count.
		{"a;b\n\"1,2,3\";4\n\"5,6\";7\n", ';'},
		// A consistent delimiter beats a more frequent but ragged one.
		{"a;b;c\n1,2,3,4;x;y\n5;6;7\n8,9;1;2\n", ';'},
		// With equal consistency, more columns win.
		{"Smith, John\tx\ty\nDoe, Jane\tz\tw\n", '\t'},
		// Blank lines and lines of delimiters only are ignored.
		{"\n\na,b\n,,\n1,2\n", ','},
	}
	for _, tt := range tests {
		if got := detectDelimiter([]byte(tt.text), true); got != tt.want {
			t.Errorf("detectDelimiter(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestCSVNextAfterClose(t *testing.T) {
	src, err := Open(testdata("comma.csv"), "comma.csv", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := src.Close(); err != nil {
		t.Fatal(err)
	}
	if err := src.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := src.Next(); err == nil || errors.Is(err, io.EOF) {
		t.Fatalf("Next after Close: %v, want an error", err)
	}
}
