package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// Card is one contact for vCard export. Empty fields and empty list entries
// are left out of the card, except FN and N, which every card has.
type Card struct {
	// UID identifies the contact. A UUID is written as a urn:uuid: URI, a
	// value with a URI scheme as it is, anything else as text.
	UID string
	// Kind is "individual" (the default), "org", "group" or "location";
	// "organisation" and "organization" mean "org". Other names of
	// letters, digits and dashes (x-names) are written as they are; Write
	// refuses a card with any other Kind.
	Kind string
	// FormattedName is the name to show. If empty, it is made of the name
	// parts, else Org, else Nickname, else the first email address or phone.
	FormattedName string

	Prefix, First, Middle, Last, Suffix string
	Nickname                            string
	Org, Title                          string

	// Emails are email addresses; the first is marked preferred. Type is
	// "home", "work" or empty.
	Emails []Typed
	// Phones are phone numbers; the first is marked preferred. Type is
	// "cell", "work", "home", "fax", "voice", "text", "pager", "video" or a
	// comma-separated list of them ("work,fax"); "mobile" means "cell".
	Phones []Typed
	// Addresses are postal addresses; the first is marked preferred.
	Addresses []Address

	// Birthday is the date of birth, "YYYY-MM-DD", or "--MM-DD" if the
	// year is unknown. Other values are written as text.
	Birthday   string
	URLs       []string
	Categories []string
	Note       string
	// Revision is when the contact was last changed; zero leaves it out.
	Revision time.Time
}

// Typed is a value with a type, such as a phone number with "cell".
type Typed struct {
	Type, Value string
}

// Address is a postal address. Type is "home", "work" or empty.
type Address struct {
	Type, Street1, Street2, City, Region, PostalCode, Country string
}

// vCard line folding: lines are at most 75 octets, CRLF excluded; a
// continuation line starts with a space, leaving room for 74 octets of value.
const maxLineOctets = 75

// VCardWriter writes vCard 4.0 (RFC 6350) cards to a stream. It is not safe
// for concurrent use.
type VCardWriter struct {
	w      *bufio.Writer
	line   []byte // the content line being built, reused
	cards  int
	closed bool
	err    error
}

// NewVCard returns a VCardWriter that writes to w. Each card is written as
// BEGIN:VCARD, VERSION:4.0, the properties and END:VCARD, with CRLF line
// ends and lines folded at 75 octets, never inside a UTF-8 sequence. Text
// values are escaped (backslash, comma, semicolon and line breaks as \\, \,,
// \; and \n) and invalid UTF-8 is replaced by U+FFFD.
//
// A card always has FN and N (N may have empty components), KIND when Kind
// is set, PREF=1 on its first email address, phone and address, TEL as a
// tel: URI with VALUE=uri when the number looks like an E.164 number (a
// plus sign and 7 to 15 digits, spaces, dots, dashes and parentheses
// ignored) and as text otherwise, BDAY in the basic ISO 8601 form YYYYMMDD
// that RFC 6350 requires, and REV as a UTC timestamp (YYYYMMDDTHHMMSSZ).
//
// Output is buffered; Close flushes it but does not close w.
func NewVCard(w io.Writer) *VCardWriter {
	return &VCardWriter{w: bufio.NewWriterSize(w, 32<<10), line: make([]byte, 0, 256)}
}

// Write writes one card. A card with an invalid Kind is refused and nothing
// of it is written; after a write error, every call returns that error.
func (v *VCardWriter) Write(c Card) error {
	if v.err != nil {
		return v.err
	}
	if v.closed {
		return fmt.Errorf("export: vcard: %w", ErrClosed)
	}
	v.cards++
	kind, err := cardKind(c.Kind)
	if err != nil {
		return fmt.Errorf("export: vcard %d: %w", v.cards, err)
	}
	if err := v.card(&c, kind); err != nil {
		v.err = fmt.Errorf("export: vcard %d: %w", v.cards, err)
		return v.err
	}
	return nil
}

// Close flushes buffered output. It does not close the underlying writer.
func (v *VCardWriter) Close() error {
	if v.closed {
		return v.err
	}
	v.closed = true
	if v.err == nil {
		if err := v.w.Flush(); err != nil {
			v.err = fmt.Errorf("export: vcard: flush: %w", err)
		}
	}
	return v.err
}

// card writes c, whose KIND value is kind, and returns the first write
// error.
func (v *VCardWriter) card(c *Card, kind string) error {
	v.raw("BEGIN:VCARD")
	v.raw("VERSION:4.0")
	if uid := strings.TrimSpace(c.UID); uid != "" {
		v.uid(uid)
	}
	if kind != "" {
		v.raw("KIND:", kind)
	}

	v.start("FN:")
	v.formattedName(c)
	v.end()

	v.start("N:")
	for i, part := range [...]string{c.Last, c.First, c.Middle, c.Prefix, c.Suffix} {
		if i > 0 {
			v.line = append(v.line, ';')
		}
		v.text(part)
	}
	v.end()

	v.textProperty("NICKNAME", c.Nickname)
	v.textProperty("ORG", c.Org)
	v.textProperty("TITLE", c.Title)

	pref := true
	for _, e := range c.Emails {
		if strings.TrimSpace(e.Value) == "" {
			continue
		}
		v.start("EMAIL")
		v.typeParam(e.Type)
		v.prefParam(&pref)
		v.line = append(v.line, ':')
		v.text(strings.TrimSpace(e.Value))
		v.end()
	}

	pref = true
	for _, p := range c.Phones {
		if strings.TrimSpace(p.Value) == "" {
			continue
		}
		v.start("TEL")
		var num [16]byte
		n, ok := e164(&num, p.Value)
		if ok {
			v.line = append(v.line, ";VALUE=uri"...)
		}
		v.typeParam(phoneType(p.Type))
		v.prefParam(&pref)
		v.line = append(v.line, ':')
		if ok {
			v.line = append(v.line, "tel:"...)
			v.line = append(v.line, num[:n]...)
		} else {
			v.text(strings.TrimSpace(p.Value))
		}
		v.end()
	}

	pref = true
	for i := range c.Addresses {
		a := &c.Addresses[i]
		street := joinNonEmpty(a.Street1, a.Street2, "\n")
		if street == "" && a.City == "" && a.Region == "" && a.PostalCode == "" && a.Country == "" {
			continue
		}
		v.start("ADR")
		v.typeParam(a.Type)
		v.prefParam(&pref)
		// Post office box and extended address are left empty, as RFC
		// 6350 recommends; both street lines go in the street address.
		v.line = append(v.line, ":;;"...)
		v.text(street)
		for _, part := range [...]string{a.City, a.Region, a.PostalCode, a.Country} {
			v.line = append(v.line, ';')
			v.text(part)
		}
		v.end()
	}

	if bday := strings.TrimSpace(c.Birthday); bday != "" {
		v.start("BDAY:")
		if line, ok := appendVCardDate(v.line, bday); ok {
			v.line = line
			v.end()
		} else {
			v.start("BDAY;VALUE=text:")
			v.text(bday)
			v.end()
		}
	}

	for _, u := range c.URLs {
		if u = strings.TrimSpace(u); u != "" {
			v.start("URL")
			v.line = append(v.line, ':')
			v.uri(u)
			v.end()
		}
	}

	first := true
	for _, cat := range c.Categories {
		if cat = strings.TrimSpace(cat); cat == "" {
			continue
		}
		if first {
			v.start("CATEGORIES")
			v.line = append(v.line, ':')
			first = false
		} else {
			v.line = append(v.line, ',')
		}
		v.text(cat)
	}
	if !first {
		v.end()
	}

	v.textProperty("NOTE", c.Note)
	if !c.Revision.IsZero() {
		v.start("REV:")
		v.line = c.Revision.UTC().AppendFormat(v.line, "20060102T150405Z")
		v.end()
	}
	v.raw("END:VCARD")
	return v.err
}

// start begins a content line with prefix: a property name, possibly with
// parameters and the colon.
func (v *VCardWriter) start(prefix string) {
	v.line = append(v.line[:0], prefix...)
}

// end folds and writes the content line.
func (v *VCardWriter) end() {
	if v.err != nil {
		return
	}
	line := v.line
	limit := maxLineOctets
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		if cut == 0 { // cannot happen with valid UTF-8
			cut = limit
		}
		_, _ = v.w.Write(line[:cut])
		_, _ = v.w.WriteString("\r\n ")
		line = line[cut:]
		limit = maxLineOctets - 1
	}
	_, _ = v.w.Write(line)
	if _, err := v.w.WriteString("\r\n"); err != nil {
		v.err = err
	}
}

// raw writes a line made of parts that need no escaping.
func (v *VCardWriter) raw(parts ...string) {
	v.line = v.line[:0]
	for _, s := range parts {
		v.line = append(v.line, s...)
	}
	v.end()
}

// textProperty writes a property with one text value, if it is not empty.
func (v *VCardWriter) textProperty(name, value string) {
	if strings.TrimSpace(value) == "" {
		return
	}
	v.start(name)
	v.line = append(v.line, ':')
	v.text(value)
	v.end()
}

// text appends s escaped as an RFC 6350 text value: backslash, comma and
// semicolon are escaped, CRLF, CR and LF become \n, other control
// characters are dropped and invalid UTF-8 becomes U+FFFD.
func (v *VCardWriter) text(s string) {
	for i := 0; i < len(s); {
		b := s[i]
		if b >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				v.line = utf8.AppendRune(v.line, utf8.RuneError)
			} else {
				v.line = append(v.line, s[i:i+size]...)
			}
			i += size
			continue
		}
		switch {
		case b == '\\' || b == ',' || b == ';':
			v.line = append(v.line, '\\', b)
		case b == '\r':
			v.line = append(v.line, '\\', 'n')
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
		case b == '\n':
			v.line = append(v.line, '\\', 'n')
		case b == '\t' || (b >= 0x20 && b != 0x7f):
			v.line = append(v.line, b)
		}
		i++
	}
}

// uri appends a URI value, which is not escaped; characters that cannot be
// in a URI or on a content line are percent-encoded.
func (v *VCardWriter) uri(s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b <= 0x20 || b == 0x7f || b == '"' || b == '<' || b == '>' || b == '\\' || b == '^' || b == '`' || b == '{' || b == '|' || b == '}' {
			v.line = append(v.line, '%', hex[b>>4], hex[b&15])
			continue
		}
		v.line = append(v.line, b)
	}
}

// uid writes the UID property.
func (v *VCardWriter) uid(uid string) {
	switch {
	case isUUID(uid):
		v.start("UID:urn:uuid:")
		for i := 0; i < len(uid); i++ {
			b := uid[i]
			if 'A' <= b && b <= 'Z' {
				b += 'a' - 'A'
			}
			v.line = append(v.line, b)
		}
		v.end()
	case hasURIScheme(uid):
		v.line = append(v.line[:0], "UID:"...)
		v.uri(uid)
		v.end()
	default:
		v.start("UID;VALUE=text:")
		v.text(uid)
		v.end()
	}
}

// typeParam appends ;TYPE=… when types holds at least one valid type name.
// Types are lower-cased and separated by commas; anything that is not a
// token is dropped.
func (v *VCardWriter) typeParam(types string) {
	n := 0
	for t := range strings.SplitSeq(types, ",") {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" || t == "pref" || !isToken(t) {
			continue
		}
		if n == 0 {
			v.line = append(v.line, ";TYPE="...)
		} else {
			v.line = append(v.line, ',')
		}
		v.line = append(v.line, t...)
		n++
	}
}

// prefParam appends ;PREF=1 the first time it is called with *first set.
func (v *VCardWriter) prefParam(first *bool) {
	if *first {
		v.line = append(v.line, ";PREF=1"...)
		*first = false
	}
}

// cardKind returns the KIND value for kind, empty if kind is empty.
func cardKind(kind string) (string, error) {
	k := strings.ToLower(strings.TrimSpace(kind))
	switch k {
	case "organisation", "organization":
		return "org", nil
	case "", "individual", "org", "group", "location":
		return k, nil
	}
	if isToken(k) {
		return k, nil // an x-name or a kind registered later
	}
	return "", fmt.Errorf("invalid kind %q", kind)
}

// formattedName appends the FN value: FormattedName, else the name parts,
// else Org, Nickname, the first email address or the first phone number.
func (v *VCardWriter) formattedName(c *Card) {
	if s := strings.TrimSpace(c.FormattedName); s != "" {
		v.text(s)
		return
	}
	start := len(v.line)
	for _, part := range [...]string{c.Prefix, c.First, c.Middle, c.Last, c.Suffix} {
		if part = strings.TrimSpace(part); part != "" {
			if len(v.line) > start {
				v.line = append(v.line, ' ')
			}
			v.text(part)
		}
	}
	if len(v.line) > start {
		return
	}
	for _, s := range [...]string{c.Org, c.Nickname} {
		if s = strings.TrimSpace(s); s != "" {
			v.text(s)
			return
		}
	}
	for _, list := range [...][]Typed{c.Emails, c.Phones} {
		for _, t := range list {
			if s := strings.TrimSpace(t.Value); s != "" {
				v.text(s)
				return
			}
		}
	}
}

// phoneType maps common aliases to RFC 6350 TEL types.
func phoneType(t string) string {
	switch strings.ToLower(strings.TrimSpace(t)) {
	case "mobile", "cellular":
		return "cell"
	case "main", "phone":
		return "voice"
	}
	return t
}

// minE164Digits is the fewest digits, country code included, taken for an
// E.164 number; the shortest numbers in use have seven.
const minE164Digits = 7

// e164 puts the number in s without separators in buf and returns its
// length if s looks like an E.164 number: '+', a non-zero digit and 6 to 14
// more digits, with spaces, dots, dashes and parentheses ignored.
func e164(buf *[16]byte, s string) (int, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 3 || s[0] != '+' {
		return 0, false
	}
	n := 0
	buf[n] = '+'
	n++
	for i := 1; i < len(s); i++ {
		switch b := s[i]; {
		case b >= '0' && b <= '9':
			if n == len(buf) || n == 1 && b == '0' {
				return 0, false
			}
			buf[n] = b
			n++
		case b == ' ' || b == '.' || b == '-' || b == '(' || b == ')':
		default:
			return 0, false
		}
	}
	if n-1 < minE164Digits {
		return 0, false
	}
	return n, true
}

// appendVCardDate appends a YYYY-MM-DD, YYYYMMDD, --MM-DD or --MMDD date in
// the RFC 6350 form YYYYMMDD or --MMDD, if it is a valid date.
func appendVCardDate(dst []byte, s string) ([]byte, bool) {
	if rest, ok := strings.CutPrefix(s, "--"); ok {
		if len(rest) == 5 && rest[2] == '-' {
			rest = rest[:2] + rest[3:]
		}
		if len(rest) != 4 || !isDigits(rest) {
			return dst, false
		}
		// 2000 is a leap year, so --0229 is valid.
		if _, err := time.Parse("20060102", "2000"+rest); err != nil {
			return dst, false
		}
		return append(append(dst, "--"...), rest...), true
	}
	for _, layout := range [...]string{"2006-01-02", "20060102"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.AppendFormat(dst, "20060102"), true
		}
	}
	return dst, false
}

// isUUID reports whether s is a UUID in its 36-character text form.
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		switch i {
		case 8, 13, 18, 23:
			if b != '-' {
				return false
			}
		default:
			if !('0' <= b && b <= '9' || 'a' <= b && b <= 'f' || 'A' <= b && b <= 'F') {
				return false
			}
		}
	}
	return true
}

// hasURIScheme reports whether s starts with a URI scheme and a colon, such
// as "urn:" or "https:".
func hasURIScheme(s string) bool {
	i := strings.IndexByte(s, ':')
	if i < 1 || !isLetter(s[0]) {
		return false
	}
	for j := 1; j < i; j++ {
		b := s[j]
		if !isLetter(b) && !('0' <= b && b <= '9') && b != '+' && b != '-' && b != '.' {
			return false
		}
	}
	return strings.IndexFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) < 0
}

// isToken reports whether s is an RFC 6350 iana-token or x-name: letters,
// digits and dashes.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		b := s[i]
		if !isLetter(b) && !('0' <= b && b <= '9') && b != '-' {
			return false
		}
	}
	return true
}

func isLetter(b byte) bool { return 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func joinNonEmpty(a, b, sep string) string {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + sep + b
}
