package export

import "strings"

// isTrigger reports whether a value starting with b may be run as a formula
// by a spreadsheet program.
func isTrigger(b byte) bool {
	switch b {
	case '=', '+', '-', '@', '\t', '\r':
		return true
	}
	return false
}

// needsNeutralise reports whether Neutralise adds an apostrophe to s: s starts
// with a trigger character, possibly after apostrophes. Apostrophes in front
// of a trigger are counted so that a value which already looks neutralised
// ("'=x") gets one more and Restore can tell the two apart.
func needsNeutralise(s string) bool {
	i := 0
	for i < len(s) && s[i] == '\'' {
		i++
	}
	return i < len(s) && isTrigger(s[i])
}

// Neutralise makes a cell safe for spreadsheets. A value starting with '=',
// '+', '-', '@', a tab or a carriage return gets a leading apostrophe, so
// Excel, LibreOffice and Google Sheets treat it as text and never run it as a
// formula (OWASP CSV injection). A value made of apostrophes followed by one
// of those characters gets one more apostrophe, so that Restore can undo
// Neutralise exactly. Everything else is returned unchanged.
func Neutralise(s string) string {
	if needsNeutralise(s) {
		return "'" + s
	}
	return s
}

// Restore undoes Neutralise: a value made of an apostrophe followed by a
// value Neutralise would have changed loses that apostrophe. Importers use it
// so that an export re-imports to the same values, e.g. the phone number
// "+15551234567". Restore(Neutralise(s)) == s for every s.
func Restore(s string) string {
	if rest, ok := strings.CutPrefix(s, "'"); ok && needsNeutralise(rest) {
		return rest
	}
	return s
}
