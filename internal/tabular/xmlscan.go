package tabular

import (
	"bytes"
	"errors"
	"io"
	"strconv"
	"unicode/utf8"
)

// The XLSX reader uses this small streaming XML scanner rather than
// encoding/xml, which allocates for every token and reads a worksheet at
// about 25 MB/s — too slow for a million-row sheet. The scanner knows just
// enough XML for SpreadsheetML: elements and attributes (namespace
// prefixes dropped), text with the predefined and numeric character
// references, CDATA sections, comments and processing instructions. It
// refuses any document type declaration, and keeps at most maxText bytes
// of one piece of text, counting the characters it drops, so memory stays
// bounded whatever the input.

// tokenKind is the kind of an XML token.
type tokenKind int

const (
	tokEOF   tokenKind = iota
	tokStart           // a start tag, or an empty-element tag (xmlScanner.empty)
	tokEnd             // an end tag
	tokText            // character data, decoded into xmlScanner.text
)

// XML scanner errors.
var (
	errDoctype   = errors.New("xml: document type declaration")
	errMalformed = errors.New("xml: malformed document")
)

// Scanner buffer sizes.
const (
	xmlBufSize = 64 << 10
	maxTag     = 1 << 20 // the longest tag accepted
)

// xmlAttr is an attribute of a start tag, its value not yet decoded.
type xmlAttr struct {
	name, value []byte
}

// xmlScanner reads XML tokens from a stream.
type xmlScanner struct {
	r        io.Reader
	buf      []byte
	pos, end int // unread input is buf[pos:end]
	eof      bool
	rerr     error
	maxText  int

	// The current token. Its slices are valid until the next call to next.
	name  []byte // local name of a start or end tag
	attrs []xmlAttr
	empty bool   // the start tag is an empty-element tag: no end tag follows
	text  []byte // decoded character data, at most maxText bytes
	extra int    // characters of the character data beyond maxText

	scratch []byte
}

// newXMLScanner returns a scanner of r keeping at most maxText bytes of
// each piece of character data.
func newXMLScanner(r io.Reader, maxText int) *xmlScanner {
	return &xmlScanner{r: r, buf: make([]byte, xmlBufSize), maxText: maxText}
}

// fill reads more input, keeping buf[pos:end]. It reports whether any byte
// was added.
func (s *xmlScanner) fill() bool {
	if s.eof {
		return false
	}
	if s.pos > 0 && (s.pos == s.end || len(s.buf)-s.end < len(s.buf)/4) {
		s.end = copy(s.buf, s.buf[s.pos:s.end])
		s.pos = 0
	}
	if len(s.buf)-s.end < len(s.buf)/4 {
		if len(s.buf) >= maxTag+xmlBufSize {
			return false
		}
		nb := make([]byte, min(2*len(s.buf), maxTag+xmlBufSize))
		copy(nb, s.buf[:s.end])
		s.buf = nb
	}
	for range 100 {
		n, err := s.r.Read(s.buf[s.end:])
		s.end += n
		if err != nil {
			if err != io.EOF {
				s.rerr = err
			}
			s.eof = true
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	s.rerr = io.ErrNoProgress
	s.eof = true
	return false
}

// more makes sure buf[pos] exists, reporting false at the end of input.
func (s *xmlScanner) more() bool {
	return s.pos < s.end || s.fill()
}

// ensure makes sure n bytes from pos are in the buffer.
func (s *xmlScanner) ensure(n int) bool {
	for s.end-s.pos < n {
		if !s.fill() {
			return false
		}
	}
	return true
}

// next reads the next token.
func (s *xmlScanner) next() (tokenKind, error) {
	for {
		if !s.more() {
			return tokEOF, s.rerr
		}
		if s.buf[s.pos] != '<' {
			s.readText()
			return tokText, s.rerr
		}
		if !s.ensure(2) {
			return tokEOF, s.malformed()
		}
		switch s.buf[s.pos+1] {
		case '?':
			if err := s.skipPast("?>"); err != nil {
				return tokEOF, err
			}
			continue
		case '!':
			s.ensure(9)
			rest := s.buf[s.pos:s.end]
			switch {
			case bytes.HasPrefix(rest, []byte("<!--")):
				if err := s.skipPast("-->"); err != nil {
					return tokEOF, err
				}
				continue
			case bytes.HasPrefix(rest, []byte("<![CDATA[")):
				s.pos += 9
				return tokText, s.readCDATA()
			}
			if head := bytes.ToUpper(rest[:min(len(rest), 9)]); bytes.HasPrefix(head, []byte("<!DOCTYPE")) || bytes.HasPrefix(head, []byte("<!ENTITY")) {
				return tokEOF, errDoctype
			}
			return tokEOF, errMalformed
		case '/':
			gt, err := s.tagEnd()
			if err != nil {
				return tokEOF, err
			}
			s.name = localName(trimSpaceBytes(s.buf[s.pos+2 : gt]))
			s.pos = gt + 1
			return tokEnd, nil
		}
		gt, err := s.tagEnd()
		if err != nil {
			return tokEOF, err
		}
		s.startTag(s.buf[s.pos+1 : gt])
		s.pos = gt + 1
		return tokStart, nil
	}
}

// malformed returns the error for input that ends in the middle of markup.
func (s *xmlScanner) malformed() error {
	if s.rerr != nil {
		return s.rerr
	}
	return errMalformed
}

// tagEnd returns the index in buf of the '>' that ends the tag at pos,
// reading more input if needed.
func (s *xmlScanner) tagEnd() (int, error) {
	off := 1
	var quote byte
	for {
		buf := s.buf[s.pos:s.end]
		for ; off < len(buf); off++ {
			c := buf[off]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
			case c == '>':
				return s.pos + off, nil
			}
		}
		if off >= maxTag || !s.fill() {
			return 0, s.malformed()
		}
	}
}

// startTag parses the inside of a start tag: name and attributes.
func (s *xmlScanner) startTag(b []byte) {
	s.empty = false
	if n := len(b); n > 0 && b[n-1] == '/' {
		s.empty = true
		b = b[:n-1]
	}
	i := 0
	for i < len(b) && !isSpace(b[i]) {
		i++
	}
	s.name = localName(b[:i])
	s.attrs = s.attrs[:0]
	for {
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			return
		}
		start := i
		for i < len(b) && b[i] != '=' && !isSpace(b[i]) {
			i++
		}
		name := b[start:i]
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) || b[i] != '=' {
			return
		}
		i++
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) || b[i] != '"' && b[i] != '\'' {
			return
		}
		q := b[i]
		i++
		start = i
		for i < len(b) && b[i] != q {
			i++
		}
		s.attrs = append(s.attrs, xmlAttr{name: name, value: b[start:min(i, len(b))]})
		i++
	}
}

// attr returns the decoded value of the current start tag's attribute
// with the given local name, and whether it is there. The value is valid
// until the next call to next or attr.
func (s *xmlScanner) attr(name string) ([]byte, bool) {
	for _, a := range s.attrs {
		if string(localName(a.name)) == name {
			if bytes.IndexByte(a.value, '&') < 0 {
				return a.value, true
			}
			s.scratch = appendUnescaped(s.scratch[:0], a.value)
			return s.scratch, true
		}
	}
	return nil, false
}

// prefixedAttr is like attr, but only matches an attribute with a
// namespace prefix, such as r:id.
func (s *xmlScanner) prefixedAttr(name string) (string, bool) {
	for _, a := range s.attrs {
		if i := bytes.IndexByte(a.name, ':'); i >= 0 && string(a.name[i+1:]) == name {
			return string(appendUnescaped(nil, a.value)), true
		}
	}
	return "", false
}

// readText reads character data up to the next '<'.
func (s *xmlScanner) readText() {
	s.text = s.text[:0]
	s.extra = 0
	for s.more() {
		buf := s.buf[s.pos:s.end]
		seg := buf
		lt := bytes.IndexByte(buf, '<')
		if lt >= 0 {
			seg = buf[:lt]
		}
		if amp := bytes.IndexByte(seg, '&'); amp >= 0 {
			s.appendText(seg[:amp])
			s.pos += amp
			s.ensure(12)
			r, n := decodeRef(s.buf[s.pos:s.end])
			if n == 0 {
				s.appendText([]byte{'&'})
				s.pos++
			} else {
				var tmp [utf8.UTFMax]byte
				s.appendText(tmp[:utf8.EncodeRune(tmp[:], r)])
				s.pos += n
			}
			continue
		}
		s.appendText(seg)
		s.pos += len(seg)
		if lt >= 0 {
			return
		}
	}
}

// readCDATA reads a CDATA section after its "<![CDATA[".
func (s *xmlScanner) readCDATA() error {
	s.text = s.text[:0]
	s.extra = 0
	for {
		buf := s.buf[s.pos:s.end]
		if i := bytes.Index(buf, []byte("]]>")); i >= 0 {
			s.appendText(buf[:i])
			s.pos += i + 3
			return nil
		}
		if keep := 2; len(buf) > keep {
			s.appendText(buf[:len(buf)-keep])
			s.pos += len(buf) - keep
		}
		if !s.fill() {
			return s.malformed()
		}
	}
}

// skipPast skips input up to and including seq.
func (s *xmlScanner) skipPast(seq string) error {
	for {
		buf := s.buf[s.pos:s.end]
		if i := bytes.Index(buf, []byte(seq)); i >= 0 {
			s.pos += i + len(seq)
			return nil
		}
		if keep := len(seq) - 1; len(buf) > keep {
			s.pos += len(buf) - keep
		}
		if !s.fill() {
			return s.malformed()
		}
	}
}

// appendText adds b to the current character data, keeping at most
// maxText bytes and counting the characters dropped.
func (s *xmlScanner) appendText(b []byte) {
	if room := s.maxText - len(s.text); len(b) > room {
		room = max(room, 0)
		s.extra += utf8.RuneCount(b[room:])
		b = b[:room]
	}
	s.text = append(s.text, b...)
}

// localName strips a namespace prefix.
func localName(b []byte) []byte {
	if i := bytes.LastIndexByte(b, ':'); i >= 0 {
		return b[i+1:]
	}
	return b
}

// isSpace reports whether c is XML white space.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n'
}

// decodeRef decodes the character or entity reference at the start of b
// ("&amp;", "&#233;", "&#xE9;"). It returns n == 0 when b does not start
// with a reference it knows.
func decodeRef(b []byte) (r rune, n int) {
	semi := bytes.IndexByte(b[:min(len(b), 12)], ';')
	if len(b) < 3 || b[0] != '&' || semi < 0 {
		return 0, 0
	}
	name := b[1:semi]
	switch string(name) {
	case "lt":
		return '<', semi + 1
	case "gt":
		return '>', semi + 1
	case "amp":
		return '&', semi + 1
	case "quot":
		return '"', semi + 1
	case "apos":
		return '\'', semi + 1
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, 0
	}
	var v uint64
	var err error
	if name[1] == 'x' || name[1] == 'X' {
		v, err = strconv.ParseUint(string(name[2:]), 16, 32)
	} else {
		v, err = strconv.ParseUint(string(name[1:]), 10, 32)
	}
	if err != nil || v > utf8.MaxRune {
		return 0, 0
	}
	r = rune(v)
	if !utf8.ValidRune(r) || r == 0 {
		r = utf8.RuneError
	}
	return r, semi + 1
}

// appendUnescaped appends b to dst with its references decoded.
func appendUnescaped(dst, b []byte) []byte {
	for len(b) > 0 {
		amp := bytes.IndexByte(b, '&')
		if amp < 0 {
			return append(dst, b...)
		}
		dst = append(dst, b[:amp]...)
		b = b[amp:]
		r, n := decodeRef(b)
		if n == 0 {
			dst = append(dst, '&')
			b = b[1:]
			continue
		}
		dst = utf8.AppendRune(dst, r)
		b = b[n:]
	}
	return dst
}
