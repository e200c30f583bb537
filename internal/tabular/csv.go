package tabular

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// csvSource reads a CSV file.
type csvSource struct {
	f         *os.File
	count     *countingReader
	size      int64
	p         *csvParser
	header    []string
	meta      Meta
	checkUTF8 bool // the text is not decoded, so it may hold invalid UTF-8
	closed    bool
}

// openCSV opens a text file as CSV and reads its header.
func openCSV(f *os.File, size int64, head []byte, opts Options, lim limits) (Source, error) {
	enc := detectEncoding(head, opts.Encoding)
	if !enc.isUTF16() && bytes.IndexByte(head, 0) >= 0 {
		return nil, nulError(head, "CSV")
	}
	text := enc.decodeHead(head)
	complete := int64(len(head)) == size

	delim := byte(opts.Delimiter)
	sep, hasSep := sepDirective(text)
	if delim == 0 {
		if hasSep {
			delim = sep
		} else {
			delim = detectDelimiter(text, complete)
		}
	}

	count := &countingReader{r: f}
	s := &csvSource{
		f:         f,
		count:     count,
		size:      size,
		p:         newCSVParser(enc.reader(count), delim, opts.MaxCell, opts.MaxColumns+1, lim.rewind),
		meta:      Meta{Format: FormatCSV, Encoding: enc.name, Delimiter: rune(delim)},
		checkUTF8: enc.dec == nil,
	}
	if hasSep {
		s.p.skipLine()
	}
	if err := s.readHeader(opts.MaxColumns); err != nil {
		return nil, err
	}
	s.p.maxFields = max(opts.MaxColumns, len(s.header))
	return s, nil
}

// readHeader reads the first non-blank record as the header.
func (s *csvSource) readHeader(maxColumns int) error {
	p := s.p
	for {
		if !p.next() {
			if p.rerr != nil {
				return fmt.Errorf("tabular: read CSV: %w", p.rerr)
			}
			return errEmpty()
		}
		if p.prob.kind != probNone {
			what := s.describe(p.prob)
			if p.prob.kind == probUnclosed {
				what = "the quoted value in " + columnLabel(p.prob.col, nil, false) + " is never closed"
			}
			return &Error{Msg: "The header row on line " + formatInt(p.startLine) + " is broken: " + what + "."}
		}
		if p.lastNonBlank() == 0 {
			continue
		}
		break
	}
	if n := p.lastNonBlank(); n > maxColumns {
		return &Error{Msg: "The file has " + formatInt(n) + " columns; Folio reads at most " + formatInt(maxColumns) + "."}
	}
	switch {
	case bytes.IndexByte(p.rec, 0) >= 0:
		return &Error{Msg: "The header row on line " + formatInt(p.startLine) + " contains a NUL byte (character code 0), so the file is not a valid CSV file."}
	case s.checkUTF8 && !utf8.Valid(p.rec):
		return &Error{Msg: "The header row is not valid UTF-8 text; choose the Windows-1252 encoding if the file came from older Excel."}
	case p.longCol >= 0:
		return &Error{Msg: "The header's column " + formatInt(p.longCol+1) + " holds " + formatInt(p.longRunes) + " characters; a cell may hold at most " + formatInt(p.maxCell) + "."}
	}
	fields := p.fields()[:p.lastNonBlank()]
	for i, f := range fields {
		fields[i] = strings.TrimFunc(f, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
	}
	s.header = fields
	return nil
}

// sepDirective recognises Excel's "sep=;" first line, which names the
// delimiter.
func sepDirective(text []byte) (byte, bool) {
	if len(text) < 5 || !bytes.EqualFold(text[:4], []byte("sep=")) {
		return 0, false
	}
	d := text[4]
	if d == '"' || d == '\r' || d == '\n' || d >= 0x80 {
		return 0, false
	}
	if len(text) == 5 || text[5] == '\r' || text[5] == '\n' {
		return d, true
	}
	return 0, false
}

// detectDelimiter chooses among , ; tab and | the delimiter whose count
// outside quotes is the same on most of the first 20 non-blank records
// and not zero on the first. Ties go to the one with more columns, then to
// the order above. It returns ',' when none fits. complete tells whether
// text is the whole file, so that its last line is complete.
func detectDelimiter(text []byte, complete bool) byte {
	cands := [...]byte{',', ';', '\t', '|'}
	var counts [len(cands)][]int
	var cur [len(cands)]int
	inQuote, busy := false, false
	records := 0
	flush := func() {
		if busy {
			for k := range cands {
				counts[k] = append(counts[k], cur[k])
			}
			records++
		}
		cur = [len(cands)]int{}
		busy = false
	}
	for i := 0; i < len(text) && records < 20; i++ {
		c := text[i]
		switch {
		case c == '"':
			inQuote = !inQuote
			busy = true
		case inQuote:
		case c == '\n' || c == '\r':
			flush()
		default:
			for k, d := range cands {
				if c == d {
					cur[k]++
				}
			}
			if c != ' ' && c != '\t' && c != ',' && c != ';' && c != '|' {
				busy = true
			}
		}
	}
	if complete && !inQuote {
		flush()
	}

	best, bestShare, bestCols := byte(','), 0.0, 0
	for k, d := range cands {
		c := counts[k]
		if len(c) == 0 || c[0] == 0 {
			continue
		}
		same := 0
		for _, n := range c {
			if n == c[0] {
				same++
			}
		}
		share := float64(same) / float64(len(c))
		if share > bestShare || share == bestShare && c[0] > bestCols {
			best, bestShare, bestCols = d, share, c[0]
		}
	}
	return best
}

// Header returns the header row.
func (s *csvSource) Header() []string { return s.header }

// Meta returns what was detected.
func (s *csvSource) Meta() Meta { return s.meta }

// Progress returns the bytes of the file read so far and its size.
func (s *csvSource) Progress() (done, total int64) {
	return min(s.count.n.Load(), s.size), s.size
}

// Close closes the file.
func (s *csvSource) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	return s.f.Close()
}

// Next returns the next non-blank record.
func (s *csvSource) Next() (Record, error) {
	if s.closed {
		return Record{}, errClosed
	}
	p := s.p
	for {
		if !p.next() {
			if p.rerr != nil {
				return Record{}, fmt.Errorf("tabular: read CSV: %w", p.rerr)
			}
			return Record{}, io.EOF
		}
		rec := Record{Line: p.startLine}
		if p.prob.kind != probNone {
			rec.Fields = validFields(p.fields())
			rec.Err = &Error{Msg: "line " + formatInt(p.startLine) + ": " + s.describe(p.prob)}
			return rec, nil
		}
		busy := p.lastNonBlank()
		if busy == 0 {
			continue
		}
		rec.Err = s.check(busy)
		if rec.Err != nil {
			rec.Fields = validFields(p.fields())
			return rec, nil
		}
		fields := p.fields()
		if len(fields) > len(s.header) {
			fields = fields[:len(s.header):len(s.header)]
		}
		rec.Fields = fields
		return rec, nil
	}
}

// check returns the row-level problem of the current record, if any. busy
// is 1 + the index of its last non-blank value.
func (s *csvSource) check(busy int) error {
	p := s.p
	line := "line " + formatInt(p.startLine)
	n, want := p.nfields, len(s.header)
	switch {
	case bytes.IndexByte(p.rec, 0) >= 0:
		return &Error{Msg: line + " contains a NUL byte (character code 0), which text does not hold; the file may be damaged"}
	case s.checkUTF8 && !utf8.Valid(p.rec):
		return &Error{Msg: line + " is not valid UTF-8 text; choose the Windows-1252 encoding if the file came from older Excel"}
	case p.longCol >= 0:
		return &Error{Msg: line + ": " + columnLabel(p.longCol, s.header, false) + " holds " + formatInt(p.longRunes) + " characters; a cell may hold at most " + formatInt(p.maxCell)}
	case busy > want:
		return &Error{Msg: line + " has " + count(n, "value") + " but the header has " + count(want, "column") + "; a value that contains a " + delimiterName(p.delim) + " must be enclosed in quotes"}
	case n < want:
		return &Error{Msg: line + " has " + count(n, "value") + " but the header has " + count(want, "column") + "; a " + delimiterName(p.delim) + " may be missing, or a value with a line break may not be enclosed in quotes"}
	}
	return nil
}

// describe explains a structural problem, without the line it is on.
func (s *csvSource) describe(pr problem) string {
	col := columnLabel(pr.col, s.header, false)
	at := ""
	if pr.line != s.p.startLine {
		at = " on line " + formatInt(pr.line)
	}
	value := "the quoted value in " + col
	if pr.open != s.p.startLine {
		value += ", which opens on line " + formatInt(pr.open) + ","
	}
	switch pr.kind {
	case probBareQuote:
		return col + " contains a quote character" + at + " but is not enclosed in quotes; enclose the value in quotes and write each quote inside it twice (\"\")"
	case probTextAfterQuote:
		return value + " is followed by other text after its closing quote" + at + "; a quote inside a quoted value must be written twice (\"\")"
	case probUnclosed:
		if s.p.rewound {
			return value + " is never closed; only this line was rejected and reading went on with the next line"
		}
		return value + " is never closed, so everything after it (" + count(pr.line-pr.open+1, "line") + ") was read as one value and the rest of the file could not be imported"
	case probLongQuoted:
		return value + " runs to line " + formatInt(pr.line) + " and holds " + formatInt(pr.runes) + " characters, more than the " + formatInt(s.p.maxCell) + " a cell may hold; its closing quote is probably missing"
	}
	return "the line cannot be read"
}

// validFields replaces invalid UTF-8 in the values of a rejected row, so
// they can be stored and shown.
func validFields(fields []string) []string {
	for i, f := range fields {
		if !utf8.ValidString(f) {
			fields[i] = strings.ToValidUTF8(f, "\uFFFD")
		}
	}
	return fields
}
