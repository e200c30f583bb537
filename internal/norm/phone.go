package norm

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nyaruka/phonenumbers"
)

// maxPhoneInput bounds what is handed to the parser; the longest real
// number with spacing and punctuation is far shorter.
const maxPhoneInput = 64

var errPhoneCountry = errors.New("enter a phone number with its country code, like +44 20 7946 0958")

// Phone validates a phone number and returns it in E.164 form
// ("+14155550123"). A number without a country code ("020 7946 0958") is
// read as a national number of defaultRegion, an ISO 3166-1 alpha-2 code
// such as "GB"; with an empty or unknown region, the country code is
// required. Numbers with an extension are refused because E.164 cannot
// hold one.
func Phone(s, defaultRegion string) (string, error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", errPhoneCountry
	case !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxPhoneInput:
		return "", errors.New("this does not look like a phone number; enter it like +44 20 7946 0958")
	}
	region := strings.ToUpper(strings.TrimSpace(defaultRegion))
	// The parser's costliest step looks for an extension, which needs
	// letters or #; a number of digits and separators alone is parsed
	// compacted, which gives the same number faster.
	compact := compactPhone(s)
	// Faster still, a valid number of digits alone is read and checked
	// on the library's metadata without its parser and validator
	// (phone_fast.go); anything else, and every refusal, takes the
	// library's way, which also words the message.
	if cc, nsn, ok := parseCompact(compact, region); ok {
		if valid, known := validNSN(cc, nsn); valid && known {
			return "+" + strconv.Itoa(cc) + nsn, nil
		}
	}
	num, err := phonenumbers.Parse(compact, region)
	if err == nil && !validNumber(num) {
		// Parsed again keeping how it was written, for the hint.
		num, err = phonenumbers.ParseAndKeepRawInput(s, region)
	}
	if err != nil {
		return "", phoneParseError(s, err)
	}
	if num.GetExtension() != "" {
		return "", errors.New("enter the phone number without its extension")
	}
	if !validNumber(num) {
		where := phoneCountry(num)
		hint := ""
		if num.GetCountryCodeSource() == phonenumbers.PhoneNumber_FROM_DEFAULT_COUNTRY {
			hint = "; for a number in another country, start with + and the country code"
		}
		switch phonenumbers.IsPossibleNumberWithReason(num) {
		case phonenumbers.TOO_SHORT:
			return "", fmt.Errorf("this phone number is too short for %s%s", where, hint)
		case phonenumbers.TOO_LONG:
			return "", fmt.Errorf("this phone number is too long for %s%s", where, hint)
		}
		return "", fmt.Errorf("this is not a valid phone number for %s%s", where, hint)
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

func phoneParseError(s string, err error) error {
	switch {
	case errors.Is(err, phonenumbers.ErrInvalidCountryCode):
		if strings.HasPrefix(s, "+") || strings.HasPrefix(s, "00") {
			return errors.New("the country code of this phone number does not exist; check the digits after the +")
		}
		return errPhoneCountry
	case errors.Is(err, phonenumbers.ErrTooShortNSN), errors.Is(err, phonenumbers.ErrTooShortAfterIDD):
		return errors.New("this phone number is too short")
	case errors.Is(err, phonenumbers.ErrNumTooLong):
		return errors.New("this phone number is too long")
	}
	return errors.New("this does not look like a phone number; enter it like +44 20 7946 0958")
}

// phoneCountry names the calling code of a number for messages, with its
// country when it has one: "country code +49 (Germany)". Showing the code
// tells people which country a number without one was read as.
func phoneCountry(num *phonenumbers.PhoneNumber) string {
	where := fmt.Sprintf("country code +%d", num.GetCountryCode())
	region := phonenumbers.GetRegionCodeForCountryCode(int(num.GetCountryCode()))
	if name := CountryName(region); name != "" {
		where += " (" + name + ")"
	}
	return where
}

// PhoneDisplay formats an E.164 number for reading, in international form
// ("+44 20 7946 0958"). A value that does not parse is returned unchanged.
func PhoneDisplay(e164 string) string {
	num, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	return phonenumbers.Format(num, phonenumbers.INTERNATIONAL)
}

// compactPhone returns s without its spaces, dots, dashes, slashes and
// parentheses when it holds nothing else but digits and a leading +, and s
// unchanged otherwise.
func compactPhone(s string) string {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			b = append(b, c)
		case c == '+' && len(b) == 0:
			b = append(b, c)
		case c == ' ' || c == '.' || c == '-' || c == '/' || c == '(' || c == ')':
		default:
			return s
		}
	}
	return string(b)
}

// fromE164Digits reads the digits of an E.164 number (without its +) as
// the parser would read "+" and them, without the parser's costly pattern
// matching: the country code is the first one to three digits that are a
// calling code, the national number the rest. It returns nil when no
// calling code starts digits or the national number is too short or long.
func fromE164Digits(digits string) *phonenumbers.PhoneNumber {
	for l := 1; l <= 3 && l < len(digits); l++ {
		cc, err := strconv.Atoi(digits[:l])
		if err != nil || len(phonenumbers.GetRegionCodesForCountryCode(cc)) == 0 {
			continue
		}
		national := digits[l:]
		if len(national) < 2 || len(national) > 17 {
			return nil
		}
		n, err := strconv.ParseUint(national, 10, 64)
		if err != nil {
			return nil
		}
		code := int32(cc)
		num := &phonenumbers.PhoneNumber{CountryCode: &code, NationalNumber: &n}
		if national[0] == '0' {
			// As the parser records leading zeros (Italian numbers).
			lead := true
			num.ItalianLeadingZero = &lead
			zeros := int32(1)
			for int(zeros) < len(national)-1 && national[zeros] == '0' {
				zeros++
			}
			if zeros != 1 {
				num.NumberOfLeadingZeros = &zeros
			}
		}
		return num
	}
	return nil
}
