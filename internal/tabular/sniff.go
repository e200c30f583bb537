package tabular

import (
	"bytes"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// fileKind is a kind of file recognised by its first bytes.
type fileKind struct {
	what   string // "a PNG image"
	advice string // a sentence or clause that follows, or ""
}

// error returns the message for a file of this kind.
func (k *fileKind) error() *Error {
	msg := "This file is " + k.what + ", not a CSV, XLSX or vCard file"
	if k.advice != "" {
		msg += "; " + k.advice
	}
	return &Error{Msg: msg + "."}
}

// zipKind describes a ZIP archive that is not a workbook.
func zipKind() *fileKind { return &fileKind{what: "a ZIP archive"} }

// isZIP reports whether b starts like a ZIP archive (which an XLSX file
// is).
func isZIP(b []byte) bool {
	return bytes.HasPrefix(b, []byte("PK\x03\x04")) || bytes.HasPrefix(b, []byte("PK\x05\x06")) || bytes.HasPrefix(b, []byte("PK\x07\x08"))
}

// sniff recognises binary and other non-tabular files by their first
// bytes. It returns nil for anything that may be a text file, and for a
// ZIP archive, which isZIP recognises.
func sniff(b []byte) *fileKind {
	has := func(prefix string) bool { return bytes.HasPrefix(b, []byte(prefix)) }
	switch {
	case has("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"):
		return &fileKind{
			what:   "an Excel 97–2003 (.xls) workbook or other Office binary file",
			advice: "save it as .xlsx or CSV and upload that (a password-protected workbook looks like this too; remove the password first)",
		}
	case has("\x89PNG\r\n\x1a\n"):
		return &fileKind{what: "a PNG image"}
	case has("\xFF\xD8\xFF"):
		return &fileKind{what: "a JPEG image"}
	case has("GIF87a"), has("GIF89a"):
		return &fileKind{what: "a GIF image"}
	case len(b) >= 12 && has("RIFF") && string(b[8:12]) == "WEBP":
		return &fileKind{what: "a WebP image"}
	case has("II*\x00"), has("MM\x00*"):
		return &fileKind{what: "a TIFF image"}
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		switch string(b[8:12]) {
		case "heic", "heix", "mif1", "msf1", "heim", "heis", "avif":
			return &fileKind{what: "an HEIC or AVIF image"}
		}
		return &fileKind{what: "a video or audio file"}
	case has("%PDF-"):
		return &fileKind{what: "a PDF document"}
	case has("{\\rtf"):
		return &fileKind{what: "an RTF document", advice: "if it holds a table, open it and save the table as CSV"}
	case has("\x1F\x8B"):
		return &fileKind{what: "a compressed (gzip) archive", advice: "unpack it and upload the file inside"}
	case has("7z\xBC\xAF\x27\x1C"):
		return &fileKind{what: "a 7-Zip archive", advice: "unpack it and upload the file inside"}
	case has("Rar!\x1A\x07"):
		return &fileKind{what: "a RAR archive", advice: "unpack it and upload the file inside"}
	case has("BZh") && len(b) >= 10 && string(b[4:10]) == "1AY&SY":
		return &fileKind{what: "a compressed (bzip2) archive", advice: "unpack it and upload the file inside"}
	case has("SQLite format 3\x00"):
		return &fileKind{what: "an SQLite database"}
	case has("\x7FELF"), has("MZ\x90\x00"):
		return &fileKind{what: "a program"}
	}
	// Markup that people save with a spreadsheet's extension.
	t := bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")), " \t\r\n")
	lower := bytes.ToLower(t[:min(len(t), 512)])
	switch {
	case bytes.HasPrefix(lower, []byte("<html")), bytes.HasPrefix(lower, []byte("<!doctype html")):
		return &fileKind{what: "a web page (HTML)", advice: "if it came from a website's export, open it in Excel and save it as .xlsx or CSV"}
	case bytes.HasPrefix(lower, []byte("<?xml")) && bytes.Contains(b, []byte("urn:schemas-microsoft-com:office:spreadsheet")):
		return &fileKind{what: "an Excel 2003 XML spreadsheet", advice: "open it in Excel and save it as .xlsx or CSV"}
	}
	return nil
}

// looksLikeVCard reports whether the first non-blank line of a text file
// is BEGIN:VCARD, in any of the encodings Folio reads.
func looksLikeVCard(head []byte) bool {
	enc := detectEncoding(head, "")
	text := enc.decodeHead(head)
	text = bytes.TrimLeft(text, " \t\r\n")
	return len(text) >= 11 && bytes.EqualFold(text[:11], []byte("BEGIN:VCARD"))
}

// textEncoding is a text file's character encoding.
type textEncoding struct {
	name string // as in Meta.Encoding
	skip int    // bytes to skip at the start of the file (a UTF-8 BOM)
	// dec returns a fresh decoder to UTF-8, nil for UTF-8 itself.
	dec func() *encoding.Decoder
}

// detectEncoding decides the encoding of a text file from its first bytes
// and the user's choice ("", "utf-8", "utf-16" or "windows-1252"). A
// byte-order mark always wins. Without one, "" means UTF-8 when head is
// valid UTF-8 and Windows-1252 otherwise.
func detectEncoding(head []byte, choice string) textEncoding {
	switch {
	case bytes.HasPrefix(head, []byte("\xEF\xBB\xBF")):
		return textEncoding{name: "utf-8-bom", skip: 3}
	case bytes.HasPrefix(head, []byte("\xFF\xFE")):
		return textEncoding{name: "utf-16le", dec: unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder}
	case bytes.HasPrefix(head, []byte("\xFE\xFF")):
		return textEncoding{name: "utf-16be", dec: unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder}
	}
	switch choice {
	case "utf-8":
		return textEncoding{name: "utf-8"}
	case "windows-1252":
		return textEncoding{name: "windows-1252", dec: charmap.Windows1252.NewDecoder}
	case "utf-16":
		if looksUTF16(head) == "utf-16be" {
			return textEncoding{name: "utf-16be", dec: unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder}
		}
		return textEncoding{name: "utf-16le", dec: unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder}
	}
	if validUTF8Prefix(head) {
		return textEncoding{name: "utf-8"}
	}
	return textEncoding{name: "windows-1252", dec: charmap.Windows1252.NewDecoder}
}

// isUTF16 reports whether the encoding is one of the UTF-16 ones, where
// NUL bytes are part of the text.
func (e textEncoding) isUTF16() bool {
	return e.name == "utf-16le" || e.name == "utf-16be"
}

// reader returns the decoded UTF-8 text of r, which reads the file from
// its first byte.
func (e textEncoding) reader(r io.Reader) io.Reader {
	if e.skip > 0 {
		if _, err := io.CopyN(io.Discard, r, int64(e.skip)); err != nil {
			return &errReader{err}
		}
	}
	if e.dec == nil {
		return r
	}
	return transform.NewReader(r, e.dec())
}

// decodeHead decodes the first bytes of the file for sniffing. A character
// cut at the end may come out as U+FFFD.
func (e textEncoding) decodeHead(head []byte) []byte {
	head = head[min(e.skip, len(head)):]
	if e.dec == nil {
		return head
	}
	if e.isUTF16() {
		head = head[:len(head)&^1]
	}
	out, _, err := transform.Bytes(e.dec(), head)
	if err != nil {
		return nil
	}
	return out
}

// validUTF8Prefix reports whether b is valid UTF-8, allowing a character
// cut short at its end.
func validUTF8Prefix(b []byte) bool {
	if utf8.Valid(b) {
		return true
	}
	for cut := 1; cut <= 3 && cut < len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) && !utf8.FullRune(b[len(b)-cut:]) {
			return true
		}
	}
	return false
}

// looksUTF16 guesses from the positions of NUL bytes whether b is UTF-16
// text without a byte-order mark: mostly-ASCII UTF-16LE has NUL bytes at
// odd offsets, UTF-16BE at even ones. It returns "" when neither fits.
func looksUTF16(b []byte) string {
	b = b[:min(len(b), 4096)&^1]
	if len(b) < 4 {
		return ""
	}
	var even, odd int
	for i := 0; i < len(b); i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	half := len(b) / 2
	switch {
	case odd*10 >= half*7 && even*10 < half:
		return "utf-16le"
	case even*10 >= half*7 && odd*10 < half:
		return "utf-16be"
	}
	return ""
}

// nulError is the message for a text file holding NUL bytes; what is
// "CSV" or "vCard".
func nulError(head []byte, what string) *Error {
	if looksUTF16(head) != "" {
		return &Error{Msg: "This file contains NUL bytes, so it is not a text (" + what + ") file as it stands; it looks like UTF-16 text without a byte-order mark, so choose the UTF-16 encoding and upload it again."}
	}
	return &Error{Msg: "This file contains NUL bytes, so it is not a text (" + what + ") file; it may be a spreadsheet or another program's file. Save it as CSV or .xlsx and upload that."}
}

// errReader is a reader that fails.
type errReader struct{ err error }

func (r *errReader) Read([]byte) (int, error) { return 0, r.err }
