//go:build !race

package tabular

import (
	"errors"
	"io"
	"path/filepath"
	"runtime"
	"testing"
)

// TestConstantMemory reads a 300,000-row CSV file (about 60 MB) and a
// 200,000-row workbook (a sheet of about 85 MB) and checks that the heap
// stays small: the files are streamed, not held. It is left out of race
// builds, which are too slow for it.
func TestConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("reads large files")
	}
	const limit = 24 << 20
	dir := t.TempDir()
	csvPath := filepath.Join(dir, "big.csv")
	if err := writeBigCSV(csvPath, 300_000); err != nil {
		t.Fatal(err)
	}
	xlsxPath := filepath.Join(dir, "big.xlsx")
	if err := writeBigXLSX(xlsxPath, 200_000, false); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ path, name string }{{csvPath, "big.csv"}, {xlsxPath, "big.xlsx"}} {
		peak := peakHeap(t, tt.path, tt.name)
		t.Logf("%s: peak heap in use %.1f MB", tt.name, float64(peak)/(1<<20))
		if peak > limit {
			t.Errorf("%s: peak heap in use %d bytes, want under %d", tt.name, peak, limit)
		}
	}
}

// peakHeap reads every record of a file, sampling the heap in use.
func peakHeap(t *testing.T, path, name string) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	var peak uint64
	src, err := Open(path, name, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	for n := 0; ; n++ {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec.Err != nil {
			t.Fatalf("line %d: %v", rec.Line, rec.Err)
		}
		if n%10_000 == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	return peak
}
