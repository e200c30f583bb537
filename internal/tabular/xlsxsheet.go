package tabular

import (
	"archive/zip"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxSheetColumns is Excel's column count (A to XFD).
const maxSheetColumns = 16384

// xlsxSource streams the rows of one worksheet.
type xlsxSource struct {
	f      *os.File
	wb     *workbook
	part   *partReader
	sc     *xmlScanner
	name   string // the sheet's name
	header []string
	meta   Meta
	closed bool

	maxColumns int
	maxCell    int
	maxBytes   int
	keep       int // cells of a row kept: columns 0 to keep-1

	inData bool // inside <sheetData>
	done   bool
	row    int // number of the last row read

	// The row being read.
	buf     []byte // cell values, concatenated
	cells   []xcell
	busy    int    // 1 + column of the last non-blank cell, kept or not
	problem string // the row's first cell problem, without the row prefix
	val     []byte // the current cell's raw value
	valLong int    // characters of val dropped
}

// xcell is a cell of the row being read: its value is buf[start:end].
type xcell struct {
	col        int
	start, end int
}

// newXLSXSource starts reading the sheet and reads its header.
func newXLSXSource(f *os.File, wb *workbook, sheet sheetRef, zf *zip.File, opts Options) (Source, error) {
	part, err := wb.openPart(zf, wb.lim.sheet)
	if err != nil {
		return nil, err
	}
	maxBytes := 4*opts.MaxCell + 4
	s := &xlsxSource{
		f:          f,
		wb:         wb,
		part:       part,
		sc:         newXMLScanner(part, maxBytes),
		name:       sheet.name,
		meta:       Meta{Format: FormatXLSX, Sheets: wb.sheetNames(), Sheet: sheet.name},
		maxColumns: opts.MaxColumns,
		maxCell:    opts.MaxCell,
		maxBytes:   maxBytes,
		keep:       opts.MaxColumns + 1,
	}
	if err := s.readHeader(); err != nil {
		return nil, err
	}
	s.keep = max(opts.MaxColumns, len(s.header))
	return s, nil
}

// readHeader reads the first non-blank row as the header.
func (s *xlsxSource) readHeader() error {
	for {
		ok, err := s.readRow()
		if err != nil {
			return err
		}
		if !ok {
			return &Error{Msg: "The sheet " + strconv.Quote(s.name) + " is empty."}
		}
		if s.busy > 0 || s.problem != "" {
			break
		}
	}
	if s.busy > s.maxColumns {
		return &Error{Msg: "The sheet " + strconv.Quote(s.name) + " has " + formatInt(s.busy) + " columns; Folio reads at most " + formatInt(s.maxColumns) + "."}
	}
	if s.problem != "" {
		return &Error{Msg: "The header row (row " + formatInt(s.row) + ") cannot be read: " + s.problem + "."}
	}
	fields := s.fields(s.busy)
	for i, f := range fields {
		fields[i] = strings.TrimSpace(f)
	}
	s.header = fields
	return nil
}

// Header returns the header row.
func (s *xlsxSource) Header() []string { return s.header }

// Meta returns what was detected.
func (s *xlsxSource) Meta() Meta { return s.meta }

// Progress returns the bytes of the sheet's XML read so far and in all.
func (s *xlsxSource) Progress() (done, total int64) {
	return min(s.part.n.Load(), s.part.size), s.part.size
}

// Close closes the file.
func (s *xlsxSource) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	return s.f.Close()
}

// Next returns the next non-blank row.
func (s *xlsxSource) Next() (Record, error) {
	if s.closed {
		return Record{}, errClosed
	}
	for {
		ok, err := s.readRow()
		if err != nil {
			return Record{}, err
		}
		if !ok {
			return Record{}, io.EOF
		}
		if s.busy == 0 && s.problem == "" {
			continue
		}
		rec := Record{Line: s.row}
		switch {
		case s.problem != "":
			rec.Err = &Error{Msg: "row " + formatInt(s.row) + ": " + s.problem}
		case s.busy > len(s.header):
			rec.Err = &Error{Msg: "row " + formatInt(s.row) + " has a value in column " + columnLetters(s.busy-1) + ", but the header has only " + count(len(s.header), "column") + " (A to " + columnLetters(len(s.header)-1) + ")"}
		}
		if rec.Err != nil {
			rec.Fields = s.fields(max(min(s.busy, s.keep), len(s.header)))
		} else {
			rec.Fields = s.fields(len(s.header))
		}
		return rec, nil
	}
}

// fields returns the row's first n values.
func (s *xlsxSource) fields(n int) []string {
	out := make([]string, n)
	str := string(s.buf)
	valid := utf8.ValidString(str)
	for _, c := range s.cells {
		if c.col < n {
			out[c.col] = str[c.start:c.end]
			if !valid {
				out[c.col] = strings.ToValidUTF8(out[c.col], "\uFFFD")
			}
		}
	}
	return out
}

// readRow reads the next <row>. It returns false after the sheet's data.
func (s *xlsxSource) readRow() (bool, error) {
	sc := s.sc
	for !s.done {
		kind, err := sc.next()
		if err != nil {
			return false, partError(err)
		}
		switch kind {
		case tokEOF:
			s.done = true
			if s.inData {
				return false, partError(errMalformed) // cut short
			}
		case tokStart:
			switch string(sc.name) {
			case "sheetData":
				s.inData = !sc.empty
				s.done = sc.empty
			case "row":
				if !s.inData {
					continue
				}
				s.row = rowNumber(sc, s.row)
				s.buf = s.buf[:0]
				s.cells = s.cells[:0]
				s.busy = 0
				s.problem = ""
				if sc.empty {
					return true, nil
				}
				return true, s.readCells()
			}
		case tokEnd:
			if string(sc.name) == "sheetData" {
				s.done = true
				s.inData = false
			}
		}
	}
	return false, nil
}

// rowNumber returns the r attribute of a <row>, or the one after prev.
func rowNumber(sc *xmlScanner, prev int) int {
	if v, ok := sc.attr("r"); ok {
		if n, err := strconv.Atoi(string(v)); err == nil && n > 0 {
			return n
		}
	}
	return prev + 1
}

// cellState collects what a <c> holds.
type cellState struct {
	col     int
	typ     string
	style   int
	hasV    bool
	capture bool // character data goes to the value
	inline  bool // inside <is>
	ph      int  // depth of phonetic runs (<rPh>)
}

// readCells reads the cells of a row up to its </row>.
func (s *xlsxSource) readCells() error {
	sc := s.sc
	col := -1
	var c cellState
	inCell := false
	for {
		kind, err := sc.next()
		if err != nil {
			return partError(err)
		}
		switch kind {
		case tokEOF:
			s.done = true
			return partError(errMalformed) // cut short
		case tokText:
			if inCell && c.capture {
				s.appendVal(sc.text, sc.extra)
			}
		case tokStart:
			switch string(sc.name) {
			case "c":
				col = cellColumn(sc, col)
				c = cellState{col: col}
				if t, ok := sc.attr("t"); ok {
					c.typ = string(t)
				}
				if v, ok := sc.attr("s"); ok {
					c.style, _ = strconv.Atoi(string(v))
				}
				s.val = s.val[:0]
				s.valLong = 0
				inCell = !sc.empty
			case "v":
				if inCell && !c.inline {
					c.hasV, c.capture = true, !sc.empty
				}
			case "is":
				c.inline = inCell && !sc.empty
			case "t":
				c.capture = inCell && c.inline && c.ph == 0 && !sc.empty
			case "rPh":
				if !sc.empty {
					c.ph++
				}
			}
		case tokEnd:
			switch string(sc.name) {
			case "v", "t":
				c.capture = false
			case "is":
				c.inline = false
			case "rPh":
				c.ph = max(c.ph-1, 0)
			case "c":
				if inCell {
					s.addCell(&c)
				}
				inCell = false
			case "row":
				s.sortCells()
				return nil
			case "sheetData":
				s.done = true
				s.inData = false
				s.sortCells()
				return nil
			}
		}
	}
}

// cellColumn returns the 0-based column of a <c> from its r attribute
// ("C7" → 2), or the one after prev when r is missing or unreadable.
func cellColumn(sc *xmlScanner, prev int) int {
	v, ok := sc.attr("r")
	if !ok {
		return prev + 1
	}
	col, letters := 0, 0
	for letters < len(v) {
		ch := v[letters] | 0x20 // lower case
		if ch < 'a' || ch > 'z' {
			break
		}
		col = col*26 + int(ch-'a') + 1
		if col > maxSheetColumns {
			return maxSheetColumns // past Excel's last column
		}
		letters++
	}
	if letters == 0 {
		return prev + 1
	}
	return col - 1
}

// appendVal adds character data to the current cell's value.
func (s *xlsxSource) appendVal(b []byte, extra int) {
	if room := s.maxBytes - len(s.val); len(b) > room {
		room = max(room, 0)
		s.valLong += utf8.RuneCount(b[room:])
		b = b[:room]
	}
	s.val = append(s.val, b...)
	s.valLong += extra
}

// addCell converts the finished cell to text and adds it to the row.
func (s *xlsxSource) addCell(c *cellState) {
	start := len(s.buf)
	v := s.val
	long := s.valLong
	switch c.typ {
	case "s":
		i, err := strconv.Atoi(string(trimSpaceBytes(v)))
		if err != nil || i < 0 || i >= s.wb.sst.len() {
			if len(trimSpaceBytes(v)) > 0 {
				s.cellProblem(c.col, "refers to a shared text that the workbook does not hold; the workbook may be damaged")
			}
			break
		}
		str, n := s.wb.sst.get(i)
		s.buf = append(s.buf, str...)
		long = n
	case "inlineStr", "str":
		s.buf = append(s.buf, decodeXString(v)...)
	case "b":
		switch string(trimSpaceBytes(v)) {
		case "1", "true", "TRUE":
			s.buf = append(s.buf, "TRUE"...)
		case "0", "false", "FALSE":
			s.buf = append(s.buf, "FALSE"...)
		default:
			s.buf = append(s.buf, v...)
		}
	case "e":
		// An error value such as #DIV/0! reads as blank.
	case "d":
		s.buf = appendISODate(s.buf, v)
	case "", "n":
		if !c.hasV {
			break
		}
		if class := s.styleClass(c.style); class != classNumber {
			if f, err := strconv.ParseFloat(string(trimSpaceBytes(v)), 64); err == nil {
				if out, ok := appendSerial(s.buf, f, class, s.wb.date1904); ok {
					s.buf = out
					break
				}
			}
		}
		s.buf = appendNumber(s.buf, v)
	default:
		s.buf = append(s.buf, v...)
	}
	if len(s.buf)-start > s.maxCell || long > 0 {
		n := long
		if n == 0 || c.typ != "s" {
			n = utf8.RuneCount(s.buf[start:]) + long
		}
		if n > s.maxCell {
			s.cellProblem(c.col, "holds "+formatInt(n)+" characters; a cell may hold at most "+formatInt(s.maxCell))
		}
	}
	if blank(s.buf[start:]) {
		s.buf = s.buf[:start]
		return
	}
	s.busy = max(s.busy, c.col+1)
	if c.col >= s.keep {
		s.buf = s.buf[:start]
		return
	}
	s.cells = append(s.cells, xcell{col: c.col, start: start, end: len(s.buf)})
}

// cellProblem records the row's first cell problem.
func (s *xlsxSource) cellProblem(col int, what string) {
	if s.problem == "" {
		s.problem = columnLabel(col, s.header, true) + " " + what
	}
}

// styleClass returns the format class of cell style i.
func (s *xlsxSource) styleClass(i int) byte {
	if i >= 0 && i < len(s.wb.styles) {
		return s.wb.styles[i]
	}
	return classNumber
}

// sortCells orders the row's cells by column; with duplicates, the last
// one read wins.
func (s *xlsxSource) sortCells() {
	if slices.IsSortedFunc(s.cells, func(a, b xcell) int { return a.col - b.col }) {
		return
	}
	slices.SortStableFunc(s.cells, func(a, b xcell) int { return a.col - b.col })
}
