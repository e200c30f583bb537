package tabular

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// zipPart is a file inside a ZIP archive built by a test.
type zipPart struct {
	name string
	body string
}

// zipBytes builds a ZIP archive of parts, deflated, with a fixed time so
// the output is reproducible.
func zipBytes(t testing.TB, parts []zipPart) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.WriteString(w, p.body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// book describes a workbook for xlsxParts.
type book struct {
	sheets    []bookSheet
	shared    []string // shared strings, written as plain <si><t>
	sharedXML string   // or the whole sharedStrings.xml
	styles    string   // the whole styles.xml, or "" for none
	date1904  bool
	macro     bool              // declare macro-enabled content and add a VBA project
	extra     []zipPart         // more parts
	replace   map[string]string // part bodies to use instead of the generated ones
}

// bookSheet is a worksheet: rows is the inside of <sheetData>.
type bookSheet struct {
	name   string
	rows   string
	hidden bool
}

const (
	nsMain = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	nsRel  = `xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	relNS  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
)

// parts returns the workbook's parts.
func (b book) parts() []zipPart {
	mainType := "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
	if b.macro {
		mainType = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
	}
	var ct, wbx, rels strings.Builder
	ct.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="` + mainType + `"/>`)
	wbx.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<workbook ` + nsMain + ` ` + nsRel + `>`)
	if b.date1904 {
		wbx.WriteString(`<workbookPr date1904="1"/>`)
	}
	wbx.WriteString(`<sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	var parts []zipPart
	for i, s := range b.sheets {
		n := i + 1
		state := ""
		if s.hidden {
			state = ` state="hidden"`
		}
		fmt.Fprintf(&wbx, `<sheet name="%s" sheetId="%d"%s r:id="rId%d"/>`, xmlEscape(s.name), n, state, n)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/worksheet" Target="worksheets/sheet%d.xml"/>`, n, relNS, n)
		fmt.Fprintf(&ct, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, n)
		parts = append(parts, zipPart{
			name: fmt.Sprintf("xl/worksheets/sheet%d.xml", n),
			body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<worksheet ` + nsMain + ` ` + nsRel + `><sheetData>` + s.rows + `</sheetData></worksheet>`,
		})
	}
	wbx.WriteString(`</sheets></workbook>`)
	next := len(b.sheets) + 1
	if b.shared != nil || b.sharedXML != "" {
		body := b.sharedXML
		if body == "" {
			var sst strings.Builder
			fmt.Fprintf(&sst, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst %s count="%d" uniqueCount="%d">`, nsMain, len(b.shared), len(b.shared))
			for _, s := range b.shared {
				fmt.Fprintf(&sst, `<si><t xml:space="preserve">%s</t></si>`, xmlEscape(s))
			}
			sst.WriteString(`</sst>`)
			body = sst.String()
		}
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/sharedStrings" Target="sharedStrings.xml"/>`, next, relNS)
		ct.WriteString(`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`)
		parts = append(parts, zipPart{name: "xl/sharedStrings.xml", body: body})
		next++
	}
	if b.styles != "" {
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="%s/styles" Target="styles.xml"/>`, next, relNS)
		ct.WriteString(`<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`)
		parts = append(parts, zipPart{name: "xl/styles.xml", body: b.styles})
		next++
	}
	if b.macro {
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>`, next)
		ct.WriteString(`<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>`)
		parts = append(parts, zipPart{name: "xl/vbaProject.bin", body: "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 not really a VBA project"})
	}
	rels.WriteString(`</Relationships>`)
	ct.WriteString(`</Types>`)
	all := []zipPart{
		{name: "[Content_Types].xml", body: ct.String()},
		{name: "_rels/.rels", body: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="` + relNS + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{name: "xl/workbook.xml", body: wbx.String()},
		{name: "xl/_rels/workbook.xml.rels", body: rels.String()},
	}
	all = append(all, parts...)
	all = append(all, b.extra...)
	for i, p := range all {
		if body, ok := b.replace[p.name]; ok {
			all[i].body = body
		}
	}
	return all
}

// xmlEscape escapes text for XML.
func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}

// stylesXML returns a styles.xml whose cellXfs use the given number
// formats, with custom format codes for ids from 164.
func stylesXML(custom map[int]string, xfs ...int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<styleSheet ` + nsMain + `>`)
	if len(custom) > 0 {
		fmt.Fprintf(&b, `<numFmts count="%d">`, len(custom))
		for id := 164; id < 164+len(custom)+10; id++ {
			if code, ok := custom[id]; ok {
				fmt.Fprintf(&b, `<numFmt numFmtId="%d" formatCode="%s"/>`, id, xmlEscape(code))
			}
		}
		b.WriteString(`</numFmts>`)
	}
	b.WriteString(`<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>`)
	// Differential formats hold numFmt elements too, which must not count.
	b.WriteString(`<dxfs count="1"><dxf><numFmt numFmtId="164" formatCode="0.00"/></dxf></dxfs>`)
	// cellStyleXfs also holds <xf> elements, which must not be counted.
	b.WriteString(`<cellStyleXfs count="2"><xf numFmtId="14"/><xf numFmtId="14"/></cellStyleXfs>`)
	fmt.Fprintf(&b, `<cellXfs count="%d">`, len(xfs))
	for _, id := range xfs {
		fmt.Fprintf(&b, `<xf numFmtId="%d" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`, id)
	}
	b.WriteString(`</cellXfs></styleSheet>`)
	return b.String()
}

// writeFile writes data to a file in a new temporary directory and
// returns its path.
func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// testdata returns the path of a fixture.
func testdata(name string) string { return filepath.Join("testdata", name) }

// readAll opens a file and reads every record, failing the test on any
// error but a file-level *Error, which it returns.
func readAll(t testing.TB, path, name string, opts Options) (Source, []Record, error) {
	t.Helper()
	src, err := Open(path, name, opts)
	if err != nil {
		return nil, nil, err
	}
	t.Cleanup(func() { src.Close() })
	var recs []Record
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return src, recs, nil
		}
		if err != nil {
			return src, recs, err
		}
		recs = append(recs, rec)
	}
}

// mustReadAll is readAll for files that must read without a file-level
// error.
func mustReadAll(t testing.TB, path, name string, opts Options) (Source, []Record) {
	t.Helper()
	src, recs, err := readAll(t, path, name, opts)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return src, recs
}

// userError asserts that err is an *Error whose message contains want.
func userError(t testing.TB, err error, want string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v (%T), want an *Error containing %q", err, err, want)
	}
	if !strings.Contains(e.Msg, want) {
		t.Fatalf("got message %q, want it to contain %q", e.Msg, want)
	}
}

// rowError asserts that rec is rejected with a message containing want.
func rowError(t testing.TB, rec Record, want string) {
	t.Helper()
	if rec.Err == nil {
		t.Fatalf("line %d: got no error (fields %q), want one containing %q", rec.Line, rec.Fields, want)
	}
	userError(t, rec.Err, want)
}

// equalStrings reports a difference between two string slices.
func equalStrings(t testing.TB, what string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got %d values %q, want %d values %q", what, len(got), got, len(want), want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: value %d is %q, want %q (all: %q)", what, i+1, got[i], want[i], got)
		}
	}
}
