package demo_test

import (
	"testing"

	"github.com/foliocrm/folio/internal/demo"
)

var sink demo.Contact

// BenchmarkGenerate makes 100,000 contacts per iteration and reports the
// cost per contact: `folio demo --contacts 1000000` must stay well under
// ten seconds.
func BenchmarkGenerate(b *testing.B) {
	const perOp = 100_000
	b.ReportAllocs()
	for b.Loop() {
		g := demo.New(1)
		for range perOp {
			sink = g.Next()
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*perOp), "ns/contact")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkNext measures one contact, allocations included.
func BenchmarkNext(b *testing.B) {
	g := demo.New(1)
	b.ReportAllocs()
	for b.Loop() {
		sink = g.Next()
	}
}
