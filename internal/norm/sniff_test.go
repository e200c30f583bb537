package norm

import (
	"bytes"
	"testing"
)

func TestSniff_acceptsPDFJPEGAndPNGByContent(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"PDF", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"), "application/pdf"},
		{"JPEG (JFIF)", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), "image/jpeg"},
		{"JPEG (Exif)", []byte("\xff\xd8\xff\xe1\x00\x18Exif\x00\x00"), "image/jpeg"},
		{"PNG", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "image/png"},
		{"largest accepted", append([]byte("%PDF-"), make([]byte, MaxDocumentSize-5)...), "application/pdf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := Sniff(tt.in); err != nil || got != tt.want {
				t.Errorf("Sniff = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestSniff_namesWhatARefusedFileLooksLike(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty", nil, "this file is empty"},
		{"too large", append([]byte("%PDF-"), make([]byte, MaxDocumentSize)...), "this file is too large: at most 10 MB (this one is 10.0 MB)"},
		{"Windows program", []byte("MZ\x90\x00\x03\x00\x00\x00"), "this file is a Windows program, not a PDF, JPEG or PNG"},
		{"Windows program named .pdf", []byte("MZ\x90\x00%PDF-1.4"), "this file is a Windows program, not a PDF, JPEG or PNG"},
		{"Linux program", []byte("\x7fELF\x02\x01\x01"), "this file is a Linux program, not a PDF, JPEG or PNG"},
		{"macOS program", []byte("\xcf\xfa\xed\xfe\x07\x00\x00\x01"), "this file is a macOS program, not a PDF, JPEG or PNG"},
		{"shell script", []byte("#!/bin/sh\nrm -rf /\n"), "this file is a script, not a PDF, JPEG or PNG"},
		{"Word document", []byte("PK\x03\x04\x14\x00\x06\x00"), "this file is a ZIP archive or Office document, not a PDF, JPEG or PNG"},
		{"old Excel file", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00"), "this file is an older Office document (Word, Excel or Outlook), not a PDF, JPEG or PNG"},
		{"RTF", []byte(`{\rtf1\ansi`), "this file is an RTF document, not a PDF, JPEG or PNG"},
		{"gzip", []byte("\x1f\x8b\x08\x00"), "this file is a compressed (gzip) file, not a PDF, JPEG or PNG"},
		{"RAR", []byte("Rar!\x1a\x07\x01\x00"), "this file is a RAR archive, not a PDF, JPEG or PNG"},
		{"7-Zip", []byte("7z\xbc\xaf\x27\x1c\x00\x04"), "this file is a 7-Zip archive, not a PDF, JPEG or PNG"},
		{"GIF", []byte("GIF89a\x01\x00"), "this file is a GIF image, not a PDF, JPEG or PNG"},
		{"TIFF", []byte("II*\x00\x08\x00\x00\x00"), "this file is a TIFF image, not a PDF, JPEG or PNG"},
		{"BMP", []byte("BM\x36\x00\x0c\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00"), "this file is a BMP image, not a PDF, JPEG or PNG"},
		{"WebP", []byte("RIFF\x24\x00\x00\x00WEBPVP8 "), "this file is a WebP image, not a PDF, JPEG or PNG"},
		{"iPhone photo", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"), "this file is a HEIC photo (the iPhone format; export it as JPEG), not a PDF, JPEG or PNG"},
		{"AVIF", []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00"), "this file is an AVIF image, not a PDF, JPEG or PNG"},
		{"MP4 video", []byte("\x00\x00\x00\x20ftypisom\x00\x00\x02\x00"), "this file is a video, not a PDF, JPEG or PNG"},
		{"HTML", []byte("<!DOCTYPE html><html><body>"), "this file is a web page or script (HTML), not a PDF, JPEG or PNG"},
		{"HTML after BOM and blank lines", []byte("\xef\xbb\xbf\r\n  <HTML>"), "this file is a web page or script (HTML), not a PDF, JPEG or PNG"},
		{"script tag", []byte("<script>alert(1)</script>"), "this file is a web page or script (HTML), not a PDF, JPEG or PNG"},
		{"SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">`), "this file is an XML or SVG file, not a PDF, JPEG or PNG"},
		{"XML", []byte(`<?xml version="1.0"?><svg/>`), "this file is an XML or SVG file, not a PDF, JPEG or PNG"},
		{"plain text", []byte("Passport number: 123\nExpires: 2030\n"), "this file is a text file, not a PDF, JPEG or PNG"},
		{"text starting with BM", []byte("BMW lease agreement, signed copy to follow"), "this file is a text file, not a PDF, JPEG or PNG"},
		{"PDF header not at the start", []byte("\n%PDF-1.4"), "this file is a text file, not a PDF, JPEG or PNG"},
		{"truncated JPEG magic", []byte("\xff\xd8"), "this file is not a PDF, JPEG or PNG"},
		{"truncated PNG magic", []byte("\x89PNG\r\n"), "this file is not a PDF, JPEG or PNG"},
		{"NUL bytes", []byte{0, 0, 0, 0}, "this file is not a PDF, JPEG or PNG"},
		{"random binary", []byte{0x13, 0x37, 0xc0, 0xde, 0xff, 0xfe}, "this file is not a PDF, JPEG or PNG"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Sniff(tt.in)
			if err == nil || err.Error() != tt.want || got != "" {
				t.Errorf("Sniff = %q, %v; want error %q", got, err, tt.want)
			}
		})
	}
}

func TestSniff_textCutInsideACharacterIsStillText(t *testing.T) {
	b := append(bytes.Repeat([]byte("a"), 1023), "é"...) // the sample ends halfway through é
	if _, err := Sniff(b); err == nil || err.Error() != "this file is a text file, not a PDF, JPEG or PNG" {
		t.Errorf("Sniff = %v; want it recognised as text", err)
	}
}
