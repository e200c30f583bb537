package tabular

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

// card returns a vCard record's values by column name, leaving out blank
// ones.
func cardValues(t testing.TB, rec Record) map[string]string {
	t.Helper()
	h := VCardHeader()
	if len(rec.Fields) != len(h) {
		t.Fatalf("line %d: %d values, want %d", rec.Line, len(rec.Fields), len(h))
	}
	m := map[string]string{}
	for i, v := range rec.Fields {
		if v != "" {
			m[h[i]] = v
		}
	}
	return m
}

// equalCard compares a card's non-blank values.
func equalCard(t testing.TB, rec Record, want map[string]string) {
	t.Helper()
	got := cardValues(t, rec)
	for k, v := range want {
		if got[k] != v {
			t.Errorf("line %d: %s = %q, want %q", rec.Line, k, got[k], v)
		}
	}
	for k, v := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("line %d: unexpected %s = %q", rec.Line, k, v)
		}
	}
}

func TestVCardHeader(t *testing.T) {
	want := "kind, full_name, prefix, first_name, middle_name, last_name, suffix, nickname, entity_name, employer, occupation, email, email_2, email_3, phone, mobile_phone, work_phone, home_phone, fax, address_line1, address_line2, city, region, postal_code, country, birth_date, website, linkedin, tags, external_id"
	if got := strings.Join(VCardHeader(), ", "); got != want {
		t.Fatalf("header %s", got)
	}
	if len(VCardHeader()) != vcColumns {
		t.Fatalf("%d columns, want %d", len(VCardHeader()), vcColumns)
	}
}

func TestVCardManyCards(t *testing.T) {
	src, recs := mustReadAll(t, testdata("many-cards.vcf"), "many-cards.vcf", Options{})
	if m := src.Meta(); m.Format != FormatVCard || m.Encoding != "utf-8" {
		t.Errorf("meta %+v", m)
	}
	equalStrings(t, "header", src.Header(), VCardHeader())
	if len(recs) != 6 {
		t.Fatalf("got %d records, want 6 (the empty card is skipped)", len(recs))
	}
	for _, r := range recs {
		if r.Err != nil {
			t.Fatalf("line %d: %v", r.Line, r.Err)
		}
	}
	wantLines := []int{1, 33, 47, 58, 73, 85}
	for i, r := range recs {
		if r.Line != wantLines[i] {
			t.Errorf("record %d: line %d, want %d", i+1, r.Line, wantLines[i])
		}
	}
	equalCard(t, recs[0], map[string]string{
		"kind": "person", "full_name": "Ada Lovelace", "prefix": "Lady", "first_name": "Ada",
		"middle_name": "Augusta King", "last_name": "Lovelace", "nickname": "Enchantress of Numbers",
		"employer": "Analytical Engines Ltd", "occupation": "Mathematician",
		"email": "ada@work.example", "email_2": "ada@home.example", "email_3": "ada@other.example",
		"mobile_phone": "+44 20 7946 0001", "work_phone": "+44 20 7946 0002", "home_phone": "+44 20 7946 0003",
		"fax": "+44 20 7946 0004", "phone": "+44 7700 900005",
		"address_line1": "12 St James's Square", "address_line2": "Floor 2, Suite 4, PO Box 12",
		"city": "London", "region": "Greater London", "postal_code": "SW1Y 4JH", "country": "United Kingdom",
		"birth_date": "1815-12-10", "website": "https://ada.example.com", "linkedin": "https://www.linkedin.com/in/ada",
		"tags": "Friends, Scientists, VIP", "external_id": "0e7602cc-443e-4b82-b4f4-6c4d4b4b0001",
	})
	equalCard(t, recs[1], map[string]string{
		"kind": "company", "entity_name": "Acme Corporation",
		"email": "sales@acme.example", "email_2": "info@acme.example",
		"work_phone": "+1-555-555-0100 ext. 42", "fax": "+1-555-555-0199",
		"address_line1": "100 Main St", "city": "Springfield", "region": "IL", "postal_code": "62701", "country": "USA",
		"website": "https://acme.example", "external_id": "0e7602cc-443e-4b82-b4f4-6c4d4b4b0002",
	})
	equalCard(t, recs[2], map[string]string{
		"kind": "company", "entity_name": "Globex", "phone": "555-0300", "website": "http://globex.example",
	})
	equalCard(t, recs[3], map[string]string{
		"kind": "person", "full_name": "Jürgen Müller", "first_name": "Jürgen", "last_name": "Müller",
		"mobile_phone": "+49 151 0000001", "work_phone": "+49 30 0000002", "email": "juergen@example.de",
		"birth_date": "1985-03-07", "address_line1": "Hauptstraße 1", "address_line2": "2. OG",
		"city": "Berlin", "postal_code": "10115", "country": "Germany",
	})
	equalCard(t, recs[4], map[string]string{
		"kind": "person", "full_name": "Grace Hopper", "prefix": "Rear Admiral", "first_name": "Grace",
		"middle_name": "Brewster Murray", "last_name": "Hopper", "birth_date": "1906-12-09",
		"email": "grace@navy.example", "mobile_phone": "+1-202-555-0111",
		"address_line1": "1 Navy Way", "city": "Arlington", "region": "VA", "postal_code": "22202", "country": "USA",
	})
	equalCard(t, recs[5], map[string]string{"kind": "person", "full_name": "Year Less"})
	if done, total := src.Progress(); done != total || total == 0 {
		t.Errorf("progress %d/%d after the last record", done, total)
	}
}

func TestVCardBroken(t *testing.T) {
	_, recs := mustReadAll(t, testdata("broken.vcf"), "broken.vcf", Options{})
	checkRecords(t, recs, []wantRec{
		{line: 1, err: "line 1: the card that starts here has no END:VCARD before the next card begins on line 5"},
		{line: 5},
		{line: 10, err: `line 10: line 13 of the card is not a vCard property: "this line is garbage"`},
		{line: 15, err: "line 15: this text is not part of any card; each card starts with BEGIN:VCARD and ends with END:VCARD"},
		{line: 16, err: "line 16: the card is a contact group (KIND:group), not a person or a company"},
		{line: 21, err: "line 21: the card that starts here has no END:VCARD, so the file may be cut short"},
	})
	// A rejected card keeps what could be read.
	equalCard(t, recs[0], map[string]string{"kind": "person", "full_name": "No End", "email": "noend@example.com"})
	equalCard(t, recs[1], map[string]string{"kind": "person", "full_name": "Good One", "email": "good@example.com"})
}

func TestVCardFileErrors(t *testing.T) {
	tests := []struct {
		name string
		data string
		opts Options
		want string
	}{
		{"none.vcf", "FN:Nobody\nEMAIL:x@example.com\n", Options{}, "The file holds no contacts in vCard format: no line says BEGIN:VCARD."},
		{"blank.vcf", "\r\n \r\n", Options{}, "The file is empty."},
		{"forced.txt", "hello\n", Options{Format: "vcf"}, "The file holds no contacts in vCard format"},
		{"nul.vcf", "BEGIN:VCARD\x00\n", Options{}, "This file contains NUL bytes, so it is not a text (vCard) file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readAll(t, writeFile(t, tt.name, []byte(tt.data)), tt.name, tt.opts)
			userError(t, err, tt.want)
		})
	}
}

// TestVCardPhotos checks that a card with a huge photo, folded or on one
// line, still imports its other values.
func TestVCardPhotos(t *testing.T) {
	b64 := strings.Repeat("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=", 1<<15) // about 1 MB
	var folded strings.Builder
	for i := 0; i < len(b64); i += 74 {
		folded.WriteString(" " + b64[i:min(i+74, len(b64))] + "\r\n")
	}
	data := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Folded\r\nPHOTO;ENCODING=b;TYPE=JPEG:\r\n" + folded.String() + "EMAIL:folded@example.com\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:One Line\r\nPHOTO:data:image/jpeg;base64," + b64 + "\r\nEMAIL:line@example.com\r\nEND:VCARD\r\n" +
		"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Unindented\r\nPHOTO;ENCODING=BASE64;TYPE=JPEG:\r\n" + b64[:76] + "\r\n" + b64[76:152] + "\r\n\r\nEMAIL:old@example.com\r\nEND:VCARD\r\n"
	_, recs := mustReadAll(t, writeFile(t, "photos.vcf", []byte(data)), "photos.vcf", Options{})
	if len(recs) != 3 {
		t.Fatalf("got %d records, want 3", len(recs))
	}
	for i, want := range []map[string]string{
		{"kind": "person", "full_name": "Folded", "email": "folded@example.com"},
		{"kind": "person", "full_name": "One Line", "email": "line@example.com"},
		{"kind": "person", "full_name": "Unindented", "email": "old@example.com"},
	} {
		if recs[i].Err != nil {
			t.Fatalf("line %d: %v", recs[i].Line, recs[i].Err)
		}
		equalCard(t, recs[i], want)
	}
}

func TestVCardEncodingsAndLimits(t *testing.T) {
	card := "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Zoë Ärger\r\nEND:VCARD\r\n"
	utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(card)
	if err != nil {
		t.Fatal(err)
	}
	src, recs := mustReadAll(t, writeFile(t, "u16.vcf", []byte(utf16)), "u16.vcf", Options{})
	if src.Meta().Encoding != "utf-16le" {
		t.Errorf("encoding %s", src.Meta().Encoding)
	}
	equalCard(t, recs[0], map[string]string{"kind": "person", "full_name": "Zoë Ärger"})

	// A vCard is recognised by its content, whatever its name.
	src, recs = mustReadAll(t, writeFile(t, "contacts.csv", []byte(card)), "contacts.csv", Options{})
	if src.Meta().Format != FormatVCard || len(recs) != 1 {
		t.Fatalf("meta %+v, %d records", src.Meta(), len(recs))
	}

	long := "BEGIN:VCARD\nFN:Long\nEMAIL:" + strings.Repeat("x", 40) + "@example.com\nEND:VCARD\nBEGIN:VCARD\nFN:Short\nEND:VCARD\n"
	_, recs = mustReadAll(t, writeFile(t, "long.vcf", []byte(long)), "long.vcf", Options{MaxCell: 30})
	checkRecords(t, recs, []wantRec{
		{line: 1, err: "line 1: the card's email holds 52 characters; a value may hold at most 30"},
		{line: 5},
	})

	huge := "BEGIN:VCARD\nFN:Huge\nNOTE:" + strings.Repeat("x", 200) + "\nTEL:" + strings.Repeat("1", 5000) + "\nEND:VCARD\n"
	_, recs = mustReadAll(t, writeFile(t, "huge.vcf", []byte(huge)), "huge.vcf", Options{MaxCell: 10})
	checkRecords(t, recs, []wantRec{{line: 1, err: "line 1: its TEL value on line 4 holds more than 10 characters"}})
}

// TestVCardHugeCard checks that the text kept for one card is bounded.
func TestVCardHugeCard(t *testing.T) {
	var b strings.Builder
	b.WriteString("BEGIN:VCARD\nFN:Huge\n")
	for range 5000 {
		b.WriteString("EMAIL:" + strings.Repeat("x", 1000) + "@example.com\n")
	}
	b.WriteString("END:VCARD\nBEGIN:VCARD\nFN:Next\nEND:VCARD\n")
	_, recs := mustReadAll(t, writeFile(t, "huge.vcf", []byte(b.String())), "huge.vcf", Options{})
	checkRecords(t, recs, []wantRec{
		{line: 1, err: "line 1: the card holds more than 4 MB of text"},
		{line: 5004},
	})
}

func TestBirthDate(t *testing.T) {
	tests := []struct {
		line, want string
	}{
		{"BDAY:1985-03-07", "1985-03-07"},
		{"BDAY:19850307", "1985-03-07"},
		{"BDAY:1985-03-07T00:00:00Z", "1985-03-07"},
		{"BDAY;VALUE=date-time:19850307T103000", "1985-03-07"},
		{"BDAY:--0307", ""},
		{"BDAY:--03-07", ""},
		{"BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-07", ""},
		{"BDAY;VALUE=text:circa 1800", ""},
		{"BDAY:1985-13-07", ""},
	}
	for _, tt := range tests {
		p, ok := parseProp([]byte(tt.line))
		if !ok {
			t.Fatalf("parseProp(%q) failed", tt.line)
		}
		if got := birthDate(&p); got != tt.want {
			t.Errorf("birthDate(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
}

func TestParseProp(t *testing.T) {
	tests := []struct {
		line  string
		name  string
		types string
		value string
		ok    bool
	}{
		{"item1.EMAIL;type=INTERNET;type=pref:a@b.c", "EMAIL", "internet pref", "a@b.c", true},
		{`TEL;TYPE="work,voice";VALUE=uri:tel:+1-555`, "TEL", "work voice", "tel:+1-555", true},
		{"TEL;WORK;VOICE:123", "TEL", "work voice", "123", true},
		{"NOTE;LANGUAGE=en:a:b:c", "NOTE", "", "a:b:c", true},
		{"FN;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Ren=E9", "FN", "", "René", true},
		{"this is garbage", "", "", "", false},
		{"bad name:x", "", "", "", false},
		{":x", "", "", "", false},
		{`X;P="unclosed:x`, "", "", "", false},
	}
	for _, tt := range tests {
		p, ok := parseProp([]byte(tt.line))
		if ok != tt.ok {
			t.Errorf("parseProp(%q) ok = %v", tt.line, ok)
			continue
		}
		if !ok {
			continue
		}
		if p.name != tt.name || strings.Join(p.types(), " ") != tt.types || p.value != tt.value {
			t.Errorf("parseProp(%q) = %s %q %q", tt.line, p.name, p.types(), p.value)
		}
	}
}

func TestVCardText(t *testing.T) {
	if got := unescape(`a\,b\;c\nd\\e\:f\x`); got != "a,b;c\nd\\e:f\\x" {
		t.Errorf("unescape = %q", got)
	}
	if got := splitEscaped(`a\;b;c\\;d`, ';'); strings.Join(got, "|") != `a\;b|c\\|d` {
		t.Errorf("splitEscaped = %q", got)
	}
	for in, want := range map[string]string{
		"tel:+1-555-0100":        "+1-555-0100",
		"TEL:+1-555-0100;ext=42": "+1-555-0100 ext. 42",
		" (555) 0100 ":           "(555) 0100",
	} {
		if got := telNumber(in); got != want {
			t.Errorf("telNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
