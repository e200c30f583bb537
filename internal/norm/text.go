package norm

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	unorm "golang.org/x/text/unicode/norm"
)

// Text validates multi-line free text such as notes. It returns s trimmed,
// with line breaks as "\n" (browsers send a textarea's as "\r\n") and in
// Unicode normal form C, so that a name typed on a Mac compares equal to
// the same name typed on Windows. Tabs are kept; other control characters
// and invalid UTF-8 are errors. max is the limit in characters (runes)
// after normalisation, or no limit when max <= 0. field names the field at
// the start of error messages ("Notes is too long: …").
//
// Markup such as "<script>" is ordinary text here: templates escape it on
// output.
func Text(field, s string, max int) (string, error) {
	return text(field, s, max, true)
}

// Line validates a single-line field such as a name or a city like Text,
// and also refuses line breaks and tabs. Empty input is returned as "" with
// no error; whether the field is required is the caller's decision.
func Line(field, s string, max int) (string, error) {
	return text(field, s, max, false)
}

// lineBreaks turns every line break people's systems send into "\n".
var lineBreaks = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u0085", "\n", "\u2028", "\n", "\u2029", "\n")

func text(field, s string, max int, multiline bool) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%s contains characters that are not valid text; type it again or paste it as plain text", field)
	}
	if multiline {
		s = lineBreaks.Replace(s)
	}
	s = strings.TrimSpace(s)
	for _, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case r == '\n' || r == '\r' || r == '\u0085' || r == '\u2028' || r == '\u2029':
			return "", fmt.Errorf("%s must be a single line", field)
		case r == '\t':
			return "", fmt.Errorf("%s cannot contain tabs; use spaces", field)
		case unicode.IsControl(r):
			return "", fmt.Errorf("%s contains an invisible control character (U+%04X); remove it", field, r)
		}
	}
	s = unorm.NFC.String(s)
	if n := utf8.RuneCountInString(s); max > 0 && n > max {
		return "", fmt.Errorf("%s is too long: at most %d characters (this one has %d)", field, max, n)
	}
	return s, nil
}
