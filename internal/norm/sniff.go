package norm

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"
)

// MaxDocumentSize is the largest compliance document accepted, in bytes.
const MaxDocumentSize = 10 << 20

// Sniff returns the content type of an uploaded compliance document —
// "application/pdf", "image/jpeg" or "image/png" — decided from its first
// bytes alone. The file name and the type the browser claims are never
// consulted: both are chosen by the uploader. Anything else is refused,
// naming what the file appears to be when that is recognisable, so the
// person uploading knows what went wrong ("this file is a ZIP archive or
// Office document, not a PDF, JPEG or PNG").
func Sniff(b []byte) (contentType string, err error) {
	switch {
	case len(b) == 0:
		return "", errors.New("this file is empty")
	case len(b) > MaxDocumentSize:
		return "", fmt.Errorf("this file is too large: at most %d MB (this one is %.1f MB)", MaxDocumentSize>>20, float64(len(b))/(1<<20))
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return "application/pdf", nil
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return "image/jpeg", nil
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return "image/png", nil
	}
	if what := lookalike(b); what != "" {
		return "", fmt.Errorf("this file is %s, not a PDF, JPEG or PNG", what)
	}
	return "", errors.New("this file is not a PDF, JPEG or PNG")
}

// signatures maps the first bytes of common files people upload by mistake
// (or on purpose) to a description for the error message.
var signatures = []struct {
	prefix string
	what   string
}{
	{"MZ", "a Windows program"},
	{"\x7fELF", "a Linux program"},
	{"\xfe\xed\xfa\xce", "a macOS program"},
	{"\xfe\xed\xfa\xcf", "a macOS program"},
	{"\xce\xfa\xed\xfe", "a macOS program"},
	{"\xcf\xfa\xed\xfe", "a macOS program"},
	{"\xca\xfe\xba\xbe", "a macOS or Java program"},
	{"#!", "a script"},
	{"PK\x03\x04", "a ZIP archive or Office document"},
	{"PK\x05\x06", "a ZIP archive or Office document"},
	{"PK\x07\x08", "a ZIP archive or Office document"},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an older Office document (Word, Excel or Outlook)"},
	{"{\\rtf", "an RTF document"},
	{"Rar!\x1a\x07", "a RAR archive"},
	{"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"},
	{"\x1f\x8b", "a compressed (gzip) file"},
	{"GIF87a", "a GIF image"},
	{"GIF89a", "a GIF image"},
	{"II*\x00", "a TIFF image"},
	{"MM\x00*", "a TIFF image"},
}

// lookalike names what b appears to be, or returns "".
func lookalike(b []byte) string {
	for _, s := range signatures {
		if bytes.HasPrefix(b, []byte(s.prefix)) {
			return s.what
		}
	}
	if len(b) >= 18 && string(b[:2]) == "BM" && isBMPHeaderSize(b[14]) && string(b[15:18]) == "\x00\x00\x00" {
		return "a BMP image"
	}
	if len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP" {
		return "a WebP image"
	}
	if len(b) >= 12 && string(b[4:8]) == "ftyp" {
		// ISO base media files: the brand says photo or video.
		switch string(b[8:12]) {
		case "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1":
			return "a HEIC photo (the iPhone format; export it as JPEG)"
		case "avif", "avis":
			return "an AVIF image"
		}
		return "a video"
	}
	text := bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
	head := bytes.ToLower(text[:min(len(text), 64)])
	for _, tag := range []string{"<!doctype html", "<html", "<head", "<body", "<script", "<iframe", "<svg", "<?xml"} {
		if bytes.HasPrefix(head, []byte(tag)) {
			if tag == "<svg" || tag == "<?xml" {
				return "an XML or SVG file"
			}
			return "a web page or script (HTML)"
		}
	}
	if isText(b) {
		return "a text file"
	}
	return ""
}

// isBMPHeaderSize reports whether n is the size of one of the BMP
// information headers; "BM" alone is too common a start of a text.
func isBMPHeaderSize(n byte) bool {
	switch n {
	case 12, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}

// isText reports whether the start of b is UTF-8 text without control
// characters other than white space.
func isText(b []byte) bool {
	b = b[:min(len(b), 1024)]
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == utf8.RuneError && size <= 1 {
			// A multi-byte character cut off at the end of the sample is fine.
			return len(b) < utf8.UTFMax && !utf8.FullRune(b)
		}
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0x7f {
			return false
		}
		b = b[size:]
	}
	return true
}
