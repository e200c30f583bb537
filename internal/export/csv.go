package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// utf8BOM is the UTF-8 encoding of U+FEFF. Excel reads a CSV file as UTF-8
// only when it starts with it.
const utf8BOM = "\uFEFF"

// csvBufferSize is the size of the CSV output buffer.
const csvBufferSize = 64 << 10

// CSVOptions configures NewCSV. The zero value writes a byte-order mark.
type CSVOptions struct {
	// OmitBOM leaves out the UTF-8 byte-order mark, for consumers other than
	// Excel that would take it as part of the first column name.
	OmitBOM bool
}

// table states shared by the Table implementations.
const (
	stateNew = iota
	stateRows
	stateClosed
)

// NewCSV returns a Table that writes RFC 4180 CSV to w: comma separated,
// CRLF line ends, a field quoted only when it contains a comma, a double
// quote, a line break or leading or trailing white space, double quotes
// doubled. The output is UTF-8 and starts with a byte-order mark unless
// opts.OmitBOM is set. Every cell, header included, goes through Neutralise.
// Values are otherwise written byte for byte; a line break inside a value is
// kept as it is, within quotes.
//
// Output is buffered; Close flushes it but does not close w. Writing a row
// does not allocate.
func NewCSV(w io.Writer, opts CSVOptions) Table {
	return &csvTable{w: bufio.NewWriterSize(w, csvBufferSize), bom: !opts.OmitBOM}
}

type csvTable struct {
	w     *bufio.Writer
	bom   bool
	state int
	cols  int   // number of columns, from the header
	rows  int   // number of rows written, header excluded
	err   error // first write error, returned by every later call
}

func (t *csvTable) Header(cols []string) error {
	if err := t.check(); err != nil {
		return err
	}
	if t.state != stateNew {
		return fmt.Errorf("export: csv header: %w", ErrOrder)
	}
	if len(cols) == 0 {
		return fmt.Errorf("export: csv header: no columns: %w", ErrColumns)
	}
	t.writeBOM()
	t.state, t.cols = stateRows, len(cols)
	t.writeRecord(cols)
	if t.err != nil {
		t.err = fmt.Errorf("export: csv header: %w", t.err)
	}
	return t.err
}

func (t *csvTable) Row(cells []string) error {
	if err := t.check(); err != nil {
		return err
	}
	if t.state != stateRows {
		return fmt.Errorf("export: csv row: %w", ErrOrder)
	}
	if len(cells) != t.cols {
		return fmt.Errorf("export: csv row %d has %d cells, header has %d: %w", t.rows+1, len(cells), t.cols, ErrColumns)
	}
	t.rows++
	t.writeRecord(cells)
	if t.err != nil {
		t.err = fmt.Errorf("export: csv row %d: %w", t.rows, t.err)
	}
	return t.err
}

func (t *csvTable) Close() error {
	if t.state == stateClosed {
		return t.err
	}
	if t.err == nil {
		if t.state == stateNew {
			t.writeBOM()
		}
		if err := t.w.Flush(); err != nil {
			t.err = fmt.Errorf("export: csv: flush: %w", err)
		}
	}
	t.state = stateClosed
	return t.err
}

func (t *csvTable) Abort() error {
	t.state = stateClosed
	return nil
}

// check returns the error that stops every further call.
func (t *csvTable) check() error {
	if t.err != nil {
		return t.err
	}
	if t.state == stateClosed {
		return fmt.Errorf("export: csv: %w", ErrClosed)
	}
	return nil
}

func (t *csvTable) writeBOM() {
	if t.bom {
		_, _ = t.w.WriteString(utf8BOM)
	}
}

// writeRecord writes one line. bufio.Writer keeps the first write error and
// returns it from every later call, so only the last one is checked.
func (t *csvTable) writeRecord(cells []string) {
	if len(cells) == 1 && cells[0] == "" {
		// A blank line would be skipped by CSV readers; quote the one empty
		// field so the row keeps its place.
		_, _ = t.w.WriteString("\"\"")
	}
	for i, s := range cells {
		if i > 0 {
			_ = t.w.WriteByte(',')
		}
		writeCSVField(t.w, s)
	}
	if _, err := t.w.WriteString("\r\n"); err != nil {
		t.err = err
	}
}

// writeCSVField writes Neutralise(s), quoted if needed, without allocating.
func writeCSVField(w *bufio.Writer, s string) {
	apostrophe := needsNeutralise(s)
	if !fieldNeedsQuotes(s) {
		if apostrophe {
			_ = w.WriteByte('\'')
		}
		_, _ = w.WriteString(s)
		return
	}
	_ = w.WriteByte('"')
	if apostrophe {
		_ = w.WriteByte('\'')
	}
	for {
		i := strings.IndexByte(s, '"')
		if i < 0 {
			break
		}
		_, _ = w.WriteString(s[:i+1])
		_ = w.WriteByte('"')
		s = s[i+1:]
	}
	_, _ = w.WriteString(s)
	_ = w.WriteByte('"')
}

// fieldNeedsQuotes reports whether a field must be quoted: it holds a comma,
// a double quote or a line break, or it starts or ends with white space,
// which some readers would trim.
func fieldNeedsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if isSpace(s[0]) || isSpace(s[len(s)-1]) {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ',', '"', '\r', '\n':
			return true
		}
	}
	return false
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' }
