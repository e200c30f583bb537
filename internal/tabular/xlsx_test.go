package tabular

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"strings"
	"testing"
)

func TestXLSXContacts(t *testing.T) {
	src, recs := mustReadAll(t, testdata("contacts.xlsx"), "contacts.xlsx", Options{})
	m := src.Meta()
	if m.Format != FormatXLSX || m.Sheet != "Contacts" {
		t.Errorf("meta %+v, want xlsx and sheet Contacts (the first visible one)", m)
	}
	equalStrings(t, "sheets", m.Sheets, []string{"Lookup", "Contacts", "Notes"})
	equalStrings(t, "header", src.Header(), []string{"Name", "Zip", "Phone", "Birthday", "Total", "Active", "Note", "Met at", "Ratio"})
	checkRecords(t, recs, []wantRec{
		// Text zip codes keep their zeros; the numeric phone has no
		// exponent; the date-formatted serial is a date; the formula gives
		// its cached value; rich text runs are joined.
		{line: 2, fields: []string{"Ada Lovelace", "02134", "15551234567", "1985-03-07", "31102469134", "TRUE", "Hello world", "2023-03-15 12:00:00", "0.1"}},
		// Cells without references; an exponent; float noise.
		{line: 3, fields: []string{"Grace Hopper", "00501", "15551234567", "", "", "FALSE", "", "", "0.3"}},
		// Phonetic runs left out; a number format that is not a date; an
		// ISO date; a formula without a cached value and an error value
		// read as blank; a string formula.
		{line: 5, fields: []string{"Rich text & more", "", "12.5", "2001-02-03", "", "", "", "Rich text & more!", ""}},
		// A time format; Excel's 29 February 1900; minus zero.
		{line: 7, fields: []string{"Time only", "", "", "18:00:00", "", "", "", "1900-02-29", "0"}},
		{line: 8, fields: []string{"Too wide", "", "", "", "", "", "", "", "", "", "stray"},
			err: "row 8 has a value in column K, but the header has only 9 columns (A to I)"},
		{line: 9, err: "row 9: column A (Name) refers to a shared text that the workbook does not hold"},
	})
	if done, total := src.Progress(); done != total || total == 0 {
		t.Errorf("progress %d/%d after the last record", done, total)
	}
}

func TestXLSXSheetOption(t *testing.T) {
	for _, name := range []string{"Notes", " notes "} {
		src, recs := mustReadAll(t, testdata("contacts.xlsx"), "contacts.xlsx", Options{Sheet: name})
		if src.Meta().Sheet != "Notes" {
			t.Errorf("sheet %q read, want Notes", src.Meta().Sheet)
		}
		equalStrings(t, "header", src.Header(), []string{"Note"})
		checkRecords(t, recs, []wantRec{{line: 2, fields: []string{"second sheet"}}})
	}
	src, _ := mustReadAll(t, testdata("contacts.xlsx"), "contacts.xlsx", Options{Sheet: "Lookup"})
	equalStrings(t, "hidden sheet header", src.Header(), []string{"hidden"})

	_, _, err := readAll(t, testdata("contacts.xlsx"), "contacts.xlsx", Options{Sheet: "Nope"})
	userError(t, err, `The workbook has no sheet named "Nope"; its sheets are "Lookup", "Contacts" and "Notes".`)
}

// TestXLSXExcelize reads a workbook written by a real XLSX library.
func TestXLSXExcelize(t *testing.T) {
	src, recs := mustReadAll(t, testdata("excelize.xlsx"), "excelize.xlsx", Options{})
	equalStrings(t, "sheets", src.Meta().Sheets, []string{"People", "Second"})
	equalStrings(t, "header", src.Header(), []string{"Name", "Zip", "Phone", "Joined", "Score", "Member", "Formula"})
	checkRecords(t, recs, []wantRec{
		{line: 2, fields: []string{"Ada Lovelace", "02134", "15551234567", "1985-03-07", "0.1", "TRUE", ""}},
		{line: 3, fields: []string{"Grace Hopper", "00501", "2025550111", "2023-03-15 12:00:00", "12.5", "FALSE", ""}},
	})
}

// simpleBook is a one-sheet workbook with the given rows.
func simpleBook(rows string) book {
	return book{sheets: []bookSheet{{name: "Sheet1", rows: rows}}}
}

const doctype = `<?xml version="1.0"?>` + "\n" + `<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]>` + "\n"

func TestXLSXFileErrors(t *testing.T) {
	row1 := `<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>`
	macroByType := simpleBook(row1)
	macroByType.macro = true
	vba := simpleBook(row1)
	vba.extra = []zipPart{{name: "xl/vbaProject.bin", body: "x"}}
	wide := `<row r="1">`
	for i := range 2000 {
		wide += fmt.Sprintf(`<c r="%s1" t="inlineStr"><is><t>c%d</t></is></c>`, columnLetters(i), i)
	}
	wide += `</row>`
	strict := simpleBook(row1)
	strict.replace = map[string]string{"xl/workbook.xml": `<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"><sheets/></workbook>`}
	noSheetPart := simpleBook(row1)
	noSheetPart.replace = map[string]string{"xl/_rels/workbook.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + relNS + `/worksheet" Target="worksheets/missing.xml"/></Relationships>`}

	tests := []struct {
		name string
		data []byte
		opts Options
		want string
	}{
		{"contacts.xlsm", mustRead(t, testdata("contacts.xlsm")), Options{}, msgMacros},
		{"renamed.xlsx", mustRead(t, testdata("contacts.xlsm")), Options{}, msgMacros},
		{"named.xlsm", mustRead(t, testdata("contacts.xlsx")), Options{}, msgMacros},
		{"type.xlsx", zipBytes(t, macroByType.parts()), Options{}, msgMacros},
		{"vba.xlsx", zipBytes(t, vba.parts()), Options{}, msgMacros},
		{"entity-bomb.xlsx", mustRead(t, testdata("entity-bomb.xlsx")), Options{}, msgDoctype},
		{"sheet-doctype.xlsx", zipBytes(t, withPart(simpleBook(row1), "xl/worksheets/sheet1.xml", doctype+`<worksheet><sheetData>`+row1+`</sheetData></worksheet>`)), Options{}, msgDoctype},
		{"workbook-doctype.xlsx", zipBytes(t, withPart(simpleBook(row1), "xl/workbook.xml", doctype+`<workbook/>`)), Options{}, msgDoctype},
		{"types-doctype.xlsx", zipBytes(t, withPart(simpleBook(row1), "[Content_Types].xml", doctype+`<Types/>`)), Options{}, msgDoctype},
		{"styles-doctype.xlsx", zipBytes(t, book{sheets: []bookSheet{{name: "S", rows: row1}}, styles: doctype + `<styleSheet/>`}.parts()), Options{}, msgDoctype},
		{"lowercase-doctype.xlsx", zipBytes(t, withPart(simpleBook(row1), "xl/worksheets/sheet1.xml", `<!doctype x><worksheet/>`)), Options{}, msgDoctype},
		{"not-a-book.xlsx", zipBytes(t, []zipPart{{name: "readme.txt", body: "hi"}}), Options{}, msgNotBook},
		{"forced.bin", zipBytes(t, []zipPart{{name: "readme.txt", body: "hi"}}), Options{Format: "xlsx"}, msgNotBook},
		{"archive.csv", mustRead(t, testdata("archive.csv")), Options{}, "This file is a ZIP archive, not a CSV, XLSX or vCard file."},
		{"letter.docx", zipBytes(t, []zipPart{{name: "word/document.xml", body: "<w/>"}}), Options{}, "This file is a Word document (.docx), not a CSV, XLSX or vCard file."},
		{"sheet.ods", zipBytes(t, []zipPart{{name: "mimetype", body: "application/vnd.oasis.opendocument.spreadsheet"}, {name: "content.xml", body: "<x/>"}}), Options{}, "This file is an OpenDocument spreadsheet (.ods), not a CSV, XLSX or vCard file; save it as .xlsx or CSV and upload that."},
		{"book.xlsb", zipBytes(t, []zipPart{{name: "xl/workbook.bin", body: "x"}}), Options{}, "This file is an Excel binary workbook (.xlsb)"},
		{"as-csv.xlsx", mustRead(t, testdata("contacts.xlsx")), Options{Format: "csv"}, "This file is an Excel workbook (.xlsx), not a CSV file; choose XLSX as the format, or let Folio detect it."},
		{"as-vcard.xlsx", mustRead(t, testdata("contacts.xlsx")), Options{Format: "vcard"}, "not a vCard file"},
		{"wide.xlsx", zipBytes(t, simpleBook(wide).parts()), Options{}, `The sheet "Sheet1" has 2,000 columns; Folio reads at most 1,000.`},
		{"empty.xlsx", zipBytes(t, simpleBook(`<row r="1"><c r="A1" s="0"/></row>`).parts()), Options{}, `The sheet "Sheet1" is empty.`},
		{"no-sheets.xlsx", zipBytes(t, strict.parts()), Options{}, "The workbook has no worksheets, so there is nothing to read."},
		{"no-sheet-part.xlsx", zipBytes(t, noSheetPart.parts()), Options{}, `The workbook is damaged: its sheet "Sheet1" is missing.`},
		{"truncated.xlsx", mustRead(t, testdata("contacts.xlsx"))[:1000], Options{}, "it is damaged, so it cannot be read"},
		{"malformed.xlsx", zipBytes(t, withPart(simpleBook(row1), "xl/worksheets/sheet1.xml", `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Name`)), Options{}, msgDamaged},
		{"unclosed-tag.xlsx", zipBytes(t, withPart(simpleBook(row1), "xl/worksheets/sheet1.xml", `<worksheet><sheetData><row r="1"><c r="A1`)), Options{}, msgDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readAll(t, writeFile(t, tt.name, tt.data), tt.name, tt.opts)
			userError(t, err, tt.want)
		})
	}
}

// withPart returns b's parts with one part's body replaced.
func withPart(b book, name, body string) []zipPart {
	b.replace = map[string]string{name: body}
	return b.parts()
}

// mustRead reads a file.
func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rawEntry is a ZIP entry written as it is, with declared sizes that may
// lie.
type rawEntry struct {
	name     string
	data     []byte // deflated
	declared uint64 // declared unpacked size
	crc      uint32
}

// zipWithRaw builds a ZIP archive of parts and raw entries; a raw entry
// replaces the part of the same name.
func zipWithRaw(t testing.TB, parts []zipPart, raws ...rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		replaced := false
		for _, r := range raws {
			if r.name == p.name {
				replaced = true
			}
		}
		if replaced {
			continue
		}
		w, err := zw.Create(p.name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p.body)
	}
	for _, r := range raws {
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name:               r.name,
			Method:             zip.Deflate,
			CompressedSize64:   uint64(len(r.data)),
			UncompressedSize64: r.declared,
			CRC32:              r.crc,
		})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(r.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflate compresses data.
func deflate(t testing.TB, data []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestSpeed)
	w.Write(data)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// deflatedZeros returns a deflate stream of mib MiB of zero bytes and its
// CRC-32, built fast by repeating the independently compressed, flushed
// blocks of one MiB.
func deflatedZeros(t testing.TB, mib int) ([]byte, uint32) {
	zero := make([]byte, 1<<20)
	var chunk bytes.Buffer
	w, _ := flate.NewWriter(&chunk, flate.BestSpeed)
	w.Write(zero)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	var final bytes.Buffer
	fw, _ := flate.NewWriter(&final, flate.BestSpeed)
	fw.Close()
	out := bytes.Repeat(chunk.Bytes(), mib)
	out = append(out, final.Bytes()...)
	crc := uint32(0)
	for range mib {
		crc = crc32.Update(crc, crc32.IEEETable, zero)
	}
	return out, crc
}

func TestDeflatedZeros(t *testing.T) {
	data, crc := deflatedZeros(t, 3)
	got, err := io.ReadAll(flate.NewReader(bytes.NewReader(data)))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3<<20 || !bytes.Equal(got, make([]byte, 3<<20)) || crc32.ChecksumIEEE(got) != crc {
		t.Fatalf("got %d bytes, want 3 MiB of zeros", len(got))
	}
}

func TestXLSXZipBombs(t *testing.T) {
	row1 := `<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c></row>`
	parts := simpleBook(row1).parts()
	withSST := book{sheets: []bookSheet{{name: "Sheet1", rows: row1}}, shared: []string{"x"}}.parts()
	zeros, zerosCRC := deflatedZeros(t, 300)
	if len(zeros) > 1<<20 {
		t.Fatalf("300 MiB of zeros deflate to %d bytes", len(zeros))
	}
	sheetStart := `<worksheet><sheetData>` + row1 + `<row r="2"><c r="A2" t="inlineStr"><is><t>` + strings.Repeat("padding ", 1<<17)
	small := deflate(t, []byte(sheetStart))

	tests := []struct {
		name string
		data []byte
		lim  limits
		want string
	}{
		{
			// A header declaring more than the sheet limit: refused before
			// anything is unpacked.
			name: "declared sheet size",
			data: zipWithRaw(t, parts, rawEntry{name: "xl/worksheets/sheet1.xml", data: small, declared: 3 << 30}),
			want: "The workbook expands to more than 2 GB when unpacked, which looks like a zip bomb; it was not read.",
		},
		{
			name: "declared shared strings size",
			data: zipWithRaw(t, withSST, rawEntry{name: "xl/sharedStrings.xml", data: small, declared: 600 << 20}),
			want: "The workbook expands to more than 512 MB when unpacked, which looks like a zip bomb; it was not read.",
		},
		{
			// An honest header: 300 MiB of zeros in under 1 MiB.
			name: "compression ratio",
			data: zipWithRaw(t, parts, rawEntry{name: "xl/worksheets/sheet1.xml", data: zeros, declared: 300 << 20, crc: zerosCRC}),
			want: "The workbook expands to more than 200 times its size when unpacked, which looks like a zip bomb; it was not read.",
		},
		{
			// A header that lies: it declares 64 KiB, the data unpacks to
			// 300 MiB. The bytes actually unpacked are held to the
			// declared size.
			name: "lying header",
			data: zipWithRaw(t, parts, rawEntry{name: "xl/worksheets/sheet1.xml", data: zeros, declared: 64 << 10}),
			want: msgLiar,
		},
		{
			name: "lying header after valid XML",
			data: zipWithRaw(t, parts, rawEntry{name: "xl/worksheets/sheet1.xml", data: small, declared: 100}),
			want: msgLiar,
		},
		{
			// Lower limits, to check each kind of part cheaply.
			name: "sheet over a lower limit",
			data: zipWithRaw(t, parts, rawEntry{name: "xl/worksheets/sheet1.xml", data: small, declared: uint64(len(sheetStart)), crc: crc32.ChecksumIEEE([]byte(sheetStart))}),
			lim:  limits{sheet: 1 << 20, strings: 1 << 20, part: 1 << 20, ratio: 200, ratioFrom: 16 << 20},
			want: "The workbook expands to more than 1 MB when unpacked",
		},
		{
			name: "workbook part over a lower limit",
			data: zipBytes(t, parts),
			lim:  limits{sheet: 1 << 20, strings: 1 << 20, part: 100, ratio: 200, ratioFrom: 16 << 20},
			want: "The workbook expands to more than 100 bytes when unpacked",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lim := tt.lim
			if lim == (limits{}) {
				lim = defaultLimits()
			}
			path := writeFile(t, "bomb.xlsx", tt.data)
			src, err := open(path, "bomb.xlsx", Options{}, lim)
			if err == nil {
				defer src.Close()
				for err == nil {
					_, err = src.Next()
				}
			}
			userError(t, err, tt.want)
		})
	}
}

func TestXLSXCellProblems(t *testing.T) {
	long := strings.Repeat("x", 40000)
	b := book{
		sheets: []bookSheet{{name: "Sheet1", rows: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>` +
			`<row r="2"><c r="A2" t="inlineStr"><is><t>Ada</t></is></c><c r="B2" t="inlineStr"><is><t>` + long + `</t></is></c></row>` +
			`<row r="3"><c r="A3" t="inlineStr"><is><t>Grace</t></is></c><c r="B3" t="s"><v>2</v></c></row>` +
			`<row r="4"><c r="A4" t="inlineStr"><is><t>Alan</t></is></c><c r="B4" t="s"><v>3</v></c></row>`}},
		shared: []string{"Name", "Notes", long + "é", "fine"},
	}
	_, recs := mustReadAll(t, writeFile(t, "cells.xlsx", zipBytes(t, b.parts())), "cells.xlsx", Options{})
	checkRecords(t, recs, []wantRec{
		{line: 2, err: "row 2: column B (Notes) holds 40,000 characters; a cell may hold at most 32,767"},
		{line: 3, err: "row 3: column B (Notes) holds 40,001 characters; a cell may hold at most 32,767"},
		{line: 4, fields: []string{"Alan", "fine"}},
	})
}

func TestDecodeXString(t *testing.T) {
	for in, want := range map[string]string{
		"plain":             "plain",
		"a_x000D_b":         "a\rb",
		"_x005F_x0041_":     "_x0041_",
		"_x00E9_t_x00e9_":   "été",
		"nul_x0000_":        "nul",
		"_xZZZZ_ and _x12_": "_xZZZZ_ and _x12_",
		"_x263A__x263A_":    "☺☺",
	} {
		if got := string(decodeXString([]byte(in))); got != want {
			t.Errorf("decodeXString(%q) = %q, want %q", in, got, want)
		}
	}
	b := book{
		sheets: []bookSheet{{name: "S", rows: `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>B_x005F_x0031_</t></is></c></row>`}},
		shared: []string{"Line_x000D_"},
	}
	src, _ := mustReadAll(t, writeFile(t, "x.xlsx", zipBytes(t, b.parts())), "x.xlsx", Options{})
	equalStrings(t, "header", src.Header(), []string{"Line", "B_x0031_"})
}

func TestXLSXDate1904(t *testing.T) {
	b := book{
		sheets:   []bookSheet{{name: "Sheet1", rows: `<row r="1"><c r="A1" t="inlineStr"><is><t>When</t></is></c></row><row r="2"><c r="A2" s="1"><v>29651</v></c></row>`}},
		styles:   stylesXML(nil, 0, 14),
		date1904: true,
	}
	_, recs := mustReadAll(t, writeFile(t, "1904.xlsx", zipBytes(t, b.parts())), "1904.xlsx", Options{})
	checkRecords(t, recs, []wantRec{{line: 2, fields: []string{"1985-03-07"}}})
}

// TestXLSXVariants reads workbooks written differently from Excel:
// namespace prefixes, strict-schema relationship types, absolute targets,
// stored (not deflated) parts, Windows path separators and odd references.
func TestXLSXVariants(t *testing.T) {
	prefixed := `<x:worksheet xmlns:x="http://purl.oclc.org/ooxml/spreadsheetml/main"><x:sheetData>` +
		`<x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Name</x:t></x:is></x:c><x:c r="B1" t="inlineStr"><x:is><x:t>Tel</x:t></x:is></x:c></x:row>` +
		`<x:row><x:c r="b2"><x:v>  42 </x:v></x:c><x:c r="A2" t="inlineStr"><x:is><x:t><![CDATA[<Ada> & co]]></x:t></x:is></x:c></x:row>` +
		`<!-- a comment --><?pi data?>` +
		`<x:row r="3"><x:c r="A3" t="inlineStr"><x:is><x:t>caf&#233; &#x263A; &lt;&amp;&gt;</x:t></x:is></x:c><x:c r="ZZZZZ3" t="inlineStr"><x:is><x:t>far</x:t></x:is></x:c></x:row>` +
		`</x:sheetData></x:worksheet>`
	wb := `<workbook xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main" xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships"><sheets><sheet name="R&amp;D" sheetId="1" r:id="rIdA"/></sheets></workbook>`
	rels := `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdA" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/worksheet" Target="/xl/worksheets/Sheet1.xml"/></Relationships>`
	root := `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range []zipPart{
		{name: "[Content_Types].xml", body: `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{name: "_rels/.rels", body: root},
		{name: "xl/workbook.xml", body: wb},
		{name: `xl\_rels\workbook.xml.rels`, body: rels},
		{name: "xl/worksheets/sheet1.xml", body: prefixed},
	} {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p.body)
	}
	zw.Close()
	src, recs := mustReadAll(t, writeFile(t, "variants.xlsx", buf.Bytes()), "variants.xlsx", Options{})
	equalStrings(t, "sheets", src.Meta().Sheets, []string{"R&D"})
	equalStrings(t, "header", src.Header(), []string{"Name", "Tel"})
	checkRecords(t, recs, []wantRec{
		{line: 2, fields: []string{"<Ada> & co", "42"}},
		{line: 3, err: "row 3 has a value in column XFE, but the header has only 2 columns (A to B)"},
	})
	equalStrings(t, "row 3", recs[1].Fields[:1], []string{"café ☺ <&>"})
}

func TestAppendNumber(t *testing.T) {
	tests := map[string]string{
		"15551234567":          "15551234567",
		"1.5551234567E+10":     "15551234567",
		"1.5551234567e10":      "15551234567",
		"0.1":                  "0.1",
		"0.30000000000000004":  "0.3",
		"1.1000000000000001":   "1.1",
		"42":                   "42",
		"42.0":                 "42",
		"-0":                   "0",
		"-0.50":                "-0.5",
		"+7":                   "7",
		"1E+20":                "100000000000000000000",
		"1.23E-7":              "0.000000123",
		"12345678901234567890": "12345678901234567890",
		"123456789012.345678":  "123456789012.346",
		" 3 ":                  "3",
		"":                     "",
		"abc":                  "abc",
		"NaN":                  "NaN",
	}
	for in, want := range tests {
		if got := string(appendNumber(nil, []byte(in))); got != want {
			t.Errorf("appendNumber(%q) = %q, want %q", in, got, want)
		}
	}
	// Never an exponent, however large.
	if got := string(appendNumber(nil, []byte("1E+119"))); got != "1"+strings.Repeat("0", 119) {
		t.Errorf("appendNumber(1E+119) = %q", got)
	}
}

func TestAppendSerial(t *testing.T) {
	tests := []struct {
		serial   float64
		class    byte
		date1904 bool
		want     string
	}{
		{31113, classDate, false, "1985-03-07"},
		{45000.5, classDate, false, "2023-03-15 12:00:00"},
		{1, classDate, false, "1900-01-01"},
		{59, classDate, false, "1900-02-28"},
		{60, classDate, false, "1900-02-29"},
		{61, classDate, false, "1900-03-01"},
		{0.75, classDate, false, "18:00:00"},
		{1.5, classTime, false, "12:00:00"},
		{0.999999999, classDate, false, "1900-01-01"},
		{29651, classDate, true, "1985-03-07"},
		{0, classDate, true, "00:00:00"},
		{2958465, classDate, false, "9999-12-31"},
		{45000 + 1.0/86400, classDate, false, "2023-03-15 00:00:01"},
	}
	for _, tt := range tests {
		got, ok := appendSerial(nil, tt.serial, tt.class, tt.date1904)
		if !ok || string(got) != tt.want {
			t.Errorf("appendSerial(%v, %d, %v) = %q, %v; want %q", tt.serial, tt.class, tt.date1904, got, ok, tt.want)
		}
	}
	for _, bad := range []float64{-1, 2958466, 1e300} {
		if _, ok := appendSerial(nil, bad, classDate, false); ok {
			t.Errorf("appendSerial(%v) succeeded, want false", bad)
		}
	}
}

func TestCodeClass(t *testing.T) {
	tests := map[string]byte{
		"yyyy-mm-dd":                         classDate,
		"d/m/yy h:mm":                        classDate,
		"mmm":                                classDate,
		"[$-409]mmmm d, yyyy;@":              classDate,
		"DD.MM.YYYY":                         classDate,
		"h:mm AM/PM":                         classTime,
		"[h]:mm:ss":                          classTime,
		"mm:ss":                              classTime,
		"General":                            classNumber,
		"0.00":                               classNumber,
		`0.00 "days"`:                        classNumber,
		`#,##0\ "m"`:                         classNumber,
		"[Red]#,##0;[Blue]-#,##0":            classNumber,
		"_(* #,##0_);_(* (#,##0)":            classNumber,
		"0.00E+00":                           classNumber,
		"@":                                  classNumber,
		"[<=9999999]###-####;(###) ###-####": classNumber,
		"00000":                              classNumber,
	}
	for code, want := range tests {
		if got := codeClass(code); got != want {
			t.Errorf("codeClass(%q) = %d, want %d", code, got, want)
		}
	}
	for id, want := range map[int]byte{0: classNumber, 1: classNumber, 14: classDate, 17: classDate, 18: classTime, 21: classTime, 22: classDate, 45: classTime, 47: classTime, 49: classNumber, 57: classDate} {
		if got := builtinClass(id); got != want {
			t.Errorf("builtinClass(%d) = %d, want %d", id, got, want)
		}
	}
}

func TestAppendISODate(t *testing.T) {
	tests := map[string]string{
		"2001-02-03":                "2001-02-03",
		"2001-02-03T00:00:00Z":      "2001-02-03",
		"2001-02-03T04:05:06":       "2001-02-03 04:05:06",
		"2001-02-03T04:05:06.789Z":  "2001-02-03 04:05:06",
		"2001-02-03T04:05:06+02:00": "2001-02-03 04:05:06",
		"04:05:06":                  "04:05:06",
		"not a date":                "not a date",
	}
	for in, want := range tests {
		if got := string(appendISODate(nil, []byte(in))); got != want {
			t.Errorf("appendISODate(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestXMLScanner(t *testing.T) {
	in := `<?xml version="1.0"?><!-- c --><a:root xmlns:a="u" x='1>2' y="&amp;&quot;"><b/>text &lt;&#65;&#x42;&bogus; <![CDATA[<raw>]]></a:root>`
	sc := newXMLScanner(iotestOneByte(strings.NewReader(in)), 100)
	var got []string
	for {
		kind, err := sc.next()
		if err != nil {
			t.Fatal(err)
		}
		if kind == tokEOF {
			break
		}
		switch kind {
		case tokStart:
			x, _ := sc.attr("x")
			y, _ := sc.attr("y")
			got = append(got, fmt.Sprintf("<%s x=%s y=%s empty=%v>", sc.name, x, y, sc.empty))
		case tokEnd:
			got = append(got, fmt.Sprintf("</%s>", sc.name))
		case tokText:
			got = append(got, fmt.Sprintf("%q", sc.text))
		}
	}
	want := []string{`<root x=1>2 y=&" empty=false>`, `<b x= y= empty=true>`, `"text <AB&bogus; "`, `"<raw>"`, `</root>`}
	equalStrings(t, "tokens", got, want)

	// Text beyond maxText is counted, not kept.
	sc = newXMLScanner(strings.NewReader("<t>"+strings.Repeat("é", 100)+"</t>"), 10)
	sc.next()
	sc.next()
	if len(sc.text) != 10 || sc.extra != 95 {
		t.Fatalf("kept %d bytes, counted %d more characters; want 10 and 95", len(sc.text), sc.extra)
	}

	// A tag longer than maxTag is refused.
	sc = newXMLScanner(strings.NewReader("<t a=\""+strings.Repeat("x", maxTag+10)+"\">"), 10)
	if _, err := sc.next(); err != errMalformed {
		t.Fatalf("long tag: %v, want errMalformed", err)
	}
}

// iotestOneByte returns a reader that reads one byte at a time, to cross
// every buffer boundary.
func iotestOneByte(r io.Reader) io.Reader { return &oneByteReader{r} }

type oneByteReader struct{ r io.Reader }

func (o *oneByteReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	return o.r.Read(p[:1])
}
