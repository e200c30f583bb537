package norm

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// Terms returns the search terms of a text: the folded (see Fold) words, in
// order of first appearance and without duplicates. A word is a run of
// letters, digits and the combining marks Fold keeps; everything else
// separates words, so "Anne-Marie" gives "anne" and "marie".
//
// An apostrophe between two letters joins them instead, because people
// type "oneil" as often as "o'neil": "O'Neil" gives "oneil". Each part after
// an apostrophe that has two or more letters is a term as well ("neil"), so
// that the name is found without its prefix; the first part is not, as it
// begins the joined term anyway.
func Terms(s string) []string {
	var terms []string
	for _, w := range words(Fold(s)) {
		terms = append(terms, strings.Join(w, ""))
		for _, part := range w[1:] {
			if utf8.RuneCountInString(part) > 1 {
				terms = append(terms, part)
			}
		}
	}
	return unique(terms)
}

// words splits folded text into words, each a list of the parts its inner
// apostrophes separate.
func words(s string) [][]string {
	var (
		out  [][]string
		word []string
		part strings.Builder
	)
	endPart := func() {
		if part.Len() > 0 {
			word = append(word, part.String())
			part.Reset()
		}
	}
	endWord := func() {
		endPart()
		if len(word) > 0 {
			out = append(out, word)
			word = nil
		}
	}
	prev := rune(-1)
	for i, r := range s {
		switch {
		case isWordRune(r):
			part.WriteRune(r)
		case isApostrophe(r) && isWordRune(prev) && isWordRune(nextRune(s, i+utf8.RuneLen(r))):
			endPart()
		default:
			endWord()
		}
		prev = r
	}
	endWord()
	return out
}

func isWordRune(r rune) bool {
	return r >= 0 && !isApostrophe(r) && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}

// isApostrophe reports whether r is one of the characters people use as an
// apostrophe in names, including the modifier letters ʼ and ʻ (which
// Unicode counts as letters) and the backtick.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', 'ʻ', '`':
		return true
	}
	return false
}

func nextRune(s string, i int) rune {
	if i >= len(s) {
		return -1
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

// EmailTerms returns the search terms of an email address (one that Email
// accepted), so that typing the start of the address or of any word of
// its local part finds it. For "Jo.Smith+crm@Example.co.uk" they are:
//
//	jo.smith+crm@example.co.uk   the whole address, for "jo.smith@…"
//	jo, smith, crm               the words of the local part
//
// The domain is not a term: "gmail" would match a third of a book, and the
// search index stays small enough to load a million contacts quickly.
// Advanced search finds addresses by any part ("contains").
func EmailTerms(email string) []string {
	e := Fold(email)
	if e == "" {
		return nil
	}
	terms := []string{e}
	at := strings.LastIndexByte(e, '@')
	if at < 0 {
		return unique(append(terms, Terms(e)...))
	}
	terms = append(terms, Terms(e[:at])...)
	return unique(terms)
}

// PhoneTerms returns the search terms of an E.164 phone number (one that
// Phone returned), so that typing its start in international or national
// form finds it. For "+4915112345678" they are:
//
//	4915112345678   the international digits, without the +
//	15112345678     the national significant number
//	015112345678    the number as dialled inside the country
//
// Search input should be reduced to its digits, without a leading + or 00,
// before it is matched against these terms.
func PhoneTerms(e164 string) []string {
	digits := onlyDigits(e164)
	if digits == "" {
		return nil
	}
	terms := []string{digits}
	if num := fromE164Digits(digits); num != nil {
		terms = append(terms,
			phonenumbers.GetNationalSignificantNumber(num),
			onlyDigits(phonenumbers.Format(num, phonenumbers.NATIONAL)))
	}
	return unique(terms)
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// unique drops empty and repeated terms, keeping the first of each.
func unique(terms []string) []string {
	out := terms[:0]
	seen := make(map[string]bool, len(terms))
	for _, t := range terms {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	return out
}
