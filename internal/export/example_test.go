package export_test

import (
	"bytes"
	"fmt"
	"log"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/export"
)

func ExampleNeutralise() {
	for _, s := range []string{"=SUM(A1:A9)", "+15551234567", "Ann", "'=x"} {
		n := export.Neutralise(s)
		fmt.Printf("%-14q %-16q %q\n", s, n, export.Restore(n))
	}
	// Output:
	// "=SUM(A1:A9)"  "'=SUM(A1:A9)"   "=SUM(A1:A9)"
	// "+15551234567" "'+15551234567"  "+15551234567"
	// "Ann"          "Ann"            "Ann"
	// "'=x"          "''=x"           "'=x"
}

func ExampleNewCSV() {
	var buf bytes.Buffer
	t := export.NewCSV(&buf, export.CSVOptions{OmitBOM: true})
	if err := t.Header([]string{"Name", "Phone", "Note"}); err != nil {
		log.Fatal(err)
	}
	if err := t.Row([]string{"Zoë O'Brien", "+15551234567", "says \"hi\", twice"}); err != nil {
		log.Fatal(err)
	}
	if err := t.Close(); err != nil {
		log.Fatal(err)
	}
	// Lines end with CRLF.
	for line := range strings.SplitSeq(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n") {
		fmt.Println(line)
	}
	// Output:
	// Name,Phone,Note
	// Zoë O'Brien,'+15551234567,"says ""hi"", twice"
}

func ExampleNewVCard() {
	var buf bytes.Buffer
	v := export.NewVCard(&buf)
	err := v.Write(export.Card{
		UID:      "0b3e7a4c-1d2e-4f5a-9b8c-7d6e5f4a3b2c",
		First:    "Zoë",
		Last:     "O'Brien",
		Org:      "Acme, Inc.",
		Emails:   []export.Typed{{Type: "work", Value: "zoe@acme.test"}},
		Phones:   []export.Typed{{Type: "cell", Value: "+1 555 123 4567"}, {Type: "work", Value: "555-1234 ext. 9"}},
		Birthday: "1985-04-12",
		Revision: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	if err := v.Close(); err != nil {
		log.Fatal(err)
	}
	for line := range strings.SplitSeq(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n") {
		fmt.Println(line)
	}
	// Output:
	// BEGIN:VCARD
	// VERSION:4.0
	// UID:urn:uuid:0b3e7a4c-1d2e-4f5a-9b8c-7d6e5f4a3b2c
	// FN:Zoë O'Brien
	// N:O'Brien;Zoë;;;
	// ORG:Acme\, Inc.
	// EMAIL;TYPE=work;PREF=1:zoe@acme.test
	// TEL;VALUE=uri;TYPE=cell;PREF=1:tel:+15551234567
	// TEL;TYPE=work:555-1234 ext. 9
	// BDAY:19850412
	// REV:20240506T070809Z
	// END:VCARD
}
