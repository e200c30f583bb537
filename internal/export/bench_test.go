package export

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"testing"
	"time"
)

// xlsxRows sets the size of BenchmarkXLSX; raise it to measure the peak
// memory of a large export:
//
//	go test -c -o /tmp/export.test ./internal/export
//	/usr/bin/time -v /tmp/export.test -test.run '^$' -test.bench BenchmarkXLSX -test.benchtime 1x -export.xlsxrows 1000000
var xlsxRows = flag.Int("export.xlsxrows", 100_000, "rows written per BenchmarkXLSX iteration")

// sampleRows returns n distinct contact-like rows of cols cells, with the
// quoting and neutralising cases that real data has.
func sampleRows(n, cols int) [][]string {
	first := []string{"Ann", "Bob", "Zoë", "José", "Łukasz", "美咲", "Olúwaseun", "Siobhán"}
	last := []string{"Lee", "O'Brien", "García Márquez", "Nowak", "佐藤", "Smith, Jr.", "Müller"}
	rows := make([][]string, n)
	for i := range rows {
		f, l := first[i%len(first)], last[i%len(last)]
		base := []string{
			strconv.Itoa(100000 + i),
			f,
			l,
			f + " " + l,
			fmt.Sprintf("%s.%d@example.com", "user", i),
			fmt.Sprintf("+1555%07d", i),
			fmt.Sprintf("(555) %03d-%04d", i%1000, i%10000),
			"Acme Widgets, Inc.",
			"Head of \"Special\" Projects",
			fmt.Sprintf("%d Main Street", i%999+1),
			"Springfield",
			fmt.Sprintf("%05d", i%100000),
			"United States",
			"2024-03-15T10:20:30Z",
			"Met at the fair.\nFollow up in May; likes =cake",
		}
		row := make([]string, cols)
		for c := range row {
			row[c] = base[c%len(base)]
		}
		rows[i] = row
	}
	return rows
}

func header(cols int) []string {
	h := make([]string, cols)
	for i := range h {
		h[i] = "Column " + strconv.Itoa(i+1)
	}
	return h
}

// BenchmarkCSV1M writes 1,000,000 rows of 15 columns per iteration.
func BenchmarkCSV1M(b *testing.B) {
	const rows, cols = 1_000_000, 15
	sample := sampleRows(1000, cols)
	hdr := header(cols)
	var written int64
	b.ReportAllocs()
	for b.Loop() {
		w := &countWriter{}
		tbl := NewCSV(w, CSVOptions{})
		if err := tbl.Header(hdr); err != nil {
			b.Fatal(err)
		}
		for i := range rows {
			if err := tbl.Row(sample[i%len(sample)]); err != nil {
				b.Fatal(err)
			}
		}
		if err := tbl.Close(); err != nil {
			b.Fatal(err)
		}
		written = w.n
	}
	report(b, rows, "rows/s", written)
}

// BenchmarkXLSX writes -export.xlsxrows rows (100,000 by default) of 10
// columns per iteration.
func BenchmarkXLSX(b *testing.B) {
	const cols = 10
	rows := *xlsxRows
	sample := sampleRows(1000, cols)
	hdr := header(cols)
	var written int64
	b.ReportAllocs()
	for b.Loop() {
		w := &countWriter{}
		tbl, err := NewXLSX(w, "Contacts")
		if err != nil {
			b.Fatal(err)
		}
		if err := tbl.Header(hdr); err != nil {
			b.Fatal(err)
		}
		for i := range rows {
			if err := tbl.Row(sample[i%len(sample)]); err != nil {
				b.Fatal(err)
			}
		}
		if err := tbl.Close(); err != nil {
			b.Fatal(err)
		}
		written = w.n
	}
	report(b, rows, "rows/s", written)
}

// BenchmarkVCard writes 100,000 cards per iteration.
func BenchmarkVCard(b *testing.B) {
	const cards = 100_000
	sample := make([]Card, 100)
	for i := range sample {
		sample[i] = Card{
			UID: fmt.Sprintf("0b3e7a4c-1d2e-4f5a-9b8c-%012d", i), First: "Zoë", Last: "O'Brien",
			Org: "Acme, Inc.", Title: "CTO",
			Emails:     []Typed{{"work", fmt.Sprintf("zoe%d@acme.test", i)}},
			Phones:     []Typed{{"cell", fmt.Sprintf("+1555%07d", i)}, {"work", "555-1234"}},
			Addresses:  []Address{{Type: "work", Street1: "1 Main St", City: "Springfield", Region: "IL", PostalCode: "62701", Country: "USA"}},
			Birthday:   "1985-04-12",
			Categories: []string{"VIP", "Customer"},
			Note:       "Met at the fair. Follow up in May; likes cake, tea and long, long notes that need folding.",
			Revision:   time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC),
		}
	}
	var written int64
	b.ReportAllocs()
	for b.Loop() {
		w := &countWriter{}
		v := NewVCard(w)
		for i := range cards {
			if err := v.Write(sample[i%len(sample)]); err != nil {
				b.Fatal(err)
			}
		}
		if err := v.Close(); err != nil {
			b.Fatal(err)
		}
		written = w.n
	}
	report(b, cards, "cards/s", written)
}

// report adds the throughput in unit and the size of the output.
func report(b *testing.B, items int, unit string, written int64) {
	b.Helper()
	b.ReportMetric(float64(items)*float64(b.N)/b.Elapsed().Seconds(), unit)
	b.ReportMetric(float64(written), "out-bytes/op")
}

// countWriter counts and discards what is written to it.
type countWriter struct{ n int64 }

func (w *countWriter) Write(p []byte) (int, error) {
	w.n += int64(len(p))
	return len(p), nil
}

var _ io.Writer = (*countWriter)(nil)
