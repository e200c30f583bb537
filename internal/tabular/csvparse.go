package tabular

import (
	"io"
	"unicode/utf8"
)

// CSV parser buffer sizes.
const (
	csvBufSize = 64 << 10
	// maxLeadingSpaces is how far a field's leading spaces are looked
	// through for an opening quote.
	maxLeadingSpaces = 64
)

// problemKind is a structural problem that breaks a CSV record.
type problemKind int

const (
	probNone           problemKind = iota
	probBareQuote                  // a quote inside a value not enclosed in quotes
	probTextAfterQuote             // text after the closing quote of a quoted value
	probUnclosed                   // a quoted value not closed before the end of the file
	probLongQuoted                 // a quoted value that spans lines and is too long
)

// problem describes a structural problem of the record being read.
type problem struct {
	kind  problemKind
	col   int // 0-based field
	line  int // physical line where it was found
	open  int // line where the quoted value opened
	runes int // probLongQuoted: characters in the value
}

// fieldEnd tells how a field ended.
type fieldEnd int

const (
	endNext    fieldEnd = iota // a delimiter: another field follows
	endLine                    // a line break: the record is complete
	endEOF                     // the end of the input: the record is complete
	endProblem                 // a structural problem, in csvParser.prob
)

// csvParser splits decoded UTF-8 text into records. It follows RFC 4180
// (quoted values with doubled quotes and line breaks inside) and accepts
// CRLF, LF and CR line breaks, spaces before an opening quote and after a
// closing one. It keeps at most maxBytes bytes of a value and maxFields
// values of a record, counting what it drops, so memory stays bounded
// whatever the input.
type csvParser struct {
	r        io.Reader
	buf      []byte
	pos, end int  // unread input is buf[pos:end]
	mark     int  // start of the current record in buf, or -1 when dropped
	rewind   int  // the most bytes of a record kept so that reading can go back
	eof      bool // r is exhausted
	rerr     error
	line     int // physical line of buf[pos]
	delim    byte
	stop     [256]bool // bytes that end a run of unquoted text

	maxCell   int // characters a value may hold
	maxBytes  int // bytes of a value kept
	maxFields int // values of a record kept

	// The record being read.
	startLine int
	rec       []byte // kept values, concatenated
	ends      []int  // end of each kept value in rec
	nfields   int    // values seen, kept or not
	fieldLen  int    // bytes of the current value seen
	dropped   int    // characters of the current value not kept
	lastBusy  int    // 1 + index of the last non-blank value not kept
	longCol   int    // first kept value with more than maxCell characters, or -1
	longRunes int
	prob      problem
	rewound   bool // after prob, reading went back to the line after startLine
}

// newCSVParser returns a parser of r.
func newCSVParser(r io.Reader, delim byte, maxCell, maxFields, rewind int) *csvParser {
	p := &csvParser{
		r:         r,
		buf:       make([]byte, csvBufSize),
		mark:      -1,
		rewind:    max(rewind, csvBufSize),
		line:      1,
		delim:     delim,
		maxCell:   maxCell,
		maxBytes:  4*maxCell + 4,
		maxFields: maxFields,
	}
	for _, c := range []byte{delim, '"', '\n', '\r'} {
		p.stop[c] = true
	}
	return p
}

// fill reads more input after buf[end], keeping the current record when
// it can. It reports whether any byte was added.
func (p *csvParser) fill() bool {
	if p.eof {
		return false
	}
	if free := len(p.buf) - p.end; free < len(p.buf)/4 {
		keep := p.pos
		if p.mark >= 0 && p.mark < keep {
			keep = p.mark
		}
		p.compact(keep)
		if len(p.buf)-p.end < len(p.buf)/2 {
			if len(p.buf) < p.rewind {
				nb := make([]byte, min(2*len(p.buf), p.rewind))
				copy(nb, p.buf[:p.end])
				p.buf = nb
			} else if p.mark >= 0 {
				// The record is too long to go back to its start.
				p.mark = -1
				p.compact(p.pos)
			}
		}
	}
	for range 100 {
		n, err := p.r.Read(p.buf[p.end:])
		p.end += n
		if err != nil {
			if err != io.EOF {
				p.rerr = err
			}
			p.eof = true
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	p.rerr = io.ErrNoProgress
	p.eof = true
	return false
}

// compact moves buf[keep:end] to the front of buf.
func (p *csvParser) compact(keep int) {
	if keep <= 0 {
		return
	}
	p.end = copy(p.buf, p.buf[keep:p.end])
	p.pos -= keep
	if p.mark >= 0 {
		p.mark -= keep
	}
}

// more makes sure buf[pos] exists, reading if needed. It reports false at
// the end of the input.
func (p *csvParser) more() bool {
	return p.pos < p.end || p.fill()
}

// resetRecord forgets the previous record.
func (p *csvParser) resetRecord() {
	p.clearValues()
	p.longRunes = 0
	p.prob = problem{}
	p.rewound = false
}

// clearValues forgets the values read for the current record.
func (p *csvParser) clearValues() {
	p.rec = p.rec[:0]
	p.ends = p.ends[:0]
	p.nfields = 0
	p.fieldLen = 0
	p.dropped = 0
	p.lastBusy = 0
	p.longCol = -1
}

// next reads the next record. It returns false at the end of the input
// (or on a read error, in rerr). After a structural problem (prob.kind !=
// probNone), the record's values are those of its first line, split
// leniently, and reading goes on with the line after its start.
func (p *csvParser) next() bool {
	p.resetRecord()
	if !p.more() {
		return false
	}
	p.mark = p.pos
	p.startLine = p.line
	for {
		var end fieldEnd
		switch {
		case !p.more():
			p.endField()
			end = endEOF
		case p.buf[p.pos] == '"' || p.buf[p.pos] == ' ' && p.delim != ' ' && p.quoteAfterSpaces():
			end = p.quotedField()
		default:
			end = p.unquotedField()
		}
		switch end {
		case endNext:
			continue
		case endProblem:
			p.recover()
		}
		p.mark = -1
		return true
	}
}

// quoteAfterSpaces reports whether the spaces at pos are followed by a
// quote.
func (p *csvParser) quoteAfterSpaces() bool {
	for off := 0; off < maxLeadingSpaces; off++ {
		if p.pos+off >= p.end && !p.fill() {
			return false
		}
		switch p.buf[p.pos+off] {
		case ' ':
		case '"':
			return true
		default:
			return false
		}
	}
	return false
}

// unquotedField reads a value not enclosed in quotes.
func (p *csvParser) unquotedField() fieldEnd {
	for {
		buf, i, end := p.buf, p.pos, p.end
		for i < end && !p.stop[buf[i]] {
			i++
		}
		p.appendField(buf[p.pos:i])
		p.pos = i
		if i == end {
			if !p.fill() {
				p.endField()
				return endEOF
			}
			continue
		}
		switch buf[i] {
		case p.delim:
			p.pos++
			p.endField()
			return endNext
		case '\n', '\r':
			p.lineBreak()
			p.endField()
			return endLine
		default: // '"'
			p.prob = problem{kind: probBareQuote, col: p.nfields, line: p.line}
			return endProblem
		}
	}
}

// quotedField reads a value enclosed in quotes, after any leading spaces.
func (p *csvParser) quotedField() fieldEnd {
	for p.buf[p.pos] == ' ' {
		p.pos++ // quoteAfterSpaces has checked that a quote follows
	}
	p.pos++
	open := p.line
	last := p.line // the last line with any of the value on it
	for {
		buf, i, end := p.buf, p.pos, p.end
		for i < end && buf[i] != '"' && buf[i] != '\n' && buf[i] != '\r' {
			i++
		}
		if i > p.pos {
			last = p.line
		}
		p.appendField(buf[p.pos:i])
		p.pos = i
		if i == end {
			if !p.fill() {
				p.prob = problem{kind: probUnclosed, col: p.nfields, line: last, open: open}
				return endProblem
			}
			continue
		}
		if buf[i] != '"' {
			p.lineBreak()
			p.appendField([]byte{'\n'})
			continue
		}
		// A quote: doubled, closing, or stray.
		p.pos++
		closed := p.line
		if !p.more() {
			return p.endQuoted(open, closed, endEOF)
		}
		if p.buf[p.pos] == '"' {
			p.appendField(p.buf[p.pos : p.pos+1])
			p.pos++
			continue
		}
		// Spaces may follow the closing quote.
		for p.buf[p.pos] != p.delim && (p.buf[p.pos] == ' ' || p.buf[p.pos] == '\t') {
			p.pos++
			if !p.more() {
				return p.endQuoted(open, closed, endEOF)
			}
		}
		switch p.buf[p.pos] {
		case p.delim:
			p.pos++
			return p.endQuoted(open, closed, endNext)
		case '\n', '\r':
			p.lineBreak()
			return p.endQuoted(open, closed, endLine)
		}
		p.prob = problem{kind: probTextAfterQuote, col: p.nfields, line: p.line, open: open}
		return endProblem
	}
}

// endQuoted ends a quoted value that opened on line open and closed on
// line closed. A value that spans lines and is too long most likely lost
// its closing quote, so it is a structural problem rather than just a long
// value.
func (p *csvParser) endQuoted(open, closed int, end fieldEnd) fieldEnd {
	col := p.nfields
	p.endField()
	if p.longCol == col && closed > open {
		p.prob = problem{kind: probLongQuoted, col: col, line: closed, open: open, runes: p.longRunes}
		return endProblem
	}
	return end
}

// lineBreak consumes a line break (CRLF, LF or CR) at pos.
func (p *csvParser) lineBreak() {
	c := p.buf[p.pos]
	p.pos++
	p.line++
	if c == '\r' && p.more() && p.buf[p.pos] == '\n' {
		p.pos++
	}
}

// appendField adds b to the current value, keeping at most maxBytes bytes
// of it and counting the characters dropped.
func (p *csvParser) appendField(b []byte) {
	if len(b) == 0 {
		return
	}
	p.fieldLen += len(b)
	if p.nfields >= p.maxFields {
		if p.lastBusy <= p.nfields && !blank(b) {
			p.lastBusy = p.nfields + 1
		}
		return
	}
	kept := p.fieldLen - len(b)
	if room := p.maxBytes - kept; len(b) > room {
		room = max(room, 0)
		p.dropped += utf8.RuneCount(b[room:])
		b = b[:room]
	}
	p.rec = append(p.rec, b...)
}

// endField ends the current value.
func (p *csvParser) endField() {
	if p.nfields < p.maxFields {
		start := 0
		if n := len(p.ends); n > 0 {
			start = p.ends[n-1]
		}
		p.ends = append(p.ends, len(p.rec))
		if p.fieldLen > p.maxCell && p.longCol < 0 {
			if n := utf8.RuneCount(p.rec[start:]) + p.dropped; n > p.maxCell {
				p.longCol = p.nfields
				p.longRunes = n
			}
		}
	}
	p.nfields++
	p.fieldLen = 0
	p.dropped = 0
}

// recover handles a structural problem. When the record's start is still
// in memory, its first line is split leniently into the record's values
// and reading goes on with the next line; otherwise the values read so far
// are kept and the rest of the current line is skipped.
func (p *csvParser) recover() {
	if p.mark >= 0 {
		p.rewound = true
		p.pos = p.mark
		p.line = p.startLine
		p.clearValues()
		p.lenientLine()
		return
	}
	p.endField() // the partial value
	for p.more() {
		if c := p.buf[p.pos]; c == '\n' || c == '\r' {
			p.lineBreak()
			return
		}
		p.pos++
	}
}

// lenientLine splits the physical line at pos into values, treating
// quotes loosely: a quote at the start of a value opens a quoted part,
// which the next single quote closes. If a quoted part is still open at
// the end of the line, the line is split again with quotes taken
// literally. It consumes the line with its line break.
func (p *csvParser) lenientLine() {
	if open := p.splitLine(true); open && p.mark >= 0 {
		p.pos = p.mark
		p.line = p.startLine
		p.rec = p.rec[:0]
		p.ends = p.ends[:0]
		p.nfields = 0
		p.fieldLen = 0
		p.dropped = 0
		p.splitLine(false)
	}
}

// splitLine is lenientLine's splitting, with or without quoted parts. It
// reports whether a quoted part was left open.
func (p *csvParser) splitLine(quotes bool) (open bool) {
	quoted, atStart := false, true
	for p.more() {
		c := p.buf[p.pos]
		switch {
		case c == '\n' || c == '\r':
			p.lineBreak()
			p.endField()
			return quoted
		case quotes && c == '"' && atStart:
			quoted = true
		case quotes && c == '"' && quoted:
			if p.pos+1 < p.end && p.buf[p.pos+1] == '"' {
				p.appendField(p.buf[p.pos : p.pos+1])
				p.pos++
			} else {
				quoted = false
			}
		case c == p.delim && !quoted:
			p.endField()
			atStart = true
			p.pos++
			continue
		default:
			p.appendField(p.buf[p.pos : p.pos+1])
		}
		atStart = false
		p.pos++
	}
	p.endField()
	return quoted
}

// skipLine consumes the rest of the current physical line.
func (p *csvParser) skipLine() {
	for p.more() {
		if c := p.buf[p.pos]; c == '\n' || c == '\r' {
			p.lineBreak()
			return
		}
		p.pos++
	}
}

// fields returns the kept values of the record as strings sharing one
// allocation.
func (p *csvParser) fields() []string {
	s := string(p.rec)
	out := make([]string, len(p.ends))
	start := 0
	for i, e := range p.ends {
		out[i] = s[start:e]
		start = e
	}
	return out
}

// lastNonBlank returns 1 + the index of the record's last non-blank value.
func (p *csvParser) lastNonBlank() int {
	last := p.lastBusy
	start := 0
	busy := 0
	for i, e := range p.ends {
		if !blank(p.rec[start:e]) {
			busy = i + 1
		}
		start = e
	}
	return max(last, busy)
}

// blank reports whether b holds only spaces, tabs and line breaks.
func blank(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			return false
		}
	}
	return true
}
