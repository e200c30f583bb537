package tabular

import (
	"archive/zip"
	"bufio"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
)

// benchRows is the size of the benchmark files.
const benchRows = 1_000_000

// BenchmarkCSV reads a 1,000,000-row, 15-column CSV file (about 150 MB)
// with quoted values, a few of them spanning lines.
func BenchmarkCSV(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.csv")
	if err := writeBigCSV(path, benchRows); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for b.Loop() {
		if n, _ := drain(b, path, "big.csv"); n != benchRows {
			b.Fatalf("read %d rows, want %d", n, benchRows)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkXLSX reads a 1,000,000-row, 10-column workbook whose sheet
// unpacks to about 500 MB, with a million unique shared strings.
func BenchmarkXLSX(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.xlsx")
	if err := writeBigXLSX(path, benchRows, true); err != nil {
		b.Fatal(err)
	}
	var sheet int64
	b.ResetTimer()
	for b.Loop() {
		var n int
		if n, sheet = drain(b, path, "big.xlsx"); n != benchRows {
			b.Fatalf("read %d rows, want %d", n, benchRows)
		}
	}
	st, _ := os.Stat(path)
	b.ReportMetric(float64(st.Size())/(1<<20), "file-MB")
	b.ReportMetric(float64(sheet)/(1<<20), "sheet-MB")
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// drain reads every record of a file and returns how many were accepted
// and the total of Progress. Benchmarks also get the peak heap in use
// while reading.
func drain(t testing.TB, path, name string) (int, int64) {
	t.Helper()
	runtime.GC()
	var ms runtime.MemStats
	var peak uint64
	sample := func() {
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapInuse)
	}
	sample()
	if b, ok := t.(*testing.B); ok {
		defer func() {
			sample()
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		}()
	}
	src, err := Open(path, name, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	n := 0
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			_, total := src.Progress()
			return n, total
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec.Err != nil {
			t.Fatalf("line %d: %v", rec.Line, rec.Err)
		}
		if n++; n%100_000 == 0 {
			sample()
		}
	}
}

// writeBigCSV writes a CSV file of rows contact rows and 15 columns.
func writeBigCSV(path string, rows int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "id,first_name,last_name,email,phone,mobile,company,title,street,city,region,postal_code,country,birthday,notes")
	for i := range rows {
		notes := "Met at the conference"
		switch i % 50 {
		case 0:
			notes = "\"Said \"\"call me\"\",\nthen left\""
		case 1:
			notes = "\"Likes tea, not coffee\""
		}
		fmt.Fprintf(w, "%d,Ada%d,Lovelace,ada.%d@example.com,+44 20 7946 %04d,07700 9%05d,\"Engines, Ltd\",Mathematician,%d Main Street,London,Greater London,SW1Y %dJH,United Kingdom,1985-03-%02d,%s\n",
			i, i%1000, i, i%10000, i%100000, i%500, i%10, i%28+1, notes)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeBigXLSX writes a workbook of rows rows and 10 columns: text shared
// strings (with one unique email per row when unique is set, else inline
// ones), numbers, dates, booleans, inline strings and formulas.
func writeBigXLSX(path string, rows int, unique bool) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := zip.NewWriter(bufio.NewWriterSize(f, 1<<20))
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	b := book{
		sheets: []bookSheet{{name: "Contacts"}},
		styles: stylesXML(nil, 0, 14),
	}
	for _, p := range b.parts() {
		switch p.name {
		case "xl/worksheets/sheet1.xml":
			continue
		case "xl/workbook.xml", "[Content_Types].xml", "xl/_rels/workbook.xml.rels":
			p.body = patchBigBook(p.name, p.body)
		}
		w, err := zw.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(w, p.body); err != nil {
			return err
		}
	}

	// Shared strings: 1,000 first names, then one email per row.
	const names = 1000
	w, err := zw.Create("xl/sharedStrings.xml")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	emails := 0
	if unique {
		emails = rows
	}
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<sst %s count="%d" uniqueCount="%d">`, nsMain, names+emails, names+emails)
	for i := range names {
		fmt.Fprintf(bw, "<si><t>Name %d</t></si>", i)
	}
	for i := range emails {
		fmt.Fprintf(bw, "<si><t>person.%d@example.com</t></si>", i)
	}
	bw.WriteString("</sst>")
	if err := bw.Flush(); err != nil {
		return err
	}

	w, err = zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		return err
	}
	bw = bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+"\n"+`<worksheet %s %s><dimension ref="A1:J%d"/><sheetData>`, nsMain, nsRel, rows+1)
	bw.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>Name</t></is></c><c r="B1" t="inlineStr"><is><t>Email</t></is></c><c r="C1" t="inlineStr"><is><t>Phone</t></is></c><c r="D1" t="inlineStr"><is><t>Birthday</t></is></c><c r="E1" t="inlineStr"><is><t>Zip</t></is></c><c r="F1" t="inlineStr"><is><t>Score</t></is></c><c r="G1" t="inlineStr"><is><t>Active</t></is></c><c r="H1" t="inlineStr"><is><t>Note</t></is></c><c r="I1" t="inlineStr"><is><t>Total</t></is></c><c r="J1" t="inlineStr"><is><t>City</t></is></c></row>`)
	var line []byte
	for i := range rows {
		r := strconv.Itoa(i + 2)
		line = line[:0]
		line = append(line, `<row r="`...)
		line = append(line, r...)
		line = append(line, `" spans="1:10">`...)
		cell := func(col, attrs, inner string) {
			line = append(line, `<c r="`...)
			line = append(line, col...)
			line = append(line, r...)
			line = append(line, '"')
			line = append(line, attrs...)
			line = append(line, '>')
			line = append(line, inner...)
			line = append(line, `</c>`...)
		}
		cell("A", ` t="s"`, "<v>"+strconv.Itoa(i%names)+"</v>")
		if unique {
			cell("B", ` t="s"`, "<v>"+strconv.Itoa(names+i)+"</v>")
		} else {
			cell("B", ` t="inlineStr"`, "<is><t>person."+strconv.Itoa(i)+"@example.com</t></is>")
		}
		cell("C", ``, "<v>"+strconv.Itoa(15550000000+i)+"</v>")
		cell("D", ` s="1"`, "<v>"+strconv.Itoa(30000+i%20000)+"</v>")
		cell("E", ` t="inlineStr"`, "<is><t>0"+strconv.Itoa(1000+i%9000)+"</t></is>")
		cell("F", ``, "<v>"+strconv.FormatFloat(float64(i%1000)/8, 'f', -1, 64)+"</v>")
		cell("G", ` t="b"`, "<v>"+strconv.Itoa(i%2)+"</v>")
		cell("H", ` t="inlineStr"`, "<is><t>Note for row "+r+"</t></is>")
		cell("I", ``, "<f>C"+r+"*2</f><v>"+strconv.Itoa(2*(15550000000+i))+"</v>")
		cell("J", ` t="s"`, "<v>"+strconv.Itoa(i%97)+"</v>")
		line = append(line, `</row>`...)
		bw.Write(line)
	}
	bw.WriteString(`</sheetData></worksheet>`)
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return nil
}

// patchBigBook adds the shared strings to the parts that list them, since
// the benchmark writes that part itself.
func patchBigBook(name, body string) string {
	switch name {
	case "[Content_Types].xml":
		return body[:len(body)-len("</Types>")] + `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`
	case "xl/_rels/workbook.xml.rels":
		return body[:len(body)-len("</Relationships>")] + `<Relationship Id="rId99" Type="` + relNS + `/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
	}
	return body
}
