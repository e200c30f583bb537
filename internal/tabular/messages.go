package tabular

import (
	"strconv"
	"strings"
)

// formatInt formats n with thousands separators: 1048576 → "1,048,576".
func formatInt[T ~int | ~int64 | ~uint64](n T) string {
	s := strconv.FormatInt(int64(n), 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	if len(s) <= 3 {
		if neg {
			return "-" + s
		}
		return s
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	first := len(s) % 3
	if first == 0 {
		first = 3
	}
	b.WriteString(s[:first])
	for i := first; i < len(s); i += 3 {
		b.WriteByte(',')
		b.WriteString(s[i : i+3])
	}
	return b.String()
}

// count formats n with a noun, singular or plural: "1 value",
// "1,024 values".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return formatInt(n) + " " + noun + "s"
}

// formatSize formats a byte count for a message: "2 GB", "512 MB",
// "1,500 KB".
func formatSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return formatInt(n>>30) + " GB"
	case n >= 1<<20:
		return formatInt(n>>20) + " MB"
	case n >= 1<<10:
		return formatInt(n>>10) + " KB"
	}
	return formatInt(n) + " bytes"
}

// columnLetters returns the spreadsheet name of the 0-based column i:
// 0 → "A", 26 → "AA".
func columnLetters(i int) string {
	var b [8]byte
	p := len(b)
	for i >= 0 && p > 0 {
		p--
		b[p] = byte('A' + i%26)
		i = i/26 - 1
	}
	return string(b[p:])
}

// quoteList joins names for a message: `"A"`, `"A" and "B"`,
// `"A", "B" and "C"`.
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// delimiterName names a CSV delimiter for a message.
func delimiterName(d byte) string {
	switch d {
	case ',':
		return "comma"
	case ';':
		return "semicolon"
	case '\t':
		return "tab"
	case '|':
		return "vertical bar (|)"
	}
	return strconv.Quote(string(rune(d)))
}

// columnLabel names a column for a row message: "column 5 (Notes)" for
// CSV, "column E (Notes)" for XLSX, "column 5" when the header cell is
// blank or missing.
func columnLabel(i int, header []string, letters bool) string {
	var s string
	if letters {
		s = "column " + columnLetters(i)
	} else {
		s = "column " + formatInt(i+1)
	}
	if i < len(header) && header[i] != "" {
		s += " (" + truncate(header[i], 40) + ")"
	}
	return s
}

// truncate shortens s to at most n runes for a message, marking a cut
// with an ellipsis.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
