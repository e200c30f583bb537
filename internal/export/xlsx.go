package export

import (
	"archive/zip"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// NewXLSX returns a Table that writes an XLSX workbook with one worksheet,
// named sheet ("Sheet1" if empty), to w. Rows go through excelize's
// StreamWriter, which keeps at most about 16 MB of sheet XML in memory and
// spills the rest to a temporary file; Close then writes the workbook, a ZIP
// archive, straight to w without holding it in memory.
//
// Every cell is written as a string (an inline string cell), so phone
// numbers, postal codes with leading zeros and identifiers stay text and are
// never turned into numbers or dates, and goes through Neutralise; an empty
// value leaves the cell out. The header row is bold, frozen and has an
// autofilter. Column widths are set from the header names alone, never by
// scanning the rows; columns past the 256th keep the default width. A sheet
// holds at most 1,048,575 rows besides the header and 16,384 columns. A
// value longer than 32,767 characters is cut there, as Excel would refuse
// it, and characters XML cannot hold (control characters other than tab and
// line breaks) become U+FFFD.
//
// Nothing is written to w before Close, which does not close w. Call Close,
// or Abort (see Aborter) to give up, so the temporary file is removed.
func NewXLSX(w io.Writer, sheet string) (Table, error) {
	return NewXLSXWithOptions(w, sheet, XLSXOptions{})
}

// XLSXOptions configures NewXLSXWithOptions.
type XLSXOptions struct {
	// TempDir is the directory for the temporary file that holds the sheet
	// past its first 16 MB; empty means os.TempDir(). Where /tmp is a
	// memory file system (tmpfs), point it at a disk to keep large exports
	// out of memory.
	TempDir string
}

// NewXLSXWithOptions is NewXLSX with options.
func NewXLSXWithOptions(w io.Writer, sheet string, opts XLSXOptions) (Table, error) {
	f := excelize.NewFile(excelize.Options{TmpDir: opts.TempDir})
	if sheet == "" {
		sheet = "Sheet1"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("export: xlsx: sheet name %q: %w", sheet, err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("export: xlsx: %w", err)
	}
	// excelize assembles the workbook in a bytes.Buffer that it hands to the
	// ZIP writer function; writing the archive to w directly instead keeps
	// a million-row workbook out of memory. The buffer stays empty.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	return &xlsxTable{f: f, sw: sw, w: w, sheet: sheet}, nil
}

type xlsxTable struct {
	f     *excelize.File
	sw    *excelize.StreamWriter
	w     io.Writer
	sheet string
	state int
	cols  int
	row   int   // number of the last row written, header included
	vals  []any // reused for every row
	err   error
}

// Excel's limits.
const (
	xlsxMaxRows    = excelize.TotalRows  // 1,048,576
	xlsxMaxColumns = excelize.MaxColumns // 16,384
)

func (t *xlsxTable) Header(cols []string) error {
	if err := t.check(); err != nil {
		return err
	}
	if t.state != stateNew {
		return fmt.Errorf("export: xlsx header: %w", ErrOrder)
	}
	if len(cols) == 0 {
		return fmt.Errorf("export: xlsx header: no columns: %w", ErrColumns)
	}
	if len(cols) > xlsxMaxColumns {
		return fmt.Errorf("export: xlsx header has %d columns: %w", len(cols), ErrTooManyColumns)
	}
	if err := t.header(cols); err != nil {
		t.err = fmt.Errorf("export: xlsx header: %w", err)
		return t.err
	}
	t.state, t.cols, t.row = stateRows, len(cols), 1
	return nil
}

func (t *xlsxTable) header(cols []string) error {
	bold, err := t.f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	// Column widths and panes must be set before the first row.
	if err := t.setColumnWidths(cols); err != nil {
		return err
	}
	err = t.sw.SetPanes(&excelize.Panes{
		Freeze:      true,
		YSplit:      1,
		TopLeftCell: "A2",
		ActivePane:  "bottomLeft",
		Selection:   []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
	})
	if err != nil {
		return err
	}
	t.vals = make([]any, len(cols))
	for i, name := range cols {
		t.vals[i] = excelize.Cell{StyleID: bold, Value: Neutralise(name)}
	}
	return t.sw.SetRow("A1", t.vals)
}

// setColumnWidths sets the width of each column from its header. Excel
// requires the column entries in ascending order; excelize puts each new
// range before those set earlier, so runs of equal width are set from the
// last column to the first. excelize's cost grows with the number of runs
// times the number of columns set, so columns past the first sizedColumns
// keep the default width.
func (t *xlsxTable) setColumnWidths(cols []string) error {
	last := min(len(cols), sizedColumns) // the last column not yet set, 1-based
	for last > 0 {
		w := columnWidth(cols[last-1])
		first := last
		for first > 1 && columnWidth(cols[first-2]) == w {
			first--
		}
		if err := t.sw.SetColWidth(first, last, w); err != nil {
			return fmt.Errorf("column width: %w", err)
		}
		last = first - 1
	}
	return nil
}

func (t *xlsxTable) Row(cells []string) error {
	if err := t.check(); err != nil {
		return err
	}
	if t.state != stateRows {
		return fmt.Errorf("export: xlsx row: %w", ErrOrder)
	}
	if len(cells) != t.cols {
		return fmt.Errorf("export: xlsx row %d has %d cells, header has %d: %w", t.row, len(cells), t.cols, ErrColumns)
	}
	if t.row >= xlsxMaxRows {
		return fmt.Errorf("export: xlsx row %d: %w", t.row, ErrTooManyRows)
	}
	for i, s := range cells {
		if s == "" {
			t.vals[i] = nil // no cell at all, rather than an empty string
		} else {
			t.vals[i] = Neutralise(s)
		}
	}
	t.row++
	if err := t.sw.SetRow("A"+strconv.Itoa(t.row), t.vals); err != nil {
		t.err = fmt.Errorf("export: xlsx row %d: %w", t.row-1, err)
		return t.err
	}
	return nil
}

func (t *xlsxTable) Close() error {
	if t.state == stateClosed {
		return t.err
	}
	t.state = stateClosed
	if t.err == nil {
		if err := t.finish(); err != nil {
			t.err = fmt.Errorf("export: xlsx: %w", err)
		}
	}
	if err := t.f.Close(); err != nil && t.err == nil {
		t.err = fmt.Errorf("export: xlsx: remove temporary files: %w", err)
	}
	return t.err
}

// finish ends the sheet and writes the workbook to w.
func (t *xlsxTable) finish() error {
	if t.cols > 0 {
		// The autofilter is part of the sheet XML written by Flush.
		last, err := excelize.CoordinatesToCellName(t.cols, t.row)
		if err != nil {
			return err
		}
		if err := t.f.AutoFilter(t.sheet, "A1:"+last, nil); err != nil {
			return fmt.Errorf("autofilter: %w", err)
		}
		t.quoteFilterRange()
	}
	if err := t.sw.Flush(); err != nil {
		return fmt.Errorf("flush sheet: %w", err)
	}
	if err := t.f.Write(t.w); err != nil {
		return fmt.Errorf("write workbook: %w", err)
	}
	return nil
}

// quoteFilterRange doubles apostrophes in the sheet name of the autofilter's
// defined name, which excelize writes as 'name'!range without escaping them.
func (t *xlsxTable) quoteFilterRange() {
	if !strings.Contains(t.sheet, "'") || t.f.WorkBook == nil || t.f.WorkBook.DefinedNames == nil {
		return
	}
	bad := "'" + t.sheet + "'!"
	good := "'" + strings.ReplaceAll(t.sheet, "'", "''") + "'!"
	names := t.f.WorkBook.DefinedNames.DefinedName
	for i := range names {
		if rest, ok := strings.CutPrefix(names[i].Data, bad); ok {
			names[i].Data = good + rest
		}
	}
}

func (t *xlsxTable) Abort() error {
	if t.state == stateClosed {
		return nil
	}
	t.state = stateClosed
	if err := t.f.Close(); err != nil {
		return fmt.Errorf("export: xlsx: remove temporary files: %w", err)
	}
	return nil
}

func (t *xlsxTable) check() error {
	if t.err != nil {
		return t.err
	}
	if t.state == stateClosed {
		return fmt.Errorf("export: xlsx: %w", ErrClosed)
	}
	return nil
}

// Column widths, in characters of the default font.
const (
	// sizedColumns is how many columns get a width from their header.
	sizedColumns   = 256
	minColumnWidth = 10
	maxColumnWidth = 60
	// headerExtra leaves room for the bold face and the autofilter button.
	headerExtra = 4
)

// columnHints gives a minimum width to columns whose header names a kind of
// value that is usually long. Keys are matched as lower-case substrings.
var columnHints = []struct {
	key   string
	width float64
}{
	{"note", 40},
	{"description", 40},
	{"address", 30},
	{"street", 30},
	{"e-mail", 30},
	{"email", 30},
	{"url", 30},
	{"website", 30},
	{"name", 20},
	{"company", 20},
	{"organi", 20},
	{"title", 20},
	{"phone", 18},
	{"mobile", 18},
	{"date", 12},
}

// columnWidth picks a column width from its header name alone: wide enough
// for the name, and for the values its name suggests, within bounds.
func columnWidth(header string) float64 {
	w := float64(displayWidth(header) + headerExtra)
	lower := strings.ToLower(header)
	for _, h := range columnHints {
		if strings.Contains(lower, h.key) {
			w = max(w, h.width)
			break
		}
	}
	return min(max(w, minColumnWidth), maxColumnWidth)
}

// displayWidth counts characters, East Asian wide ones twice.
func displayWidth(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		s = s[size:]
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
