package tabular

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestOpenRefusesOtherFiles(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"image-renamed.csv", mustRead(t, testdata("image-renamed.csv")), "This file is a PNG image, not a CSV, XLSX or vCard file."},
		{"legacy.xls", mustRead(t, testdata("legacy.xls")), "This file is an Excel 97–2003 (.xls) workbook or other Office binary file, not a CSV, XLSX or vCard file; save it as .xlsx or CSV"},
		{"page.xls", mustRead(t, testdata("page.xls")), "This file is a web page (HTML), not a CSV, XLSX or vCard file"},
		{"photo.csv", []byte("\xFF\xD8\xFF\xE0\x00\x10JFIF"), "This file is a JPEG image, not a CSV, XLSX or vCard file."},
		{"anim.csv", []byte("GIF89a\x01\x00\x01\x00"), "This file is a GIF image, not a CSV, XLSX or vCard file."},
		{"doc.csv", []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), "This file is a PDF document, not a CSV, XLSX or vCard file."},
		{"data.csv.gz", []byte("\x1F\x8B\x08\x00\x00\x00"), "This file is a compressed (gzip) archive, not a CSV, XLSX or vCard file; unpack it"},
		{"data.7z", []byte("7z\xBC\xAF\x27\x1C\x00\x04"), "This file is a 7-Zip archive"},
		{"data.rar", []byte("Rar!\x1A\x07\x01\x00"), "This file is a RAR archive"},
		{"pic.webp", []byte("RIFF\x24\x00\x00\x00WEBPVP8 "), "This file is a WebP image"},
		{"pic.heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"), "This file is an HEIC or AVIF image"},
		{"scan.tif", []byte("II*\x00\x08\x00\x00\x00"), "This file is a TIFF image"},
		{"notes.rtf", []byte(`{\rtf1\ansi Name}`), "This file is an RTF document"},
		{"db.csv", []byte("SQLite format 3\x00\x10\x00"), "This file is an SQLite database"},
		{"tool.csv", []byte("\x7FELF\x02\x01\x01"), "This file is a program"},
		{"export.xls", []byte("\xEF\xBB\xBF  <!DOCTYPE html><html>"), "This file is a web page (HTML)"},
		{"export.xml", []byte(`<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">`), "This file is an Excel 2003 XML spreadsheet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, format := range []string{"", "csv", "xlsx", "vcard"} {
				_, _, err := readAll(t, writeFile(t, tt.name, tt.data), tt.name, Options{Format: format})
				userError(t, err, tt.want)
			}
		})
	}
}

// TestOpenContentWins checks that the content decides the format, not the
// name.
func TestOpenContentWins(t *testing.T) {
	tests := []struct {
		fixture, name, format string
	}{
		{"contacts.xlsx", "contacts.csv", FormatXLSX},
		{"contacts.xlsx", "contacts", FormatXLSX},
		{"comma.csv", "comma.xlsx", FormatCSV},
		{"comma.csv", "comma.txt", FormatCSV},
		{"many-cards.vcf", "cards.csv", FormatVCard},
		{"many-cards.vcf", "cards.txt", FormatVCard},
	}
	for _, tt := range tests {
		src, _ := mustReadAll(t, writeFile(t, tt.name, mustRead(t, testdata(tt.fixture))), tt.name, Options{})
		if got := src.Meta().Format; got != tt.format {
			t.Errorf("%s named %s read as %s, want %s", tt.fixture, tt.name, got, tt.format)
		}
	}
	// A chosen text format is obeyed.
	src, recs := mustReadAll(t, testdata("many-cards.vcf"), "many-cards.vcf", Options{Format: "CSV"})
	if src.Meta().Format != FormatCSV || len(recs) == 0 {
		t.Errorf("forced CSV: meta %+v, %d records", src.Meta(), len(recs))
	}
}

func TestOpenMissingFile(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "missing.csv"), "missing.csv", Options{})
	var e *Error
	if err == nil || errors.As(err, &e) || !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("got %v, want a wrapped os.ErrNotExist that is not an *Error", err)
	}
}

func TestMessageHelpers(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 32767: "32,767", 1048576: "1,048,576", -1234567: "-1,234,567"} {
		if got := formatInt(n); got != want {
			t.Errorf("formatInt(%d) = %q, want %q", n, got, want)
		}
	}
	for n, want := range map[int64]string{2 << 30: "2 GB", 512 << 20: "512 MB", 1536 << 20: "1,536 MB", 100: "100 bytes", 4096: "4 KB"} {
		if got := formatSize(n); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", n, got, want)
		}
	}
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 701: "ZZ", 702: "AAA", 16383: "XFD"} {
		if got := columnLetters(i); got != want {
			t.Errorf("columnLetters(%d) = %q, want %q", i, got, want)
		}
	}
	if got := quoteList([]string{"A", "B", "C"}); got != `"A", "B" and "C"` {
		t.Errorf("quoteList = %s", got)
	}
	if got := count(1, "value") + " " + count(2, "value"); got != "1 value 2 values" {
		t.Errorf("count = %s", got)
	}
}
