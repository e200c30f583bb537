package export

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-vcard"
)

func writeCards(t *testing.T, cards ...Card) string {
	t.Helper()
	var buf bytes.Buffer
	v := NewVCard(&buf)
	for _, c := range cards {
		if err := v.Write(c); err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
	if err := v.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	checkLines(t, buf.String())
	return buf.String()
}

// checkLines checks the physical lines of vCard output: CRLF ends, at most
// 75 octets, valid UTF-8.
func checkLines(t *testing.T, out string) {
	t.Helper()
	if !strings.HasSuffix(out, "\r\n") {
		t.Errorf("output does not end with CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
		if len(line) > maxLineOctets {
			t.Errorf("line %d has %d octets: %q", i+1, len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d is not valid UTF-8: %q", i+1, line)
		}
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		}
	}
}

// unfold joins folded lines.
func unfold(s string) []string {
	return strings.Split(strings.TrimSuffix(strings.ReplaceAll(s, "\r\n ", ""), "\r\n"), "\r\n")
}

// unescape reverses RFC 6350 text escaping.
func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == 'n' || s[i] == 'N' {
				b.WriteByte('\n')
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// splitUnescaped splits s at sep characters that are not escaped.
func splitUnescaped(s string, sep byte) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

func TestVCardExact(t *testing.T) {
	got := writeCards(t, Card{
		UID:        "0B3E7A4C-1D2E-4F5A-9B8C-7D6E5F4A3B2C",
		Prefix:     "Dr.",
		First:      "Zoë",
		Last:       "O'Brien; Jr",
		Suffix:     "PhD",
		Nickname:   "Zo",
		Org:        "Acme, Inc.",
		Title:      "CTO",
		Emails:     []Typed{{"work", "zoe@acme.test"}, {"", ""}, {"HOME", "z@home.test"}},
		Phones:     []Typed{{"mobile", "+1 (555) 123-4567"}, {"work,fax", "555-1234 ext. 9"}, {"home", "+44 20 7946 0958"}},
		Addresses:  []Address{{Type: "work", Street1: "1 Main St", Street2: "Suite 5", City: "Springfield", Region: "IL", PostalCode: "62701", Country: "USA"}},
		Birthday:   "1985-04-12",
		URLs:       []string{"https://acme.test/a,b;c"},
		Categories: []string{"VIP", "", "a,b"},
		Note:       "Line 1\nLine 2 \\ back; semi, comma",
		Revision:   time.Date(2024, 5, 6, 7, 8, 9, 0, time.FixedZone("CET", 3600)),
	}, Card{Kind: "org", Org: "Acme"})
	want := strings.Join([]string{
		"BEGIN:VCARD",
		"VERSION:4.0",
		"UID:urn:uuid:0b3e7a4c-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
		"FN:Dr. Zoë O'Brien\\; Jr PhD",
		"N:O'Brien\\; Jr;Zoë;;Dr.;PhD",
		"NICKNAME:Zo",
		"ORG:Acme\\, Inc.",
		"TITLE:CTO",
		"EMAIL;TYPE=work;PREF=1:zoe@acme.test",
		"EMAIL;TYPE=home:z@home.test",
		"TEL;VALUE=uri;TYPE=cell;PREF=1:tel:+15551234567",
		"TEL;TYPE=work,fax:555-1234 ext. 9",
		"TEL;VALUE=uri;TYPE=home:tel:+442079460958",
		"ADR;TYPE=work;PREF=1:;;1 Main St\\nSuite 5;Springfield;IL;62701;USA",
		"BDAY:19850412",
		"URL:https://acme.test/a,b;c",
		"CATEGORIES:VIP,a\\,b",
		"NOTE:Line 1\\nLine 2 \\\\ back\\; semi\\, comma",
		"REV:20240506T060809Z",
		"END:VCARD",
		"BEGIN:VCARD",
		"VERSION:4.0",
		"KIND:org",
		"FN:Acme",
		"N:;;;;",
		"ORG:Acme",
		"END:VCARD",
		"",
	}, "\r\n")
	if got != want {
		t.Errorf("output\n%s\nwant\n%s", got, want)
	}
}

func TestVCardMinimal(t *testing.T) {
	got := writeCards(t, Card{})
	if want := "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:\r\nN:;;;;\r\nEND:VCARD\r\n"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

// TestVCardDecode reads a stream of cards back with go-vcard.
func TestVCardDecode(t *testing.T) {
	cards := []Card{
		{
			UID: "42", First: "Ann", Last: "Lee",
			Emails:    []Typed{{"work", "ann@work.test"}, {"home", "ann@home.test"}},
			Phones:    []Typed{{"cell", "+33 6 12 34 56 78"}, {"work", "0612345678"}},
			Addresses: []Address{{Type: "home", Street1: "2 rue X", City: "Paris", PostalCode: "75001", Country: "France"}, {Type: "work", City: "Lyon"}},
		},
		{Kind: "org", Org: "Łódź Widgets Sp. z o.o.", Phones: []Typed{{"work", "+48 42 123 45 67"}}},
		{Kind: "Organization", FormattedName: "Widgets", Categories: []string{"b2b", "leads"}},
	}
	out := writeCards(t, cards...)
	dec := vcard.NewDecoder(strings.NewReader(out))
	var got []vcard.Card
	for {
		c, err := dec.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("Decode: %v", err)
		}
		got = append(got, c)
	}
	if len(got) != len(cards) {
		t.Fatalf("decoded %d cards, want %d", len(got), len(cards))
	}
	for i, c := range got {
		if v := c.Value(vcard.FieldVersion); v != "4.0" {
			t.Errorf("card %d: VERSION %q", i, v)
		}
		if c.Get(vcard.FieldFormattedName) == nil || c.Get(vcard.FieldName) == nil {
			t.Errorf("card %d lacks FN or N", i)
		}
	}

	ann := got[0]
	if fn := ann.PreferredValue(vcard.FieldFormattedName); fn != "Ann Lee" {
		t.Errorf("FN %q", fn)
	}
	if n := ann.Name(); n.FamilyName != "Lee" || n.GivenName != "Ann" {
		t.Errorf("N %+v", n)
	}
	if uid := ann.Get(vcard.FieldUID); uid.Value != "42" || uid.Params.Get("VALUE") != "text" {
		t.Errorf("UID %+v", uid)
	}
	if e := ann.PreferredValue(vcard.FieldEmail); e != "ann@work.test" {
		t.Errorf("preferred email %q", e)
	}
	for _, field := range []string{vcard.FieldEmail, vcard.FieldTelephone, vcard.FieldAddress} {
		fs := ann[field]
		if len(fs) != 2 {
			t.Fatalf("%s: %d fields, want 2", field, len(fs))
		}
		if fs[0].Params.Get(vcard.ParamPreferred) != "1" || fs[1].Params.Get(vcard.ParamPreferred) != "" {
			t.Errorf("%s: PREF on %v and %v, want on the first only", field, fs[0].Params, fs[1].Params)
		}
	}
	tels := ann[vcard.FieldTelephone]
	if tels[0].Value != "tel:+33612345678" || tels[0].Params.Get(vcard.ParamValue) != "uri" || !tels[0].Params.HasType("cell") {
		t.Errorf("TEL %+v", tels[0])
	}
	if tels[1].Value != "0612345678" || tels[1].Params.Get(vcard.ParamValue) != "" {
		t.Errorf("TEL %+v", tels[1])
	}
	if a := ann.Address(); a.StreetAddress != "2 rue X" || a.Locality != "Paris" || a.PostalCode != "75001" || a.Country != "France" || !a.Params.HasType("home") {
		t.Errorf("ADR %+v", a)
	}

	org := got[1]
	if org.Kind() != vcard.KindOrganization {
		t.Errorf("KIND %q", org.Kind())
	}
	if fn := org.PreferredValue(vcard.FieldFormattedName); fn != "Łódź Widgets Sp. z o.o." {
		t.Errorf("FN %q, want the organisation's name", fn)
	}
	if got[2].Kind() != vcard.KindOrganization {
		t.Errorf("KIND %q", got[2].Kind())
	}
	if cats := got[2].Categories(); len(cats) != 2 || cats[0] != "b2b" || cats[1] != "leads" {
		t.Errorf("CATEGORIES %q", cats)
	}
}

func TestVCardEscaping(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"plain", "plain"},
		{`a\b`, `a\\b`},
		{"a,b", `a\,b`},
		{"a;b", `a\;b`},
		{"a\nb", `a\nb`},
		{"a\r\nb", `a\nb`},
		{"a\rb", `a\nb`},
		{"a\n\nb", `a\n\nb`},
		{"a:b", "a:b"},
		{`"quoted"`, `"quoted"`},
		{"tab\there", "tab\there"},
		{"bell\a nul\x00 del\x7f", "bell nul del"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"Zoë 日本 👩‍💻", "Zoë 日本 👩‍💻"},
		{`\,;` + "\n", `\\\,\;\n`},
	}
	for _, tt := range tests {
		out := writeCards(t, Card{Note: tt.in})
		lines := unfold(out)
		var note string
		for _, l := range lines {
			if v, ok := strings.CutPrefix(l, "NOTE:"); ok {
				note = v
			}
		}
		if note != tt.want {
			t.Errorf("NOTE for %q = %q, want %q", tt.in, note, tt.want)
		}
	}
}

// TestVCardStructuredEscaping checks that separators inside N and ADR
// components do not split them.
func TestVCardStructuredEscaping(t *testing.T) {
	c := Card{
		First: "a;b", Last: "c,d", Middle: `e\f`,
		Addresses: []Address{{Street1: "1; 2", Street2: "x,y", City: "C\nD", Region: ";", PostalCode: ",", Country: `\`}},
	}
	lines := unfold(writeCards(t, c))
	var n, adr string
	for _, l := range lines {
		if v, ok := strings.CutPrefix(l, "N:"); ok {
			n = v
		}
		if _, v, ok := strings.Cut(l, "ADR;PREF=1:"); ok {
			adr = v
		}
	}
	wantN := []string{"c,d", "a;b", `e\f`, "", ""}
	if parts := splitUnescaped(n, ';'); len(parts) != 5 {
		t.Errorf("N %q has %d components", n, len(parts))
	} else {
		for i, p := range parts {
			if unescape(p) != wantN[i] {
				t.Errorf("N component %d = %q, want %q", i, unescape(p), wantN[i])
			}
		}
	}
	wantADR := []string{"", "", "1; 2\nx,y", "C\nD", ";", ",", `\`}
	if parts := splitUnescaped(adr, ';'); len(parts) != 7 {
		t.Errorf("ADR %q has %d components", adr, len(parts))
	} else {
		for i, p := range parts {
			if unescape(p) != wantADR[i] {
				t.Errorf("ADR component %d = %q, want %q", i, unescape(p), wantADR[i])
			}
		}
	}
}

func TestVCardFolding(t *testing.T) {
	// A 200-character note of 1- to 4-byte characters, with characters that
	// are escaped.
	pieces := []string{"a", "é", "日", "👩", ",", ";", "\n", "€", "z", "ß"}
	var b strings.Builder
	for i := 0; utf8.RuneCountInString(b.String()) < 200; i++ {
		b.WriteString(pieces[i%len(pieces)])
	}
	note := b.String()
	out := writeCards(t, Card{FormattedName: "Folded", Note: note})

	var noteLines int
	for _, l := range strings.Split(out, "\r\n") {
		if strings.HasPrefix(l, "NOTE:") || noteLines > 0 && strings.HasPrefix(l, " ") {
			noteLines++
		}
	}
	if noteLines < 4 {
		t.Errorf("note spans %d lines, want it folded", noteLines)
	}

	c, err := vcard.NewDecoder(strings.NewReader(out)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	// go-vcard unfolds but does not unescape "\;".
	if got := unescape(c.Get(vcard.FieldNote).Value); got != note {
		t.Errorf("note read back as\n%q\nwant\n%q", got, note)
	}

	// Every length and alignment of multibyte characters.
	for _, r := range []string{"é", "日", "👩"} {
		for n := 60; n < 200; n += 7 {
			s := strings.Repeat("x", n%5) + strings.Repeat(r, n)
			out := writeCards(t, Card{Note: s})
			var got string
			for _, l := range unfold(out) {
				if v, ok := strings.CutPrefix(l, "NOTE:"); ok {
					got = v
				}
			}
			if got != s {
				t.Fatalf("note of %d %q read back as %q", n, r, got)
			}
		}
	}
}

func TestVCardPhones(t *testing.T) {
	tests := []struct {
		typ, value, want string
	}{
		{"cell", "+15551234567", "TEL;VALUE=uri;TYPE=cell;PREF=1:tel:+15551234567"},
		{"Mobile", "+1 (555) 123-4567", "TEL;VALUE=uri;TYPE=cell;PREF=1:tel:+15551234567"},
		{"", "+49.30.1234567", "TEL;VALUE=uri;PREF=1:tel:+49301234567"},
		{"voice", "555-1234", "TEL;TYPE=voice;PREF=1:555-1234"},
		{"work", "+1 555 1234 x12", "TEL;TYPE=work;PREF=1:+1 555 1234 x12"},
		{"fax", "+0123456789", "TEL;TYPE=fax;PREF=1:+0123456789"},
		{"", "+12345", "TEL;PREF=1:+12345"},
		{"", "+1234567890123456", "TEL;PREF=1:+1234567890123456"},
		{"", "+123456789012345", "TEL;VALUE=uri;PREF=1:tel:+123456789012345"},
		{"work, FAX", "+1234567", "TEL;VALUE=uri;TYPE=work,fax;PREF=1:tel:+1234567"},
		{"bad:type;x=\"y\"", "1", "TEL;PREF=1:1"},
		{"", "0044; 20", `TEL;PREF=1:0044\; 20`},
	}
	for _, tt := range tests {
		lines := unfold(writeCards(t, Card{Phones: []Typed{{tt.typ, tt.value}}}))
		found := false
		for _, l := range lines {
			if strings.HasPrefix(l, "TEL") {
				found = true
				if l != tt.want {
					t.Errorf("phone %q %q: %q, want %q", tt.typ, tt.value, l, tt.want)
				}
			}
		}
		if !found {
			t.Errorf("phone %q %q: no TEL line", tt.typ, tt.value)
		}
	}
}

func TestVCardBirthday(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1985-04-12", "BDAY:19850412"},
		{"19850412", "BDAY:19850412"},
		{"--04-12", "BDAY:--0412"},
		{"--0229", "BDAY:--0229"},
		{"2001-02-29", "BDAY;VALUE=text:2001-02-29"},
		{"12/04/1985", "BDAY;VALUE=text:12/04/1985"},
		{"circa 1980, maybe", `BDAY;VALUE=text:circa 1980\, maybe`},
		{" ", ""},
	}
	for _, tt := range tests {
		var got string
		for _, l := range unfold(writeCards(t, Card{Birthday: tt.in})) {
			if strings.HasPrefix(l, "BDAY") {
				got = l
			}
		}
		if got != tt.want {
			t.Errorf("Birthday %q: %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestVCardFormattedName(t *testing.T) {
	tests := []struct {
		card Card
		want string
	}{
		{Card{FormattedName: " Shown ", First: "Ann"}, "Shown"},
		{Card{First: "Ann", Last: "Lee"}, "Ann Lee"},
		{Card{Last: "Lee"}, "Lee"},
		{Card{Org: "Acme", Nickname: "A"}, "Acme"},
		{Card{Kind: "org", Org: "Acme"}, "Acme"},
		{Card{Nickname: "Bud"}, "Bud"},
		{Card{Emails: []Typed{{"", " "}, {"", "x@y.test"}}, Phones: []Typed{{"", "1"}}}, "x@y.test"},
		{Card{Phones: []Typed{{"", "+1 555"}}}, "+1 555"},
		{Card{}, ""},
	}
	for _, tt := range tests {
		var fn string
		for _, l := range unfold(writeCards(t, tt.card)) {
			if v, ok := strings.CutPrefix(l, "FN:"); ok {
				fn = v
			}
		}
		if fn != tt.want {
			t.Errorf("FN for %+v = %q, want %q", tt.card, fn, tt.want)
		}
	}
}

func TestVCardUIDAndURL(t *testing.T) {
	tests := []struct{ uid, want string }{
		{"0b3e7a4c-1d2e-4f5a-9b8c-7d6e5f4a3b2c", "UID:urn:uuid:0b3e7a4c-1d2e-4f5a-9b8c-7d6e5f4a3b2c"},
		{"urn:uuid:0b3e7a4c-1d2e-4f5a-9b8c-7d6e5f4a3b2c", "UID:urn:uuid:0b3e7a4c-1d2e-4f5a-9b8c-7d6e5f4a3b2c"},
		{"https://crm.test/c/1", "UID:https://crm.test/c/1"},
		{"12345", "UID;VALUE=text:12345"},
		{"a,b", `UID;VALUE=text:a\,b`},
		{"1:2", "UID;VALUE=text:1:2"},
	}
	for _, tt := range tests {
		var got string
		for _, l := range unfold(writeCards(t, Card{UID: tt.uid})) {
			if strings.HasPrefix(l, "UID") {
				got = l
			}
		}
		if got != tt.want {
			t.Errorf("UID %q: %q, want %q", tt.uid, got, tt.want)
		}
	}

	lines := unfold(writeCards(t, Card{URLs: []string{"https://x.test/a b\r\nc", " ", "mailto:a@b.test"}}))
	var urls []string
	for _, l := range lines {
		if v, ok := strings.CutPrefix(l, "URL:"); ok {
			urls = append(urls, v)
		}
	}
	if len(urls) != 2 || urls[0] != "https://x.test/a%20b%0D%0Ac" || urls[1] != "mailto:a@b.test" {
		t.Errorf("URLs %q", urls)
	}
}

func TestVCardKind(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""}, {"individual", "KIND:individual"}, {"ORG", "KIND:org"},
		{"organisation", "KIND:org"}, {"group", "KIND:group"}, {"x-team", "KIND:x-team"},
	} {
		var got string
		for _, l := range unfold(writeCards(t, Card{Kind: tt.in})) {
			if strings.HasPrefix(l, "KIND") {
				got = l
			}
		}
		if got != tt.want {
			t.Errorf("Kind %q: %q, want %q", tt.in, got, tt.want)
		}
	}

	var buf bytes.Buffer
	v := NewVCard(&buf)
	if err := v.Write(Card{Kind: "org\r\nX-EVIL:1"}); err == nil || !strings.Contains(err.Error(), "export: vcard 1: invalid kind") {
		t.Errorf("invalid kind: error %v", err)
	}
	// The bad card is skipped; the writer goes on.
	if err := v.Write(Card{FormattedName: "Next"}); err != nil {
		t.Errorf("next card: %v", err)
	}
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if out := buf.String(); strings.Count(out, "BEGIN:VCARD") != 1 || !strings.Contains(out, "FN:Next\r\n") || strings.Contains(out, "EVIL") {
		t.Errorf("output %q", out)
	}
}

func TestVCardErrors(t *testing.T) {
	v := NewVCard(&failWriter{n: 10})
	var err error
	for i := 0; i < 10000 && err == nil; i++ {
		err = v.Write(Card{FormattedName: "A", Note: strings.Repeat("n", 100)})
	}
	if !errors.Is(err, errDiskFull) {
		t.Fatalf("Write error %v, want %v", err, errDiskFull)
	}
	if err2 := v.Write(Card{}); !errors.Is(err2, errDiskFull) {
		t.Errorf("next Write error %v, want the first again", err2)
	}
	if err2 := v.Close(); !errors.Is(err2, errDiskFull) {
		t.Errorf("Close error %v, want the first again", err2)
	}

	v = NewVCard(io.Discard)
	if err := v.Close(); err != nil {
		t.Fatal(err)
	}
	if err := v.Write(Card{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Write after Close: %v, want %v", err, ErrClosed)
	}
	if err := v.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
