package norm

import (
	"errors"
	"fmt"
)

// BIC validates a Business Identifier Code (SWIFT code, ISO 9362) and
// returns it compact and upper-case: four letters for the bank, the
// two-letter ISO code of its country, two letters or digits for the
// location and, optionally, three for the branch ("DEUTDEFF",
// "DEUTDEFF500"). Spaces are ignored.
func BIC(s string) (string, error) {
	s = compactUpper(s)
	switch {
	case s == "":
		return "", errors.New("enter a BIC (SWIFT code) like DEUTDEFF or DEUTDEFF500")
	case len(s) != 8 && len(s) != 11:
		return "", fmt.Errorf("a BIC (SWIFT code) has 8 or 11 letters and digits; this one has %d", len([]rune(s)))
	case !isAlnum(s):
		return "", errors.New("a BIC (SWIFT code) has only letters and digits")
	case !isLetters(s[:4]):
		return "", errors.New("a BIC (SWIFT code) starts with four letters that identify the bank")
	case CountryName(s[4:6]) == "":
		return "", fmt.Errorf("%q in this BIC (SWIFT code) should be a country code, like DE in DEUTDEFF", s[4:6])
	}
	return s, nil
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}
