package tabular

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime/quotedprintable"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/htmlindex"
)

// The vCard reader has its own parser rather than go-vcard's Decoder,
// which reads a card's lines without their numbers, holds a whole folded
// PHOTO in memory, and silently skips lines it cannot parse and a missing
// END:VCARD — where Folio must name the line of each broken card and go on
// with the next one.

// Columns of a vCard source, in order.
const (
	vcKind = iota
	vcFullName
	vcPrefix
	vcFirstName
	vcMiddleName
	vcLastName
	vcSuffix
	vcNickname
	vcEntityName
	vcEmployer
	vcOccupation
	vcEmail
	vcEmail2
	vcEmail3
	vcPhone
	vcMobilePhone
	vcWorkPhone
	vcHomePhone
	vcFax
	vcAddressLine1
	vcAddressLine2
	vcCity
	vcRegion
	vcPostalCode
	vcCountry
	vcBirthDate
	vcWebsite
	vcLinkedIn
	vcTags
	vcExternalID
	vcColumns
)

// VCardHeader returns the fixed header of a vCard source: the column each
// card's values are mapped to.
func VCardHeader() []string {
	return []string{
		"kind", "full_name", "prefix", "first_name", "middle_name", "last_name", "suffix", "nickname",
		"entity_name", "employer", "occupation", "email", "email_2", "email_3",
		"phone", "mobile_phone", "work_phone", "home_phone", "fax",
		"address_line1", "address_line2", "city", "region", "postal_code", "country",
		"birth_date", "website", "linkedin", "tags", "external_id",
	}
}

// maxCardBytes is the most bytes of property values of one card kept; a
// larger card is rejected.
const maxCardBytes = 4 << 20

// vcardSource reads a vCard file, one record per card.
type vcardSource struct {
	f       *os.File
	count   *countingReader
	size    int64
	lines   *vcardLines
	header  []string
	meta    Meta
	maxCell int
	closed  bool

	inCard   bool
	card     card
	junk     int  // line of text outside any card to report, or 0
	junkSeen bool // text outside cards has been reported since the last card
}

// card is a card being read.
type card struct {
	line    int // line of BEGIN:VCARD
	props   []vprop
	size    int    // bytes of the values in props
	problem string // the first problem, without the line prefix
}

// vprop is a property of a card.
type vprop struct {
	name   string // upper case, without group
	params []vparam
	value  string // as written, escapes not yet removed
	line   int
}

// vparam is a property parameter.
type vparam struct {
	key  string // upper case
	vals []string
}

// openVCard opens a text file as vCard and finds its first card.
func openVCard(f *os.File, size int64, head []byte, opts Options) (Source, error) {
	enc := detectEncoding(head, opts.Encoding)
	if !enc.isUTF16() && bytes.IndexByte(head, 0) >= 0 {
		return nil, nulError(head, "vCard")
	}
	count := &countingReader{r: f}
	s := &vcardSource{
		f:       f,
		count:   count,
		size:    size,
		lines:   newVCardLines(enc.reader(count), 4*opts.MaxCell+4096),
		header:  VCardHeader(),
		meta:    Meta{Format: FormatVCard, Encoding: enc.name},
		maxCell: opts.MaxCell,
	}
	if err := s.findFirst(); err != nil {
		return nil, err
	}
	return s, nil
}

// findFirst reads up to the first BEGIN:VCARD.
func (s *vcardSource) findFirst() error {
	for {
		l, ok := s.lines.next()
		if !ok {
			if s.lines.rerr != nil {
				return fmt.Errorf("tabular: read vCard: %w", s.lines.rerr)
			}
			if s.junk == 0 {
				return errEmpty()
			}
			return &Error{Msg: "The file holds no contacts in vCard format: no line says BEGIN:VCARD."}
		}
		text := trimSpaceBytes(l.text)
		switch {
		case isMarker(text, "BEGIN"):
			s.inCard = true
			s.card = card{line: l.line}
			return nil
		case !ignorable(text) && s.junk == 0:
			s.junk = l.line
		}
	}
}

// Header returns the fixed vCard header.
func (s *vcardSource) Header() []string { return s.header }

// Meta returns what was detected.
func (s *vcardSource) Meta() Meta { return s.meta }

// Progress returns the bytes of the file read so far and its size.
func (s *vcardSource) Progress() (done, total int64) {
	return min(s.count.n.Load(), s.size), s.size
}

// Close closes the file.
func (s *vcardSource) Close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	return s.f.Close()
}

// Next returns the next card.
func (s *vcardSource) Next() (Record, error) {
	if s.closed {
		return Record{}, errClosed
	}
	if s.junk > 0 {
		line := s.junk
		s.junk = 0
		s.junkSeen = true
		return junkRecord(line), nil
	}
	for {
		l, ok := s.lines.next()
		if !ok {
			if s.lines.rerr != nil {
				return Record{}, fmt.Errorf("tabular: read vCard: %w", s.lines.rerr)
			}
			if s.inCard {
				s.inCard = false
				return s.reject("the card that starts here has no END:VCARD, so the file may be cut short"), nil
			}
			return Record{}, io.EOF
		}
		text := trimSpaceBytes(l.text)
		if len(text) == 0 && !l.skipped {
			continue
		}
		if !s.inCard {
			switch {
			case isMarker(text, "BEGIN"):
				s.inCard = true
				s.junkSeen = false
				s.card = card{line: l.line}
			case !ignorable(text) && !s.junkSeen:
				s.junkSeen = true
				return junkRecord(l.line), nil
			}
			continue
		}
		switch {
		case isMarker(text, "BEGIN"):
			rec := s.reject("the card that starts here has no END:VCARD before the next card begins on line " + formatInt(l.line))
			s.card = card{line: l.line}
			return rec, nil
		case isMarker(text, "END"):
			s.inCard = false
			rec := s.record()
			if rec.Err == nil && blankCard(rec.Fields) {
				continue
			}
			return rec, nil
		case l.skipped:
			continue
		}
		p, ok := parseProp(text)
		switch {
		case !ok:
			s.card.fail("line " + formatInt(l.line) + " of the card is not a vCard property: " + quoteSnippet(text))
		case l.long && usedProp(p.name):
			s.card.fail("its " + p.name + " value on line " + formatInt(l.line) + " holds more than " + formatInt(s.maxCell) + " characters, the most a value may hold")
		case usedProp(p.name):
			s.card.size += len(p.value)
			if s.card.size > maxCardBytes {
				s.card.fail("the card holds more than " + formatSize(maxCardBytes) + " of text, more than any contact needs")
				continue
			}
			p.line = l.line
			s.card.props = append(s.card.props, p)
		}
	}
}

// fail records the card's first problem.
func (c *card) fail(problem string) {
	if c.problem == "" {
		c.problem = problem
	}
}

// reject returns the current card as a rejected record.
func (s *vcardSource) reject(problem string) Record {
	s.card.fail(problem)
	return s.record()
}

// record maps the current card to a record.
func (s *vcardSource) record() Record {
	fields, problem := mapCard(&s.card, s.maxCell)
	rec := Record{Line: s.card.line, Fields: fields}
	if s.card.problem != "" {
		problem = s.card.problem
	}
	if problem != "" {
		rec.Err = &Error{Msg: "line " + formatInt(s.card.line) + ": " + problem}
	}
	return rec
}

// junkRecord is the rejected record for text outside any card.
func junkRecord(line int) Record {
	return Record{
		Line:   line,
		Fields: make([]string, vcColumns),
		Err:    &Error{Msg: "line " + formatInt(line) + ": this text is not part of any card; each card starts with BEGIN:VCARD and ends with END:VCARD"},
	}
}

// blankCard reports whether a card holds nothing but its kind.
func blankCard(fields []string) bool {
	for i, f := range fields {
		if i != vcKind && strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// isMarker reports whether line is "BEGIN:VCARD" or "END:VCARD" (what is
// "BEGIN" or "END"), in any case.
func isMarker(line []byte, what string) bool {
	name, value, ok := bytes.Cut(line, []byte{':'})
	return ok && bytes.EqualFold(trimSpaceBytes(name), []byte(what)) && bytes.EqualFold(trimSpaceBytes(value), []byte("VCARD"))
}

// ignorable reports whether text outside a card can be skipped silently:
// control characters such as the DOS end-of-file mark.
func ignorable(text []byte) bool {
	for _, c := range text {
		if c >= ' ' {
			return false
		}
	}
	return true
}

// quoteSnippet quotes the start of a line for a message.
func quoteSnippet(b []byte) string {
	s := string(b)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return fmt.Sprintf("%q", truncate(s, 40))
}

// usedProp reports whether a property is read into a record; others are
// skipped without being kept.
func usedProp(name string) bool {
	switch name {
	case "KIND", "X-ADDRESSBOOKSERVER-KIND", "X-ABSHOWAS", "FN", "N", "NICKNAME", "ORG", "TITLE", "ROLE",
		"EMAIL", "TEL", "ADR", "BDAY", "URL", "X-SOCIALPROFILE", "CATEGORIES", "UID":
		return true
	}
	return false
}

// binaryProp reports whether a property holds binary data (inline base64
// or a URI) that is skipped without being kept.
func binaryProp(name string) bool {
	switch name {
	case "PHOTO", "LOGO", "SOUND", "KEY":
		return true
	}
	return false
}

// vcardLines reads the logical (unfolded) lines of a vCard file, keeping
// at most max bytes of each.
type vcardLines struct {
	br   *bufio.Reader
	line int // physical lines read
	max  int
	buf  []byte
	rerr error
}

// vline is a logical line.
type vline struct {
	text    []byte // unfolded, without line breaks; valid until the next call
	line    int    // physical line where it starts
	long    bool   // cut short at max bytes
	skipped bool   // a binary property, skipped
}

// newVCardLines returns a reader of r's logical lines.
func newVCardLines(r io.Reader, max int) *vcardLines {
	return &vcardLines{br: bufio.NewReaderSize(r, 64<<10), max: max}
}

// physical appends the next physical line to dst when keep is set, up to
// max bytes in all. It reports whether the line was cut and whether there
// was a line.
func (v *vcardLines) physical(dst []byte, keep bool) ([]byte, bool, bool) {
	start := len(dst)
	cut, got := false, false
	for {
		chunk, err := v.br.ReadSlice('\n')
		got = got || len(chunk) > 0
		if keep {
			if room := v.max - len(dst); len(chunk) > room {
				chunk = chunk[:max(room, 0)]
				cut = true
			}
			dst = append(dst, chunk...)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			v.rerr = err
		}
		break
	}
	if !got {
		return dst, false, false
	}
	v.line++
	for len(dst) > start && (dst[len(dst)-1] == '\n' || dst[len(dst)-1] == '\r') {
		dst = dst[:len(dst)-1]
	}
	return dst, cut, true
}

// next returns the next logical line.
func (v *vcardLines) next() (vline, bool) {
	buf, cut, ok := v.physical(v.buf[:0], true)
	v.buf = buf
	if !ok {
		return vline{}, false
	}
	l := vline{line: v.line}
	name, params := propHead(buf)
	qp := bytes.Contains(bytes.ToUpper(params), []byte("QUOTED-PRINTABLE"))
	skip := binaryProp(name)
	if skip {
		v.buf = v.buf[:0]
	}
	for {
		b, err := v.br.Peek(1)
		if err != nil || len(b) == 0 {
			break
		}
		if b[0] == ' ' || b[0] == '\t' {
			v.br.Discard(1)
			var c bool
			v.buf, c, _ = v.physical(v.buf, !skip)
			cut = cut || c
			continue
		}
		if qp && !skip && len(v.buf) > 0 && v.buf[len(v.buf)-1] == '=' && !v.nextIsEnd() {
			v.buf = v.buf[:len(v.buf)-1]
			var c bool
			v.buf, c, _ = v.physical(v.buf, true)
			cut = cut || c
			continue
		}
		break
	}
	if skip {
		v.skipBase64()
		l.skipped = true
	}
	l.text = v.buf
	l.long = cut
	return l, true
}

// nextIsEnd reports whether the next line is END:VCARD.
func (v *vcardLines) nextIsEnd() bool {
	b, _ := v.br.Peek(9)
	return bytes.EqualFold(b, []byte("END:VCARD"))
}

// skipBase64 skips the unindented base64 lines that some vCard 2.1
// writers put after a PHOTO, up to the blank line that ends them.
func (v *vcardLines) skipBase64() {
	for {
		b, _ := v.br.Peek(4096)
		if len(b) == 0 {
			return
		}
		n := bytes.IndexByte(b, '\n')
		if n < 0 {
			n = len(b)
		}
		line := trimSpaceBytes(b[:n])
		if len(line) == 0 || !isBase64(line) {
			return
		}
		v.physical(nil, false)
	}
}

// isBase64 reports whether b holds only base64 characters.
func isBase64(b []byte) bool {
	for _, c := range b {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=') {
			return false
		}
	}
	return true
}

// propHead returns the upper-case name (without group) and the raw
// parameters of a property line.
func propHead(line []byte) (string, []byte) {
	i := bytes.IndexAny(line, ".;:")
	if i >= 0 && line[i] == '.' {
		line = line[i+1:]
		i = bytes.IndexAny(line, ";:")
	}
	if i < 0 {
		return "", nil
	}
	name := strings.ToUpper(string(trimSpaceBytes(line[:i])))
	if line[i] != ';' {
		return name, nil
	}
	rest := line[i:]
	if j := bytes.IndexByte(rest, ':'); j >= 0 {
		rest = rest[:j]
	}
	return name, rest
}

// parseProp parses a logical line into a property: [group.]NAME, then
// ;KEY=VALUE[,VALUE] parameters (or bare 2.1 ones such as ;WORK;PREF),
// then :value. It reports false for a line that is not a property.
func parseProp(line []byte) (vprop, bool) {
	s := string(line)
	i := strings.IndexAny(s, ".;:")
	if i >= 0 && s[i] == '.' {
		s = s[i+1:]
		i = strings.IndexAny(s, ";:")
	}
	if i <= 0 {
		return vprop{}, false
	}
	name := strings.ToUpper(strings.TrimSpace(s[:i]))
	if !validName(name) {
		return vprop{}, false
	}
	p := vprop{name: name}
	s = s[i:]
	for len(s) > 0 && s[0] == ';' {
		s = s[1:]
		j := 0
		for j < len(s) && s[j] != '=' && s[j] != ';' && s[j] != ':' {
			j++
		}
		key := strings.ToUpper(strings.TrimSpace(s[:j]))
		s = s[j:]
		if len(s) == 0 || s[0] != '=' {
			if key != "" {
				p.params = append(p.params, bareParam(key))
			}
			continue
		}
		s = s[1:]
		var vals []string
		for {
			var v string
			if len(s) > 0 && s[0] == '"' {
				end := strings.IndexByte(s[1:], '"')
				if end < 0 {
					return vprop{}, false
				}
				v, s = s[1:end+1], s[end+2:]
			} else {
				k := strings.IndexAny(s, ",;:")
				if k < 0 {
					return vprop{}, false
				}
				v, s = s[:k], s[k:]
			}
			vals = append(vals, v)
			if len(s) == 0 || s[0] != ',' {
				break
			}
			s = s[1:]
		}
		p.params = append(p.params, vparam{key: key, vals: vals})
	}
	if len(s) == 0 || s[0] != ':' {
		return vprop{}, false
	}
	p.value = s[1:]
	if err := p.decode(); err != nil {
		return vprop{}, false
	}
	return p, true
}

// bareParam turns a vCard 2.1 parameter without a key into a keyed one.
func bareParam(v string) vparam {
	switch v {
	case "QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT":
		return vparam{key: "ENCODING", vals: []string{v}}
	}
	return vparam{key: "TYPE", vals: []string{v}}
}

// validName reports whether a property name has only the characters
// vCard allows (letters, digits and hyphens; underscores are tolerated).
func validName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return name != ""
}

// param returns the values of a parameter.
func (p *vprop) param(key string) []string {
	var out []string
	for _, q := range p.params {
		if q.key == key {
			out = append(out, q.vals...)
		}
	}
	return out
}

// types returns the lower-case TYPE values, split at commas.
func (p *vprop) types() []string {
	var out []string
	for _, v := range p.param("TYPE") {
		for _, t := range strings.Split(v, ",") {
			if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
				out = append(out, t)
			}
		}
	}
	return out
}

// hasType reports whether the property has any of the given TYPE values.
func (p *vprop) hasType(types ...string) bool {
	for _, t := range p.types() {
		for _, want := range types {
			if t == want {
				return true
			}
		}
	}
	return false
}

// decode undoes a vCard 2.1 quoted-printable encoding and character set.
func (p *vprop) decode() error {
	enc := p.param("ENCODING")
	if len(enc) > 0 && strings.EqualFold(enc[0], "QUOTED-PRINTABLE") {
		b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(p.value)))
		if err == nil {
			p.value = string(b)
		}
	}
	// A value that is already valid UTF-8 was decoded with the file (or
	// is UTF-8 whatever it claims).
	if cs := p.param("CHARSET"); len(cs) > 0 && !utf8.ValidString(p.value) {
		if e, err := htmlindex.Get(cs[0]); err == nil {
			if s, err := e.NewDecoder().String(p.value); err == nil {
				p.value = s
			}
		}
	}
	if !utf8.ValidString(p.value) {
		p.value = strings.ToValidUTF8(p.value, "\uFFFD")
	}
	return nil
}
