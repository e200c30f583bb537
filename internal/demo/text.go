package demo

import "strconv"

// text collects the strings built for one contact (e-mail addresses, phone
// numbers, IBANs…) in one buffer and, once the contact is complete, hands
// them out as substrings of a single allocation. A contact has a dozen or
// more built strings; one allocation instead of one each is most of what
// keeps a million contacts cheap.
type text struct {
	buf  []byte
	refs []textRef
}

type textRef struct {
	dst        *string
	start, end int
}

// span is a built string not yet handed out.
type span struct{ start, end int }

func (t *text) mark() int { return len(t.buf) }

// keep makes the bytes from start to the end of the buffer *dst at flush.
func (t *text) keep(dst *string, start int) span {
	s := span{start, len(t.buf)}
	t.keepSpan(dst, s)
	return s
}

func (t *text) keepSpan(dst *string, s span) {
	t.refs = append(t.refs, textRef{dst, s.start, s.end})
}

func (t *text) str(s string) { t.buf = append(t.buf, s...) }

func (t *text) byte(c byte) { t.buf = append(t.buf, c) }

func (t *text) int(n int) { t.buf = strconv.AppendInt(t.buf, int64(n), 10) }

// padded appends n with leading zeros to at least width digits.
func (t *text) padded(n, width int) {
	var d [20]byte
	b := strconv.AppendInt(d[:0], int64(n), 10)
	for i := len(b); i < width; i++ {
		t.buf = append(t.buf, '0')
	}
	t.buf = append(t.buf, b...)
}

// flush hands out the kept strings and empties the buffer.
func (t *text) flush() {
	if len(t.refs) > 0 {
		s := string(t.buf)
		for _, r := range t.refs {
			*r.dst = s[r.start:r.end]
		}
		clear(t.refs)
		t.refs = t.refs[:0]
	}
	t.buf = t.buf[:0]
}

// slab hands out short slices carved from larger blocks, so a contact's
// e-mail addresses, phones and links cost no allocation of their own. Each
// slice is capped at its length so that a caller appending to it copies
// rather than overwriting its neighbour.
type slab[T any] struct{ free []T }

const slabBlock = 1024

func (s *slab[T]) take(n int) []T {
	if n <= 0 {
		return nil
	}
	if len(s.free) < n {
		s.free = make([]T, max(slabBlock, n))
	}
	out := s.free[:n:n]
	s.free = s.free[n:]
	return out
}

// Placeholders of patterns:
//
//	#  a digit            %  a digit 1–9        ^  a digit 2–9
//	@  a letter A–Z       &  a postcode letter  $  an Eircode letter
//	*  a German passport character
//	[a-cx]  one of the listed characters and ranges
//	\x  x itself
//
// Everything else stands for itself.
const (
	postcodeLetters = "ABEHJLNPRSTWXYZ"
	eircodeLetters  = "ACDEFHKNPRTVWXY"
	passportChars   = "CFGHJKLMNPRTVWXYZ0123456789"
)

// pattern appends an expansion of p to the text buffer.
func (g *Generator) pattern(p string) {
	b := g.txt.buf
	for i := 0; i < len(p); i++ {
		switch c := p[i]; c {
		case '#':
			b = append(b, '0'+g.digit())
		case '%':
			b = append(b, '1'+byte(g.rng.IntN(9)))
		case '^':
			b = append(b, '2'+byte(g.rng.IntN(8)))
		case '@':
			b = append(b, 'A'+byte(g.rng.IntN(26)))
		case '&':
			b = append(b, postcodeLetters[g.rng.IntN(len(postcodeLetters))])
		case '$':
			b = append(b, eircodeLetters[g.rng.IntN(len(eircodeLetters))])
		case '*':
			b = append(b, passportChars[g.rng.IntN(len(passportChars))])
		case '[':
			end := i + 1
			for p[end] != ']' {
				end++
			}
			b = append(b, g.oneOf(p[i+1:end]))
			i = end
		case '\\':
			i++
			b = append(b, p[i])
		default:
			b = append(b, c)
		}
	}
	g.txt.buf = b
}

// oneOf picks a character from a set like "0-35-9".
func (g *Generator) oneOf(set string) byte {
	n := 0
	for i := 0; i < len(set); i++ {
		if i+2 < len(set) && set[i+1] == '-' {
			n += int(set[i+2]-set[i]) + 1
			i += 2
		} else {
			n++
		}
	}
	k := g.rng.IntN(n)
	for i := 0; i < len(set); i++ {
		if i+2 < len(set) && set[i+1] == '-' {
			width := int(set[i+2]-set[i]) + 1
			if k < width {
				return set[i] + byte(k)
			}
			k -= width
			i += 2
		} else {
			if k == 0 {
				return set[i]
			}
			k--
		}
	}
	panic("unreachable")
}

// digit returns a random digit, sixteen from each 64-bit draw (the top
// digits of a draw would be biased; sixteen of them are not, measurably).
func (g *Generator) digit() byte {
	if g.nDigits == 0 {
		g.digits = g.rng.Uint64()
		g.nDigits = 16
	}
	d := g.digits % 10
	g.digits /= 10
	g.nDigits--
	return byte(d)
}

// digitsTo appends n random digits and returns where they start.
func (g *Generator) digitsTo(n int) int {
	start := len(g.txt.buf)
	for range n {
		g.txt.buf = append(g.txt.buf, '0'+g.digit())
	}
	return start
}

func pick[T any](g *Generator, list []T) T { return list[g.rng.IntN(len(list))] }

func (g *Generator) chance(p float64) bool { return g.rng.Float64() < p }
