package export

import "errors"

// Table writes rows of cells. A Table is not safe for concurrent use.
type Table interface {
	// Header writes the column names. It must be called once, before Row.
	Header(cols []string) error
	// Row writes one row, which must have as many cells as the header.
	Row(cells []string) error
	// Close flushes buffered output; for XLSX it writes the whole workbook.
	// It does not close the underlying writer. Close must be called even
	// after an error, to release buffers and temporary files.
	Close() error
}

// Aborter is implemented by the tables of this package. Abort releases the
// table's resources (buffers and temporary files) without writing any more
// output; a caller whose source of rows fails part way calls Abort instead of
// Close. Calling Close or Abort after either has no effect.
type Aborter interface {
	Abort() error
}

// Errors returned, wrapped, by the writers of this package.
var (
	// ErrOrder means Header was not called first, or was called twice.
	ErrOrder = errors.New("export: header must be written once, before any row")
	// ErrColumns means a row has a different number of cells than the header,
	// or the header has no columns.
	ErrColumns = errors.New("export: wrong number of cells")
	// ErrClosed means the writer was used after Close or Abort.
	ErrClosed = errors.New("export: writer is closed")
	// ErrTooManyRows means an XLSX sheet is full (1,048,576 rows, header
	// included).
	ErrTooManyRows = errors.New("export: too many rows for one spreadsheet")
	// ErrTooManyColumns means an XLSX header has more than 16,384 columns.
	ErrTooManyColumns = errors.New("export: too many columns for one spreadsheet")
)
