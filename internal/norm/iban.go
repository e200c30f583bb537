package norm

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// IBAN validates an International Bank Account Number and returns its
// compact, upper-case form ("DE89370400440532013000"). Spaces (including
// the non-breaking ones that come with text copied from PDFs) and a leading
// "IBAN" or "IBAN:" are ignored. The country must be in the SWIFT IBAN
// registry, the length must be that country's, and the ISO 7064 mod-97
// check digits must match. The layout of the domestic part is not checked:
// the check digits already catch nearly every typo.
func IBAN(s string) (string, error) {
	s = compactUpper(s)
	s = strings.TrimPrefix(strings.TrimPrefix(s, "IBAN"), ":")
	if s == "" {
		return "", errors.New("enter an IBAN like GB29 NWBK 6016 1331 9268 19")
	}
	if !isAlnum(s) {
		return "", errors.New("an IBAN has only letters and digits")
	}
	if len(s) < 4 || !isLetters(s[:2]) || !allDigits(s[2:4]) {
		return "", errors.New("an IBAN starts with a two-letter country code and two check digits, like GB29")
	}
	country := s[:2]
	want, ok := ibanLength(country)
	if !ok {
		if name := CountryName(country); name != "" {
			return "", fmt.Errorf("%s does not use IBANs; enter the account number instead", name)
		}
		return "", fmt.Errorf("%s is not a country code; an IBAN starts with one, like GB or DE", country)
	}
	if len(s) != want {
		return "", fmt.Errorf("an IBAN from %s has %d characters; this one has %d", CountryName(country), want, len(s))
	}
	// 00, 01 and 99 are congruent to valid check digits (97, 98, 02) and so
	// pass the mod-97 test, but ISO 13616 never issues them.
	if check := s[2:4]; check == "00" || check == "01" || check == "99" || mod97(s[4:]+s[:4]) != 1 {
		return "", errors.New("this IBAN's check digits are wrong — check for a typo")
	}
	return s, nil
}

// IBANDisplay formats an IBAN for reading and printing, in groups of four
// characters ("DE89 3704 0044 0532 0130 00").
func IBANDisplay(iban string) string {
	s := compactUpper(iban)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// mod97 returns the ISO 7064 MOD 97-10 remainder of s read as a number with
// each letter replaced by two digits (A = 10 … Z = 35). s holds only
// A–Z and 0–9.
func mod97(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' {
			n = (n*100 + int(c-'A'+10)) % 97
		} else {
			n = (n*10 + int(c-'0')) % 97
		}
	}
	return n
}

// compactUpper removes all white space from s and upper-cases it.
func compactUpper(s string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s))
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return len(s) > 0
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return len(s) > 0
}

// ibanLength returns the length of the IBANs of a country in the SWIFT IBAN
// registry, as of its December 2024 release. Territories that use another
// country's prefix — the Åland Islands (FI), the French overseas
// departments and collectivities (FR), Guernsey, Jersey and the Isle of Man
// (GB) — have no entry of their own.
func ibanLength(country string) (int, bool) {
	switch country {
	case "NO":
		return 15, true
	case "BE":
		return 16, true
	case "DK", "FI", "FK", "FO", "GL", "NL", "SD":
		return 18, true
	case "MK", "SI":
		return 19, true
	case "AT", "BA", "EE", "KZ", "LT", "LU", "MN", "XK":
		return 20, true
	case "CH", "HR", "LI", "LV":
		return 21, true
	case "BG", "BH", "CR", "DE", "GB", "GE", "IE", "ME", "RS", "VA":
		return 22, true
	case "AE", "GI", "IL", "IQ", "OM", "SO", "TL":
		return 23, true
	case "AD", "CZ", "ES", "MD", "PK", "RO", "SA", "SE", "SK", "TN", "VG":
		return 24, true
	case "LY", "PT", "ST":
		return 25, true
	case "IS", "TR":
		return 26, true
	case "BI", "DJ", "FR", "GR", "IT", "MC", "MR", "SM":
		return 27, true
	case "AL", "AZ", "BY", "CY", "DO", "GT", "HN", "HU", "LB", "NI", "PL", "SV":
		return 28, true
	case "BR", "EG", "PS", "QA", "UA":
		return 29, true
	case "JO", "KW", "MU", "YE":
		return 30, true
	case "MT", "SC":
		return 31, true
	case "LC":
		return 32, true
	case "RU":
		return 33, true
	}
	return 0, false
}
