package export

import (
	"errors"
	"io"
)

// failWriter accepts n bytes, then fails.
type failWriter struct {
	n int
}

var errDiskFull = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errDiskFull
	}
	w.n -= len(p)
	return len(p), nil
}

var _ io.Writer = (*failWriter)(nil)

// trickyValues are cell values that are hard to get through a CSV or XLSX
// file unchanged.
var trickyValues = []string{
	"",
	"plain",
	"with,comma",
	`with "quotes"`,
	`"`,
	`""`,
	"line\nbreak",
	"two\n\nbreaks\n",
	" leading space",
	"trailing space ",
	"\ttab first",
	"tab\tinside",
	"Zoë Ångström",
	"Łódź, Kraków",
	"東京都千代田区",
	"emoji 👩‍💻 🎉",
	"=1+1",
	"+15551234567",
	"-5",
	"@SUM(A1:A9)",
	"\rcarriage",
	"'=already quoted",
	"'",
	"O'Brien",
	"00501",
	"\uFEFFbom inside",
	"semi;colon",
	`back\slash`,
}
