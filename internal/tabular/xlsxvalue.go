package tabular

import (
	"bytes"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// builtinClass returns the format class of a built-in number format: 14–17
// and 22 are dates, 18–21 and 45–47 times; 27–36 and 50–58 are the dates
// and times of East Asian locales.
func builtinClass(id int) byte {
	switch {
	case id >= 14 && id <= 17, id == 22, id >= 27 && id <= 31, id == 36, id >= 50 && id <= 58:
		return classDate
	case id >= 18 && id <= 21, id >= 45 && id <= 47, id >= 32 && id <= 35:
		return classTime
	}
	return classNumber
}

// codeClass returns the format class of a custom number format code: a
// date when it holds d or y (or m without h or s: a month), a time when it
// holds h or s, counting only letters outside quoted text, brackets
// ([Red], [$-409], [h]) and escapes (\x, _x, *x).
func codeClass(code string) byte {
	var date, clock, month bool
	for i := 0; i < len(code); i++ {
		switch code[i] {
		case '"':
			for i++; i < len(code) && code[i] != '"'; i++ {
			}
		case '[':
			for i++; i < len(code) && code[i] != ']'; i++ {
			}
		case '\\', '_', '*':
			i++
		case 'd', 'D', 'y', 'Y':
			date = true
		case 'h', 'H', 's', 'S':
			clock = true
		case 'm', 'M':
			month = true
		}
	}
	switch {
	case date:
		return classDate
	case clock:
		return classTime
	case month:
		return classDate
	}
	return classNumber
}

// appendNumber appends the text of the numeric cell value v: plain
// decimals keep their digits (so "15551234567" stays as it is, whatever
// its length), while exponents and float noise beyond Excel's 15
// significant digits are removed ("1.5551234567E+10" → "15551234567",
// "0.30000000000000004" → "0.3"). Text that is not a number is kept.
func appendNumber(dst, v []byte) []byte {
	v = trimSpaceBytes(v)
	if len(v) == 0 {
		return dst
	}
	if out, ok := appendPlainDecimal(dst, v); ok {
		return out
	}
	f, err := strconv.ParseFloat(string(v), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		return append(dst, v...)
	}
	return appendFloat15(dst, f)
}

// appendFloat15 appends f rounded to 15 significant digits, without an
// exponent.
func appendFloat15(dst []byte, f float64) []byte {
	if f == 0 {
		return append(dst, '0')
	}
	g, err := strconv.ParseFloat(strconv.FormatFloat(f, 'e', 14, 64), 64)
	if err != nil {
		g = f
	}
	return strconv.AppendFloat(dst, g, 'f', -1, 64)
}

// appendPlainDecimal appends v normalised ("+007.50" → "7.5", "-0" → "0")
// when it is a plain decimal number without float noise: an integer of
// any length, or a fraction with at most 15 significant digits.
func appendPlainDecimal(dst, v []byte) ([]byte, bool) {
	i := 0
	neg := false
	if v[0] == '+' || v[0] == '-' {
		neg = v[0] == '-'
		i++
	}
	intStart := i
	for i < len(v) && v[i] >= '0' && v[i] <= '9' {
		i++
	}
	intPart := v[intStart:i]
	var frac []byte
	if i < len(v) && v[i] == '.' {
		i++
		fracStart := i
		for i < len(v) && v[i] >= '0' && v[i] <= '9' {
			i++
		}
		frac = v[fracStart:i]
	}
	if i != len(v) || len(intPart)+len(frac) == 0 {
		return dst, false
	}
	for len(intPart) > 0 && intPart[0] == '0' {
		intPart = intPart[1:]
	}
	for len(frac) > 0 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if len(frac) > 0 {
		sig := len(intPart) + len(frac)
		if len(intPart) == 0 {
			lead := 0
			for lead < len(frac) && frac[lead] == '0' {
				lead++
			}
			sig = len(frac) - lead
		}
		if sig > 15 {
			return dst, false
		}
	}
	if len(intPart) == 0 && len(frac) == 0 {
		return append(dst, '0'), true
	}
	if neg {
		dst = append(dst, '-')
	}
	if len(intPart) == 0 {
		dst = append(dst, '0')
	}
	dst = append(dst, intPart...)
	if len(frac) > 0 {
		dst = append(dst, '.')
		dst = append(dst, frac...)
	}
	return dst, true
}

// maxSerial is the serial number of 10000-01-01, past Excel's last date.
const maxSerial = 2958466

// appendSerial appends the date-time of an Excel serial number as
// "YYYY-MM-DD", "YYYY-MM-DD HH:MM:SS" when it has a time of day, or
// "HH:MM:SS" for a time (class classTime, or a serial that rounds to less
// than a day). In the
// 1900 date system serial 60 is the 29 February 1900 that Excel believes
// in. It reports false for a serial outside Excel's dates.
func appendSerial(dst []byte, serial float64, class byte, date1904 bool) ([]byte, bool) {
	if math.IsNaN(serial) || serial < 0 || serial >= maxSerial {
		return dst, false
	}
	days := math.Floor(serial)
	secs := int(math.Round((serial - days) * 86400))
	if secs >= 86400 {
		days++
		secs -= 86400
	}
	if class == classTime || days < 1 {
		return appendClock(dst, secs), true
	}
	d := int(days)
	var t time.Time
	switch {
	case date1904:
		t = time.Date(1904, 1, 1+d, 0, 0, 0, 0, time.UTC)
	case d == 60:
		dst = append(dst, "1900-02-29"...)
		if secs != 0 {
			dst = appendClock(append(dst, ' '), secs)
		}
		return dst, true
	case d < 60:
		t = time.Date(1899, 12, 31+d, 0, 0, 0, 0, time.UTC)
	default:
		t = time.Date(1899, 12, 30+d, 0, 0, 0, 0, time.UTC)
	}
	dst = t.AppendFormat(dst, "2006-01-02")
	if secs != 0 {
		dst = appendClock(append(dst, ' '), secs)
	}
	return dst, true
}

// appendClock appends secs seconds after midnight as "HH:MM:SS".
func appendClock(dst []byte, secs int) []byte {
	return append(dst,
		byte('0'+secs/36000), byte('0'+secs/3600%10), ':',
		byte('0'+secs%3600/600), byte('0'+secs%600/60), ':',
		byte('0'+secs%60/10), byte('0'+secs%10))
}

// appendISODate appends an ISO 8601 cell value (t="d") as "YYYY-MM-DD",
// with " HH:MM:SS" when the time is not midnight. Other text is kept.
func appendISODate(dst, v []byte) []byte {
	s := string(trimSpaceBytes(v))
	for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02T15:04", "2006-01-02"} {
		t, err := time.Parse(layout, s)
		if err != nil {
			continue
		}
		dst = t.AppendFormat(dst, "2006-01-02")
		if h, m, sec := t.Clock(); h != 0 || m != 0 || sec != 0 {
			dst = t.AppendFormat(append(dst, ' '), "15:04:05")
		}
		return dst
	}
	for _, layout := range []string{"15:04:05.999999999", "15:04:05", "T15:04:05.999999999", "T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.AppendFormat(dst, "15:04:05")
		}
	}
	return append(dst, v...)
}

// trimSpaceBytes trims ASCII white space.
func trimSpaceBytes(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// decodeXString decodes the _xHHHH_ escapes of OOXML strings in place
// ("_x000D_" is a carriage return, "_x005F_" an underscore) and returns
// the shortened slice. NUL characters are dropped.
func decodeXString(b []byte) []byte {
	if !bytes.Contains(b, []byte("_x")) {
		return b
	}
	w := 0
	for r := 0; r < len(b); {
		if b[r] == '_' && r+7 <= len(b) && b[r+1] == 'x' && b[r+6] == '_' {
			if v, err := strconv.ParseUint(string(b[r+2:r+6]), 16, 32); err == nil {
				if v != 0 {
					w += utf8.EncodeRune(b[w:], rune(v))
				}
				r += 7
				continue
			}
		}
		b[w] = b[r]
		w++
		r++
	}
	return b[:w]
}
