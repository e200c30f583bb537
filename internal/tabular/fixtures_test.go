package tabular

import (
	"bytes"
	"flag"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// Run "go test ./internal/tabular -run TestFixtures -update" to rewrite the
// files in testdata from the definitions below. testdata/excelize.xlsx is
// written by testdata/gen_excelize.go instead.
var update = flag.Bool("update", false, "rewrite the fixture files in testdata")

// TestFixtures checks that every fixture is committed and, for the text
// ones, matches its definition here; with -update it writes them.
func TestFixtures(t *testing.T) {
	for name, data := range fixtures(t) {
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run the test with -update to write the fixtures)", err)
		}
		if len(got) > 100<<10 {
			t.Errorf("%s is %d bytes; fixtures must stay well under 100 KB", name, len(got))
		}
		// Deflated ZIP output may change between Go releases.
		if !isZIP(data) && !bytes.Equal(got, data) {
			t.Errorf("%s differs from its definition; run the test with -update", name)
		}
	}
}

// fixtures returns the content of every generated fixture by file name.
func fixtures(t testing.TB) map[string][]byte {
	utf16 := func(order unicode.Endianness, s string) []byte {
		b, err := unicode.UTF16(order, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	cp1252, err := charmap.Windows1252.NewEncoder().Bytes([]byte("Name,City,Note\r\nRené,Köln,“quoted” €5\r\nJürgen,Düsseldorf,it’s ü\r\n"))
	if err != nil {
		t.Fatal(err)
	}
	var pngBuf bytes.Buffer
	img := image.NewRGBA(image.Rect(0, 0, 1, 1))
	img.Set(0, 0, color.RGBA{R: 0x2a, G: 0x7a, B: 0xe2, A: 0xff})
	if err := png.Encode(&pngBuf, img); err != nil {
		t.Fatal(err)
	}
	return map[string][]byte{
		"comma.csv": []byte("Name,Email,Phone,City\n" +
			"Ada Lovelace,ada@example.com,+44 20 7946 0001,London\n" +
			"\"Hopper, Grace\",grace@example.com,\"+1 (202) 555-0111\",\"Arlington, VA\"\n" +
			"\n" +
			"Alan Turing,alan@example.com,,Wilmslow\n" +
			",,,\n"),
		"semicolon.csv": []byte("Name;Amount;Note\nMüller;1,50;\"semi;colon\"\nDupont;2,75;ok\n"),
		"tab.tsv":       []byte("Name\tEmail\tNote\nAda\tada@example.com\tcomma, inside\nGrace\tgrace@example.com\t\"quoted\ttab\"\n"),
		"pipe.csv":      []byte("Name|Email|Company\nAda|ada@example.com|Analytical, Ltd\nGrace|grace@example.com|Navy\n"),
		"utf8-bom.csv":  []byte("\xEF\xBB\xBFName,City\nZoë,Zürich\n"),
		"utf16le-bom.csv": utf16(unicode.LittleEndian,
			"Name,City\r\nZoë,Zürich\r\nJosé,São Paulo\r\n"),
		"utf16be-bom.csv": utf16(unicode.BigEndian,
			"Name,City\r\nZoë,Zürich\r\nJosé,São Paulo\r\n"),
		"windows1252.csv": cp1252,
		"multiline-quoted.csv": []byte("Name,Address,Note\r\n" +
			"Ada,\"1 Main St\r\nFloor 2\",\"She said \"\"hi\"\"\"\r\n" +
			"Grace,\"Line one\nLine two\nLine three\",plain\r\n" +
			"Alan,x,y\r\n"),
		"broken-quotes.csv": []byte("Name,Email,Note\n" +
			"Ada,ada@example.com,fine\n" +
			"Bob,bob@example.com,5'9\" tall\n" +
			"\"Carol\" Smith,carol@example.com,x\n" +
			"Dave,dave@example.com,ok\n" +
			"Eve,\"eve@example.com,unclosed\n" +
			"Frank,frank@example.com,ok\n" +
			"Gina,gina@example.com,last\n"),
		"ragged.csv": []byte("Name,Email,Phone\n" +
			"Ada,ada@example.com,123\n" +
			"Bob,bob@example.com,456,extra,more\n" +
			"Carol,carol@example.com\n" +
			"Dave,dave@example.com,789,,,\n" +
			"Eve,eve@example.com,000\n"),
		"header-only.csv":   []byte("Name,Email\n"),
		"empty.csv":         {},
		"blank.csv":         []byte("\xEF\xBB\xBF\r\n  \r\n"),
		"nul.csv":           []byte("Name,Email\nA\x00da,ada@example.com\n"),
		"sep-directive.csv": []byte("sep=;\nName;Note\nAda;a,b\n"),
		"invalid-utf8.csv":  []byte("Name,City\nRen\xe9,K\xf6ln\nAda,London\n"),
		"image-renamed.csv": pngBuf.Bytes(),
		"legacy.xls":        append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 504)...),
		"page.xls":          []byte("<html><body><table><tr><td>Name</td></tr></table></body></html>\n"),
		"archive.csv":       zipBytes(t, []zipPart{{name: "readme.txt", body: "not a workbook"}}),
		"contacts.xlsx":     zipBytes(t, contactsBook().parts()),
		"contacts.xlsm":     zipBytes(t, macroBook().parts()),
		"entity-bomb.xlsx":  zipBytes(t, entityBombBook().parts()),
		"many-cards.vcf":    []byte(strings.ReplaceAll(manyCards, "\n", "\r\n")),
		"broken.vcf":        []byte(brokenCards),
	}
}

// contactsBook is testdata/contacts.xlsx: a hidden first sheet, then
// "Contacts" with every kind of cell, then "Notes".
func contactsBook() book {
	shared := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<sst ` + nsMain + ` count="16" uniqueCount="14">` +
		`<si><t>Name</t></si><si><t>Zip</t></si><si><t>Phone</t></si><si><t>Birthday</t></si>` +
		`<si><t>Total</t></si><si><t>Active</t></si><si><t>Note</t></si><si><t>Met at</t></si><si><t>Ratio</t></si>` +
		`<si><t>Ada Lovelace</t></si><si><t>02134</t></si><si><t>Grace Hopper</t></si><si><t>00501</t></si>` +
		// Rich text, with a phonetic run that is not part of the value.
		`<si><r><rPr><b/></rPr><t xml:space="preserve">Rich </t></r><r><t>text &amp; more</t></r><rPh sb="0" eb="4"><t>リッチ</t></rPh><phoneticPr fontId="1"/></si>` +
		`</sst>`
	contacts := `<row r="1">` +
		`<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c>` +
		`<c r="E1" t="s"><v>4</v></c><c r="F1" t="s"><v>5</v></c><c r="G1" t="s"><v>6</v></c><c r="H1" t="s"><v>7</v></c><c r="I1" t="s"><v>8</v></c>` +
		`</row>` +
		`<row r="2">` +
		`<c r="A2" t="s"><v>9</v></c>` +
		`<c r="B2" t="s"><v>10</v></c>` +
		`<c r="C2"><v>15551234567</v></c>` +
		`<c r="D2" s="1"><v>31113</v></c>` +
		`<c r="E2"><f>C2*2</f><v>31102469134</v></c>` +
		`<c r="F2" t="b"><v>1</v></c>` +
		`<c r="G2" t="inlineStr"><is><r><t xml:space="preserve">Hello </t></r><r><rPr><b/></rPr><t>world</t></r></is></c>` +
		`<c r="H2" s="2"><v>45000.5</v></c>` +
		`<c r="I2"><v>0.1</v></c>` +
		`</row>` +
		// Cells without references, and a number written with an exponent.
		`<row r="3"><c t="s"><v>11</v></c><c t="s"><v>12</v></c><c><v>1.5551234567E+10</v></c>` +
		`<c r="F3" t="b"><v>0</v></c><c r="I3"><v>0.30000000000000004</v></c></row>` +
		// Row 4 is missing; row 5 has an ISO date, formulas and an error.
		`<row r="5"><c r="A5" t="s"><v>13</v></c><c r="C5" s="3"><v>12.5</v></c>` +
		`<c r="D5" t="d"><v>2001-02-03T00:00:00Z</v></c><c r="E5"><f>NOW()</f></c>` +
		`<c r="G5" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="H5" t="str"><f>A5&amp;"!"</f><v>Rich text &amp; more!</v></c></row>` +
		// Styled but empty cells: the row is skipped.
		`<row r="6"><c r="A6" s="1"/><c r="B6" s="2"/></row>` +
		`<row r="7"><c r="A7" t="inlineStr"><is><t>Time only</t></is></c><c r="D7" s="4"><v>0.75</v></c>` +
		`<c r="H7" s="6"><v>60</v></c><c r="I7"><v>-0</v></c></row>` +
		// A value past the header, and a shared string that does not exist.
		`<row r="8"><c r="A8" t="inlineStr"><is><t>Too wide</t></is></c><c r="K8" t="inlineStr"><is><t>stray</t></is></c></row>` +
		`<row r="9"><c r="A9" t="s"><v>999</v></c></row>`
	return book{
		sheets: []bookSheet{
			{name: "Lookup", rows: `<row r="1"><c r="A1" t="inlineStr"><is><t>hidden</t></is></c></row>`, hidden: true},
			{name: "Contacts", rows: contacts},
			{name: "Notes", rows: `<row r="1"><c r="A1" t="inlineStr"><is><t>Note</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>second sheet</t></is></c></row>`},
		},
		sharedXML: shared,
		styles: stylesXML(map[int]string{
			164: "yyyy-mm-dd hh:mm",
			165: `0.00 "days"`,
			166: "[h]:mm:ss",
			167: "[$-409]mmmm d, yyyy;@",
		}, 0, 14, 164, 165, 166, 49, 167),
	}
}

// macroBook is testdata/contacts.xlsm.
func macroBook() book {
	b := contactsBook()
	b.macro = true
	return b
}

// billionLaughs is an XML entity bomb.
const billionLaughs = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>`

// entityBombBook is testdata/entity-bomb.xlsx: a billion-laughs DOCTYPE in
// the shared strings.
func entityBombBook() book {
	return book{
		sheets:    []bookSheet{{name: "Sheet1", rows: `<row r="1"><c r="A1" t="s"><v>0</v></c></row>`}},
		sharedXML: billionLaughs,
	}
}

// manyCards is testdata/many-cards.vcf (written with CRLF line breaks):
// vCard 3.0, 4.0 and 2.1 cards with folded lines, photos, grouped
// properties and company cards.
const manyCards = `BEGIN:VCARD
VERSION:3.0
N:Lovelace;Ada;Augusta,King;Lady;
FN:Ada Lovelace
NICKNAME:Enchantress of Numbers
ORG:Analytical Engines Ltd;Research
TITLE:Mathema
 tician
EMAIL;TYPE=INTERNET,HOME:ada@home.example
EMAIL;TYPE=INTERNET;TYPE=WORK;TYPE=pref:ada@work.example
item1.EMAIL;type=INTERNET:ada@other.example
item1.X-ABLabel:Other
EMAIL:fourth@example.com
TEL;TYPE=CELL,VOICE:+44 20 7946 0001
TEL;TYPE=WORK,VOICE:+44 20 7946 0002
TEL;TYPE=HOME:+44 20 7946 0003
TEL;TYPE=WORK,FAX:+44 20 7946 0004
TEL;TYPE=CELL:+44 7700 900005
ADR;TYPE=HOME:;;1 Home Street;Homeville;;H1 1AA;United Kingdom
ADR;TYPE=WORK,PREF:PO Box 12;Suite 4;12 St James's Square\nFloor 2;London;Greater London;SW1Y 4JH;United Kingdom
BDAY:1815-12-10
URL:https://www.linkedin.com/in/ada
URL:https://ada.example.com
CATEGORIES:Friends,Scientists
CATEGORIES:VIP
NOTE:Notes are not imported\, but are parsed.
UID:urn:uuid:0e7602cc-443e-4b82-b4f4-6c4d4b4b0001
PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgG
 BgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/wAALCAABAAEBAREA
 /8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8A
 VN//2Q==
END:VCARD
BEGIN:VCARD
VERSION:4.0
KIND:org
FN:Acme Corporation
ORG:Acme Corporation
EMAIL;PREF=2:info@acme.example
EMAIL;PREF=1:sales@acme.example
TEL;VALUE=uri;TYPE="work,voice":tel:+1-555-555-0100;ext=42
TEL;TYPE=fax;VALUE=uri:tel:+1-555-555-0199
ADR;TYPE=work;LABEL="100 Main St\nSpringfield":;;100 Main St;Springfield;IL;62701;USA
URL:https://acme.example
LOGO:https://acme.example/logo.png
UID:urn:uuid:0e7602cc-443e-4b82-b4f4-6c4d4b4b0002
END:VCARD
BEGIN:VCARD
VERSION:3.0
N:;;;;
FN:Globex
ORG:Globex;
X-ABShowAs:COMPANY
TEL;type=MAIN:555-0300
BDAY;X-APPLE-OMIT-YEAR=1604:1604-03-07
item2.URL;type=pref:http\://globex.example
item2.X-ABLabel:_$!<HomePage>!$_
END:VCARD
BEGIN:VCARD
VERSION:2.1
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen
FN;ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=
=C3=BCller
TEL;CELL;PREF:+49 151 0000001
TEL;WORK;VOICE:+49 30 0000002
EMAIL;PREF;INTERNET:juergen@example.de
BDAY:19850307
ADR;HOME;ENCODING=QUOTED-PRINTABLE:;;Hauptstra=C3=9Fe 1=0D=0A2. OG;Berlin;;10115;Germany
PHOTO;ENCODING=BASE64;TYPE=JPEG:
  /9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgG
  BgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/wAALCAABAAEBAREA

END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Grace Hopper
N:Hopper;Grace;Brewster Murray;Rear Admiral;
BDAY:1906-12-09T00:00:00Z
EMAIL;TYPE=work:grace@navy.example
TEL;TYPE=cell:tel:+1-202-555-0111
ADR;PREF=1:;;1 Navy Way;Arlington;VA;22202;USA
END:VCARD
BEGIN:VCARD
VERSION:3.0
END:VCARD
begin:vcard
version:3.0
fn:Year Less
bday:--0307
kind:individual
end:vcard
`

// brokenCards is testdata/broken.vcf: every card but one is broken.
const brokenCards = `BEGIN:VCARD
VERSION:3.0
FN:No End
EMAIL:noend@example.com
BEGIN:VCARD
VERSION:3.0
FN:Good One
EMAIL:good@example.com
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Garbage Inside
this line is garbage
END:VCARD
stray text outside
BEGIN:VCARD
VERSION:4.0
KIND:group
FN:Team
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:Cut Short
EMAIL:cut@example.com
`
