package export

import (
	"bytes"
	"encoding/csv"
	"errors"
	"slices"
	"strings"
	"testing"
)

func writeCSV(t *testing.T, opts CSVOptions, header []string, rows [][]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tbl := NewCSV(&buf, opts)
	if err := tbl.Header(header); err != nil {
		t.Fatalf("Header: %v", err)
	}
	for _, r := range rows {
		if err := tbl.Row(r); err != nil {
			t.Fatalf("Row(%q): %v", r, err)
		}
	}
	if err := tbl.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

// readCSV parses CSV output and restores every cell.
func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(data))
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("encoding/csv cannot read the output: %v\n%q", err, data)
	}
	for _, rec := range records {
		for i := range rec {
			rec[i] = Restore(rec[i])
		}
	}
	return records
}

func TestCSVExactOutput(t *testing.T) {
	got := writeCSV(t, CSVOptions{OmitBOM: true},
		[]string{"name", "phone", "note"},
		[][]string{
			{"Ann", "+15551234567", ""},
			{`Bob "B"`, "555, ext 2", "line 1\nline 2"},
			{"=cmd|' /C calc'!A0", " x", "@x"},
		})
	want := "name,phone,note\r\n" +
		"Ann,'+15551234567,\r\n" +
		`"Bob ""B""","555, ext 2","line 1` + "\nline 2\"\r\n" +
		`'=cmd|' /C calc'!A0," x",'@x` + "\r\n"
	if string(got) != want {
		t.Errorf("output\n%q\nwant\n%q", got, want)
	}
}

func TestCSVRoundTrip(t *testing.T) {
	header := []string{"id", "value", "=header", "last"}
	var rows [][]string
	for i, v := range trickyValues {
		rows = append(rows, []string{string(rune('a' + i%26)), v, v, "end"})
	}
	// All tricky values in one row too.
	rows = append(rows, trickyValues)
	header2 := make([]string, len(trickyValues))
	for i := range header2 {
		header2[i] = "c" + string(rune('a'+i%26))
	}

	for _, tc := range []struct {
		name   string
		header []string
		rows   [][]string
	}{
		{"rows", header, rows[:len(rows)-1]},
		{"wide", header2, rows[len(rows)-1:]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, bom := range []bool{true, false} {
				data := writeCSV(t, CSVOptions{OmitBOM: !bom}, tc.header, tc.rows)
				if got := bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")); got != bom {
					t.Fatalf("BOM present = %v, want %v", got, bom)
				}
				data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
				if bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
					t.Fatal("two BOMs")
				}
				got := readCSV(t, data)
				want := append([][]string{tc.header}, tc.rows...)
				if !slices.EqualFunc(got, want, slices.Equal) {
					t.Errorf("read back\n%q\nwant\n%q", got, want)
				}
			}
		})
	}
}

// TestCSVCRLFInValue checks that a CRLF inside a value is written unchanged.
// encoding/csv reads it back as LF, as RFC 4180 readers may.
func TestCSVCRLFInValue(t *testing.T) {
	data := writeCSV(t, CSVOptions{OmitBOM: true}, []string{"a"}, [][]string{{"x\r\ny"}, {"lone\rcr"}})
	if want := "a\r\n\"x\r\ny\"\r\n\"lone\rcr\"\r\n"; string(data) != want {
		t.Errorf("output %q, want %q", data, want)
	}
	got := readCSV(t, data)
	if got[1][0] != "x\ny" {
		t.Errorf("read back %q", got[1][0])
	}
}

func TestCSVEveryColumnNeutralised(t *testing.T) {
	evil := []string{"=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "'=1", "=HYPERLINK(\"http://x\")"}
	data := writeCSV(t, CSVOptions{OmitBOM: true}, evil, [][]string{evil, evil})
	records, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 3 {
		t.Fatalf("got %d records, want 3", len(records))
	}
	for i, rec := range records {
		for j, cell := range rec {
			if !strings.HasPrefix(cell, "'") || Restore(cell) != evil[j] {
				t.Errorf("record %d column %d = %q, want %q neutralised", i, j, cell, evil[j])
			}
		}
	}
}

func TestCSVSingleEmptyCell(t *testing.T) {
	data := writeCSV(t, CSVOptions{OmitBOM: true}, []string{"only"}, [][]string{{""}, {"x"}, {""}})
	got := readCSV(t, data)
	want := [][]string{{"only"}, {""}, {"x"}, {""}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("read back %q, want %q (output %q)", got, want, data)
	}
}

func TestCSVEmptyExport(t *testing.T) {
	var buf bytes.Buffer
	if err := NewCSV(&buf, CSVOptions{}).Close(); err != nil {
		t.Fatal(err)
	}
	if buf.String() != "\uFEFF" {
		t.Errorf("output %q, want the BOM alone", buf.String())
	}
}

func TestCSVMisuse(t *testing.T) {
	tests := []struct {
		name string
		run  func(Table) error
		want error
	}{
		{"row before header", func(tb Table) error { return tb.Row([]string{"a"}) }, ErrOrder},
		{"header twice", func(tb Table) error {
			_ = tb.Header([]string{"a"})
			return tb.Header([]string{"a"})
		}, ErrOrder},
		{"empty header", func(tb Table) error { return tb.Header(nil) }, ErrColumns},
		{"short row", func(tb Table) error {
			_ = tb.Header([]string{"a", "b"})
			return tb.Row([]string{"a"})
		}, ErrColumns},
		{"long row", func(tb Table) error {
			_ = tb.Header([]string{"a", "b"})
			return tb.Row([]string{"a", "b", "c"})
		}, ErrColumns},
		{"row after close", func(tb Table) error {
			_ = tb.Header([]string{"a"})
			_ = tb.Close()
			return tb.Row([]string{"a"})
		}, ErrClosed},
		{"row after abort", func(tb Table) error {
			_ = tb.Header([]string{"a"})
			_ = tb.(Aborter).Abort()
			return tb.Row([]string{"a"})
		}, ErrClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.run(NewCSV(&bytes.Buffer{}, CSVOptions{})); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestCSVWriteError(t *testing.T) {
	w := &failWriter{n: 100}
	tbl := NewCSV(w, CSVOptions{})
	if err := tbl.Header([]string{"a", "b"}); err != nil {
		t.Fatal(err)
	}
	row := []string{strings.Repeat("x", 1000), "y"}
	var err error
	for i := 0; i < 1000 && err == nil; i++ {
		err = tbl.Row(row)
	}
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("Row error %v, want %v", err, errDiskFull)
	}
	if !strings.Contains(err.Error(), "export: csv row ") {
		t.Errorf("error %q lacks context", err)
	}
	if err2 := tbl.Row(row); !errors.Is(err2, errDiskFull) {
		t.Errorf("next Row error %v, want the first error again", err2)
	}
	if err2 := tbl.Close(); !errors.Is(err2, errDiskFull) {
		t.Errorf("Close error %v, want the first error again", err2)
	}
}

func TestCSVCloseFlushError(t *testing.T) {
	tbl := NewCSV(&failWriter{n: 3}, CSVOptions{})
	if err := tbl.Header([]string{"a"}); err != nil {
		t.Fatal(err) // buffered
	}
	if err := tbl.Close(); !errors.Is(err, errDiskFull) {
		t.Errorf("Close error %v, want %v", err, errDiskFull)
	}
}

// TestCSVRowAllocs guards constant memory: writing a row allocates nothing.
func TestCSVRowAllocs(t *testing.T) {
	tbl := NewCSV(discard{}, CSVOptions{})
	if err := tbl.Header(trickyValues); err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(1000, func() {
		if err := tbl.Row(trickyValues); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("Row allocates %v times, want 0", allocs)
	}
}

// discard is io.Discard without the io.ReaderFrom, so bufio really writes.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
