package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// writeXLSX writes a workbook and opens it again with excelize.
func writeXLSX(t *testing.T, sheet string, header []string, rows [][]string) ([]byte, *excelize.File) {
	t.Helper()
	var buf bytes.Buffer
	tbl, err := NewXLSX(&buf, sheet)
	if err != nil {
		t.Fatalf("NewXLSX: %v", err)
	}
	if err := tbl.Header(header); err != nil {
		t.Fatalf("Header: %v", err)
	}
	for _, r := range rows {
		if err := tbl.Row(r); err != nil {
			t.Fatalf("Row(%q): %v", r, err)
		}
	}
	if buf.Len() != 0 {
		t.Errorf("%d bytes written before Close", buf.Len())
	}
	if err := tbl.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	data := bytes.Clone(buf.Bytes())
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("excelize cannot open the output: %v", err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return data, f
}

// zipFile returns one file of a ZIP archive.
func zipFile(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatalf("open %s: %v", name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestXLSX(t *testing.T) {
	header := []string{"ID", "Zip", "Phone", "Formula", "Name", "Email address"}
	rows := [][]string{
		{"0001", "00501", "15551234567", "=1+1", "Zoë Ångström", "zoe@example.com"},
		{"2", "02134", "+15551234567", "@SUM(A1:A2)", "東京 👩‍💻", ""},
		{"3", "1e5", "2024-01-02", "-3", "line\nbreak", " spaced "},
	}
	data, f := writeXLSX(t, "Contacts", header, rows)

	if got := f.GetSheetList(); !slices.Equal(got, []string{"Contacts"}) {
		t.Fatalf("sheets %q, want [Contacts]", got)
	}
	got, err := f.GetRows("Contacts")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{header}
	for _, r := range rows {
		n := make([]string, len(r))
		for i, v := range r {
			n[i] = Neutralise(v)
		}
		want = append(want, n)
	}
	// GetRows drops trailing empty cells.
	want[2] = want[2][:5]
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("rows\n%q\nwant\n%q", got, want)
	}
	for _, ref := range []struct{ cell, want string }{
		{"B2", "00501"}, {"C2", "15551234567"}, {"D2", "'=1+1"}, {"A2", "0001"}, {"B4", "1e5"},
	} {
		v, err := f.GetCellValue("Contacts", ref.cell)
		if err != nil || v != ref.want {
			t.Errorf("%s = %q, %v; want %q", ref.cell, v, err, ref.want)
		}
		formula, err := f.GetCellFormula("Contacts", ref.cell)
		if err != nil || formula != "" {
			t.Errorf("%s has formula %q, %v", ref.cell, formula, err)
		}
	}

	// Every non-empty cell is a string cell.
	for r := range len(rows) + 1 {
		for c := range header {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			typ, err := f.GetCellType("Contacts", cell)
			if err != nil {
				t.Fatal(err)
			}
			v, _ := f.GetCellValue("Contacts", cell)
			if typ != excelize.CellTypeInlineString && !(v == "" && typ == excelize.CellTypeUnset) {
				t.Errorf("%s (%q) has type %v, want inline string", cell, v, typ)
			}
		}
	}

	// Bold header.
	for c := range header {
		cell, _ := excelize.CoordinatesToCellName(c+1, 1)
		id, err := f.GetCellStyle("Contacts", cell)
		if err != nil {
			t.Fatal(err)
		}
		style, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if style.Font == nil || !style.Font.Bold {
			t.Errorf("header %s is not bold", cell)
		}
	}
	if id, _ := f.GetCellStyle("Contacts", "A2"); id != 0 {
		if style, _ := f.GetStyle(id); style != nil && style.Font != nil && style.Font.Bold {
			t.Error("data cell A2 is bold")
		}
	}

	// Frozen header.
	panes, err := f.GetPanes("Contacts")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.XSplit != 0 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v, want the first row frozen", panes)
	}

	// Column widths from the header names.
	for _, c := range []struct {
		col      string
		min, max float64
	}{{"A", minColumnWidth, minColumnWidth}, {"F", 30, maxColumnWidth}} {
		w, err := f.GetColWidth("Contacts", c.col)
		if err != nil || w < c.min || w > c.max {
			t.Errorf("column %s width %v, %v; want %v to %v", c.col, w, err, c.min, c.max)
		}
	}

	// Autofilter over the header and the rows.
	sheetXML := zipFile(t, data, "xl/worksheets/sheet1.xml")
	checkColumnOrder(t, sheetXML, len(header))
	// excelize writes the reference with dollar signs, which Excel accepts.
	if !strings.Contains(sheetXML, `<autoFilter ref="A1:F4"`) && !strings.Contains(sheetXML, `<autoFilter ref="$A$1:$F$4"`) {
		t.Errorf("no autofilter on A1:F4 in sheet XML:\n%s", sheetXML[max(0, len(sheetXML)-1500):])
	}
	if wb := zipFile(t, data, "xl/workbook.xml"); !strings.Contains(wb, `_xlnm._FilterDatabase`) || !strings.Contains(wb, `&#39;Contacts&#39;!$A$1:$F$4`) {
		t.Errorf("no filter database name in workbook XML:\n%s", wb)
	}
}

// checkColumnOrder checks that the <col> entries of a sheet are in
// ascending order without overlaps, as Excel requires, and cover columns 1
// to n.
func checkColumnOrder(t *testing.T, sheetXML string, n int) {
	t.Helper()
	next := 1
	for _, m := range regexp.MustCompile(`<col min="(\d+)" max="(\d+)"`).FindAllStringSubmatch(sheetXML, -1) {
		lo, _ := strconv.Atoi(m[1])
		hi, _ := strconv.Atoi(m[2])
		if lo != next || hi < lo {
			t.Fatalf("column entry %d-%d, want one starting at %d", lo, hi, next)
		}
		next = hi + 1
	}
	if next != n+1 {
		t.Errorf("column entries cover 1 to %d, want 1 to %d", next-1, n)
	}
}

// TestXLSXWideHeader checks that a header of many columns with alternating
// widths is quick and its column entries are in order.
func TestXLSXWideHeader(t *testing.T) {
	header := make([]string, 2000)
	for i := range header {
		header[i] = "Column " + strconv.Itoa(i+1)
		if i%2 == 0 {
			header[i] = "Email"
		}
	}
	data, _ := writeXLSX(t, "Wide", header, [][]string{header})
	checkColumnOrder(t, zipFile(t, data, "xl/worksheets/sheet1.xml"), sizedColumns)
}

func TestXLSXControlCharacters(t *testing.T) {
	_, f := writeXLSX(t, "S", []string{"a"}, [][]string{{"xyz	w"}})
	if v, _ := f.GetCellValue("S", "A2"); v != "x\uFFFDy\x7fz\tw" {
		t.Errorf("A2 = %q", v)
	}
}

func TestXLSXEveryColumnNeutralised(t *testing.T) {
	evil := []string{"=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "'=1", "=HYPERLINK(\"http://x\")"}
	_, f := writeXLSX(t, "", evil, [][]string{evil, evil})
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("got %d rows, want 3", len(rows))
	}
	for i, row := range rows {
		for j, cell := range row {
			if !strings.HasPrefix(cell, "'") || Restore(cell) != evil[j] {
				t.Errorf("row %d column %d = %q, want %q neutralised", i+1, j+1, cell, evil[j])
			}
		}
	}
}

func TestXLSXTrickyValues(t *testing.T) {
	_, f := writeXLSX(t, "Tricky", []string{"v"}, func() (rows [][]string) {
		for _, v := range trickyValues {
			rows = append(rows, []string{v})
		}
		return rows
	}())
	for i, v := range trickyValues {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		got, err := f.GetCellValue("Tricky", cell)
		if err != nil {
			t.Fatal(err)
		}
		if Restore(got) != v {
			t.Errorf("%s = %q, want %q", cell, got, v)
		}
	}
}

func TestXLSXSheetNames(t *testing.T) {
	data, f := writeXLSX(t, "Bob's contacts", []string{"a"}, [][]string{{"1"}})
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Bob's contacts"}) {
		t.Errorf("sheets %q", got)
	}
	if wb := zipFile(t, data, "xl/workbook.xml"); !strings.Contains(wb, `&#39;Bob&#39;&#39;s contacts&#39;!$A$1:$A$2`) {
		t.Errorf("filter range not quoted in workbook XML:\n%s", wb)
	}
	for _, bad := range []string{"a/b", "[x]", "'quoted'", strings.Repeat("x", 32)} {
		if _, err := NewXLSX(io.Discard, bad); err == nil {
			t.Errorf("NewXLSX(%q) succeeded", bad)
		}
	}
}

func TestXLSXNoRows(t *testing.T) {
	_, f := writeXLSX(t, "Empty", []string{"a", "b"}, nil)
	rows, err := f.GetRows("Empty")
	if err != nil || !slices.EqualFunc(rows, [][]string{{"a", "b"}}, slices.Equal) {
		t.Errorf("rows %q, %v", rows, err)
	}

	var buf bytes.Buffer
	tbl, err := NewXLSX(&buf, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := tbl.Close(); err != nil {
		t.Fatalf("Close without header: %v", err)
	}
	f2, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	if rows, _ := f2.GetRows("Sheet1"); len(rows) != 0 {
		t.Errorf("rows %q, want none", rows)
	}
}

func TestXLSXMisuse(t *testing.T) {
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
		{"empty header", func(tb Table) error { return tb.Header([]string{}) }, ErrColumns},
		{"too many columns", func(tb Table) error { return tb.Header(make([]string, 16385)) }, ErrTooManyColumns},
		{"wrong row", func(tb Table) error {
			_ = tb.Header([]string{"a", "b"})
			return tb.Row([]string{"a"})
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
		{"sheet full", func(tb Table) error {
			_ = tb.Header([]string{"a"})
			tb.(*xlsxTable).row = xlsxMaxRows - 1
			if err := tb.Row([]string{"last"}); err != nil {
				return err
			}
			return tb.Row([]string{"one too many"})
		}, ErrTooManyRows},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tbl, err := NewXLSX(io.Discard, "S")
			if err != nil {
				t.Fatal(err)
			}
			defer tbl.Close()
			if err := tt.run(tbl); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestXLSXWriteError(t *testing.T) {
	tbl, err := NewXLSX(&failWriter{n: 1000}, "S")
	if err != nil {
		t.Fatal(err)
	}
	_ = tbl.Header([]string{"a"})
	_ = tbl.Row([]string{"b"})
	err = tbl.Close()
	if !errors.Is(err, errDiskFull) || !strings.Contains(err.Error(), "export: xlsx: write workbook") {
		t.Errorf("Close error %v, want %v with context", err, errDiskFull)
	}
	if err2 := tbl.Close(); err2 != err {
		t.Errorf("second Close error %v, want %v", err2, err)
	}
}

// TestXLSXSpillsToDisk writes more than excelize keeps in memory, so the
// sheet goes through a temporary file, and checks the workbook and that the
// temporary file is gone after Close and after Abort.
func TestXLSXSpillsToDisk(t *testing.T) {
	for _, abort := range []bool{false, true} {
		t.Run(map[bool]string{false: "close", true: "abort"}[abort], func(t *testing.T) {
			t.Parallel()
			testXLSXSpill(t, abort)
		})
	}
}

func testXLSXSpill(t *testing.T, abort bool) {
	// Each "&" is written as "&amp;": 3,500 rows make 17.5 MB of sheet XML,
	// past the 16 MB excelize keeps in memory.
	const n = 3_500
	tmp := t.TempDir()
	var buf bytes.Buffer
	tbl, err := NewXLSXWithOptions(&buf, "Big", XLSXOptions{TempDir: tmp})
	if err != nil {
		t.Fatal(err)
	}
	if err := tbl.Header([]string{"n", "text"}); err != nil {
		t.Fatal(err)
	}
	row := []string{"", strings.Repeat("&", 1000)}
	for i := range n {
		row[0] = strconv.Itoa(i)
		if err := tbl.Row(row); err != nil {
			t.Fatal(err)
		}
	}
	if entries, _ := os.ReadDir(tmp); len(entries) == 0 {
		t.Error("no temporary file while writing")
	}
	if abort {
		err = tbl.(Aborter).Abort()
	} else {
		err = tbl.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(tmp); len(entries) != 0 {
		t.Errorf("temporary files left: %v", entries)
	}
	if abort {
		if buf.Len() != 0 {
			t.Errorf("Abort wrote %d bytes", buf.Len())
		}
		return
	}

	// Reading 17 MB back with excelize is slow under the race detector;
	// scan the sheet XML instead.
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	sc := bufio.NewScanner(rc)
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	sc.Split(splitAfter("</row>"))
	rows, last := 0, ""
	for sc.Scan() {
		if strings.Contains(sc.Text(), "<row ") {
			rows++
		}
		last = sc.Text()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if rows != n+1 {
		t.Errorf("sheet has %d rows, want %d", rows, n+1)
	}
	if !strings.HasSuffix(last, "</worksheet>") {
		t.Errorf("sheet XML ends with %q", last)
	}
}

// splitAfter is a bufio.SplitFunc that splits after each sep.
func splitAfter(sep string) bufio.SplitFunc {
	return func(data []byte, atEOF bool) (int, []byte, error) {
		if i := bytes.Index(data, []byte(sep)); i >= 0 {
			return i + len(sep), data[:i+len(sep)], nil
		}
		if atEOF && len(data) > 0 {
			return len(data), data, nil
		}
		return 0, nil, nil
	}
}

func TestColumnWidth(t *testing.T) {
	tests := []struct {
		header string
		want   float64
	}{
		{"", minColumnWidth},
		{"ID", minColumnWidth},
		{"Email", 30},
		{"Note", 40},
		{"A rather long column header here", 36},
		{"名前", minColumnWidth},
		{"電話番号電話番号", 20},
		{strings.Repeat("x", 200), maxColumnWidth},
	}
	for _, tt := range tests {
		if got := columnWidth(tt.header); got != tt.want {
			t.Errorf("columnWidth(%q) = %v, want %v", tt.header, got, tt.want)
		}
	}
}
