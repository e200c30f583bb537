package norm

import (
	"strings"
	"unicode"

	"golang.org/x/text/cases"
	unorm "golang.org/x/text/unicode/norm"
)

// Fold returns the key under which s is searched and sorted, so that
// "Müller", "MULLER" and "muller" or "Øre" and "ore" find each other:
//
//   - full Unicode case folding ("Straße" → "strasse", final sigma → σ);
//   - compatibility decomposition (NFKD: "ﬁ" → "fi", full-width "Ａ" → "a",
//     "²" → "2");
//   - accents removed from Latin, Greek and Cyrillic letters, and the optional
//     vowel points from Arabic and Hebrew;
//   - letters that do not decompose spelt out: æ → ae, ø → o, œ → oe, ł → l,
//     đ and ð → d, ı → i, þ → th;
//   - runs of white space and control characters become one space, other
//     invisible format characters (soft hyphens, zero-width spaces) are
//     dropped, and the result is trimmed.
//
// Letters of other scripts (Han, Devanagari, Thai, kana, Hangul…) are kept
// as they are, lower-cased where the script has case: their combining marks
// are part of the spelling (が is not か), so they stay and the text is
// recomposed (NFC).
func Fold(s string) string {
	// Decompose first so that compatibility characters (№, ℌ) are folded
	// too, and again because folding can compose (ᾈ → ἀι).
	s = unorm.NFKD.String(cases.Fold().String(unorm.NFKD.String(s)))
	var b strings.Builder
	b.Grow(len(s))
	var base rune // the last rune that is not a combining mark
	space := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			if !marksAreSpelling(base) {
				continue
			}
		case unicode.IsSpace(r) || unicode.IsControl(r):
			space = b.Len() > 0
			base = 0
			continue
		case unicode.Is(unicode.Cf, r):
			continue
		}
		if !unicode.IsMark(r) {
			base = r
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if m, ok := foldLetter(r); ok {
			b.WriteString(m)
		} else {
			b.WriteRune(r)
		}
	}
	return unorm.NFC.String(b.String())
}

// marksAreSpelling reports whether a non-spacing mark after base belongs to
// the spelling and must be kept. Marks after Latin, Greek and Cyrillic
// letters are accents that people often leave out, and those after Arabic
// and Hebrew letters are optional vowel points; marks with no letter before
// them are stray and dropped as well.
func marksAreSpelling(base rune) bool {
	return unicode.IsLetter(base) &&
		!unicode.In(base, unicode.Latin, unicode.Greek, unicode.Cyrillic, unicode.Arabic, unicode.Hebrew)
}

// foldLetter spells out the case-folded letters that NFKD does not
// decompose into a base letter and accents.
func foldLetter(r rune) (string, bool) {
	switch r {
	case 'ß':
		return "ss", true
	case 'æ':
		return "ae", true
	case 'ø':
		return "o", true
	case 'œ':
		return "oe", true
	case 'ł':
		return "l", true
	case 'đ', 'ð':
		return "d", true
	case 'ı':
		return "i", true
	case 'þ':
		return "th", true
	}
	return "", false
}
