package tabular

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
)

// Format names, as used in Options.Format and Meta.Format.
const (
	FormatCSV   = "csv"
	FormatXLSX  = "xlsx"
	FormatVCard = "vcard"
)

// Default limits, used when the matching Options field is zero.
const (
	// DefaultMaxColumns is the widest header read.
	DefaultMaxColumns = 1000
	// DefaultMaxCell is the most characters a cell may hold: Excel's own
	// limit.
	DefaultMaxCell = 32767
)

// headLen is how much of a file is read up front to recognise its format,
// encoding and delimiter.
const headLen = 64 << 10

// Options choose how a file is read; zero values mean "detect".
type Options struct {
	// Format is "", "csv", "xlsx" or "vcard" ("vcf" is accepted too).
	// "" decides from the content and, for text files, the file name.
	Format string
	// Encoding is the character encoding of a text (CSV or vCard) file:
	// "" to detect, "utf-8", "utf-16" or "windows-1252". A byte-order mark
	// at the start of the file always wins over this choice.
	Encoding string
	// Delimiter separates CSV values; 0 detects one of , ; tab and |.
	// It must be an ASCII character other than a quote or a line break.
	Delimiter rune
	// Sheet is the name of the XLSX worksheet to read; "" reads the first
	// visible worksheet.
	Sheet string
	// MaxColumns is the widest header accepted; 0 means DefaultMaxColumns.
	MaxColumns int
	// MaxCell is the most characters a cell may hold; 0 means
	// DefaultMaxCell.
	MaxCell int
}

// Meta is what was detected about a file.
type Meta struct {
	// Format is "csv", "xlsx" or "vcard".
	Format string
	// Encoding is the character encoding of a text file: "utf-8",
	// "utf-8-bom", "utf-16le", "utf-16be" or "windows-1252".
	Encoding string
	// Delimiter is the CSV delimiter used.
	Delimiter rune
	// Sheets lists the names of an XLSX file's worksheets, in order.
	Sheets []string
	// Sheet is the name of the XLSX worksheet read.
	Sheet string
}

// Record is one data row.
type Record struct {
	// Line is the 1-based position users see in error reports: for CSV the
	// physical line where the record starts, for XLSX the row number, for
	// vCard the line of BEGIN:VCARD.
	Line int
	// Fields holds the row's values. For an accepted row it has exactly one
	// value per header column. For a rejected row it holds as much of the
	// original as could be read, so it can be written to a rejected-rows
	// file.
	Fields []string
	// Err, when set, is a row-level problem: the row is rejected with
	// Err.Error() as the reason, and reading goes on. It is an *Error.
	Err error
}

// Source streams a file's records. Its methods must not be called
// concurrently, except Progress, which may be called from any goroutine.
type Source interface {
	// Header returns the first non-blank row, each name trimmed of
	// surrounding spaces, without trailing blank names. Blank and
	// duplicate names elsewhere are kept. A vCard source has a fixed
	// header, VCardHeader.
	Header() []string
	// Next returns the next non-empty row, or io.EOF after the last one.
	// Any other error is fatal for the file; file-level problems found
	// while reading are *Error values.
	Next() (Record, error)
	// Meta returns what was detected about the file.
	Meta() Meta
	// Progress reports how much of the file has been read, for a progress
	// bar: bytes of the file (XLSX: bytes of the unpacked sheet) read so far
	// and in all.
	Progress() (done, total int64)
	// Close releases the file. It is safe to call more than once.
	Close() error
}

// Error is a problem with the file or a row, with a message written for
// the person who uploaded the file. File-level messages are complete
// sentences ("The file is empty."); row-level messages start with the line
// or row they concern and have no final full stop, like the messages of
// package norm ("line 7 has 17 values but the header has 15 columns").
type Error struct {
	// Msg is the message shown to the user.
	Msg string
	// Err is the underlying cause, if any, for logs; it is not part of Msg.
	Err error
}

// Error returns the user-facing message.
func (e *Error) Error() string { return e.Msg }

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// newError returns an *Error with a formatted message.
func newError(format string, args ...any) *Error {
	return &Error{Msg: fmt.Sprintf(format, args...)}
}

// errClosed is returned by Next after Close.
var errClosed = errors.New("tabular: source is closed")

// errEmpty is the message for a file without any data.
func errEmpty() *Error { return &Error{Msg: "The file is empty."} }

// Open opens the file at path and reads its header. name is the user's
// original file name: its extension is a hint only, the content wins.
// File-level problems return an *Error whose message is a complete
// sentence a non-technical user understands; failures to read the file
// return other errors.
func Open(path, name string, opts Options) (Source, error) {
	return open(path, name, opts, defaultLimits())
}

// open is Open with the internal limits as a parameter, so tests can
// lower them.
func open(path, name string, opts Options, lim limits) (Source, error) {
	if err := opts.normalize(); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("tabular: open upload: %w", err)
	}
	src, err := openFile(f, name, opts, lim)
	if err != nil {
		f.Close()
		return nil, err
	}
	return src, nil
}

// openFile recognises the file's format and hands it to the reader for
// that format, which takes ownership of f.
func openFile(f *os.File, name string, opts Options, lim limits) (Source, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("tabular: stat upload: %w", err)
	}
	size := st.Size()
	if size == 0 {
		return nil, errEmpty()
	}
	head := make([]byte, min(size, headLen))
	n, err := f.ReadAt(head, 0)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("tabular: read upload: %w", err)
	}
	head = head[:n]
	ext := strings.ToLower(filepath.Ext(name))

	if isZIP(head) {
		if opts.Format == "" || opts.Format == FormatXLSX {
			return openXLSX(f, size, ext, opts, lim)
		}
		return nil, zipNotText(f, size, opts.Format)
	}
	if kind := sniff(head); kind != nil {
		return nil, kind.error()
	}

	switch opts.Format {
	case FormatXLSX:
		return nil, &Error{Msg: "This file is not an Excel workbook (.xlsx): it is a text file. Choose CSV or vCard as the format, or let Folio detect it."}
	case FormatCSV:
		return openCSV(f, size, head, opts, lim)
	case FormatVCard:
		return openVCard(f, size, head, opts)
	}
	if ext == ".vcf" || ext == ".vcard" || looksLikeVCard(head) {
		return openVCard(f, size, head, opts)
	}
	return openCSV(f, size, head, opts, lim)
}

// normalize checks the options and fills in defaults.
func (o *Options) normalize() error {
	o.Format = strings.ToLower(strings.TrimSpace(o.Format))
	switch o.Format {
	case "", FormatCSV, FormatXLSX, FormatVCard:
	case "vcf":
		o.Format = FormatVCard
	case "tsv", "txt":
		o.Format = FormatCSV
	default:
		return newError("Folio cannot read the %q format; choose CSV, XLSX or vCard.", o.Format)
	}
	enc, ok := canonicalEncoding(o.Encoding)
	if !ok {
		return newError("Folio cannot read the %q encoding; choose UTF-8, UTF-16 or Windows-1252.", o.Encoding)
	}
	o.Encoding = enc
	if d := o.Delimiter; d != 0 && (d >= 0x80 || d == '"' || d == '\r' || d == '\n' || d < ' ' && d != '\t') {
		return newError("The character %q cannot separate values; choose a comma, semicolon, tab or vertical bar.", d)
	}
	if o.MaxColumns <= 0 {
		o.MaxColumns = DefaultMaxColumns
	}
	if o.MaxCell <= 0 {
		o.MaxCell = DefaultMaxCell
	}
	return nil
}

// canonicalEncoding maps the accepted spellings of Options.Encoding to the
// canonical ones.
func canonicalEncoding(s string) (string, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return "", true
	case "utf-8", "utf8":
		return "utf-8", true
	case "utf-16", "utf16":
		return "utf-16", true
	case "windows-1252", "cp1252", "iso-8859-1", "latin-1", "latin1":
		return "windows-1252", true
	}
	return "", false
}

// countingReader counts the bytes read through it, for Progress.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

// Read reads from the underlying reader, counting the bytes.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}
