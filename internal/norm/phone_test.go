package norm

import (
	"errors"
	"slices"
	"testing"

	"github.com/nyaruka/phonenumbers"
)

func TestPhone_returnsE164(t *testing.T) {
	tests := []struct {
		in, region, want string
	}{
		{"+1 650-253-0000", "", "+16502530000"},
		{"(650) 253-0000", "US", "+16502530000"},
		{"650.253.0000", "us", "+16502530000"},
		{"+44 20 7946 0958", "DE", "+442079460958"},
		{"020 7946 0958", "GB", "+442079460958"},
		{"0044 20 7946 0958", "DE", "+442079460958"},
		{"0151 12345678", "DE", "+4915112345678"},
		{"+49 (0)151 1234 5678", "", "+4915112345678"},
		{"  +33 1 42 68 53 00 ", "", "+33142685300"},
		{"06 12 34 56 78", "FR", "+33612345678"},
		{"+39 06 1234 5678", "", "+390612345678"},
	}
	for _, tt := range tests {
		got, err := Phone(tt.in, tt.region)
		if err != nil || got != tt.want {
			t.Errorf("Phone(%q, %q) = %q, %v; want %q", tt.in, tt.region, got, err, tt.want)
		}
	}
}

func TestPhone_refusesWithASpecificMessage(t *testing.T) {
	tests := []struct {
		name, in, region, want string
	}{
		{"empty", " ", "US", "enter a phone number with its country code, like +44 20 7946 0958"},
		{"national without region", "020 7946 0958", "", "enter a phone number with its country code, like +44 20 7946 0958"},
		{"national with unknown region", "020 7946 0958", "QQ", "enter a phone number with its country code, like +44 20 7946 0958"},
		{"no such country code", "+999 1234 5678", "", "the country code of this phone number does not exist; check the digits after the +"},
		{"letters", "call me", "US", "this does not look like a phone number; enter it like +44 20 7946 0958"},
		{"too short", "+44 20", "", "this phone number is too short for country code +44 (United Kingdom)"},
		{"too long for the country", "+44 20 7946 0958 12", "", "this phone number is too long for country code +44 (United Kingdom)"},
		{"too long for any country", "+44 20 7946 0958 1234 5678", "", "this phone number is too long"},
		{"invalid for the country", "+1 123 456 7890", "", "this is not a valid phone number for country code +1 (United States)"},
		{"invalid nationally", "0151 123", "DE", "this is not a valid phone number for country code +49 (Germany); for a number in another country, start with + and the country code"},
		{"non-geographic code", "+800 1234 567", "", "this phone number is too short for country code +800"},
		{"extension", "+1 650-253-0000 ext. 12", "", "enter the phone number without its extension"},
		{"invalid UTF-8", "+44 20 7946 \xff0958", "", "this does not look like a phone number; enter it like +44 20 7946 0958"},
		{"overlong input", "+44 " + string(make([]byte, 100)), "", "this does not look like a phone number; enter it like +44 20 7946 0958"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Phone(tt.in, tt.region)
			if err == nil || err.Error() != tt.want || got != "" {
				t.Errorf("Phone(%q, %q) = %q, %v; want error %q", tt.in, tt.region, got, err, tt.want)
			}
		})
	}
}

func TestPhoneDisplay_usesInternationalFormat(t *testing.T) {
	tests := []struct{ in, want string }{
		{"+442079460958", "+44 20 7946 0958"},
		{"+16502530000", "+1 650-253-0000"},
		{"+4915112345678", "+49 1511 2345678"},
		{"garbage", "garbage"},
	}
	for _, tt := range tests {
		if got := PhoneDisplay(tt.in); got != tt.want {
			t.Errorf("PhoneDisplay(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// The fast paths (compacted input, E.164 digits read without the parser)
// give what the parser gives, for example numbers of every region and type
// written in every format.
func TestPhone_fastPathsMatchTheParser(t *testing.T) {
	types := []phonenumbers.PhoneNumberType{phonenumbers.FIXED_LINE, phonenumbers.MOBILE, phonenumbers.TOLL_FREE,
		phonenumbers.PREMIUM_RATE, phonenumbers.VOIP, phonenumbers.PERSONAL_NUMBER, phonenumbers.UAN, phonenumbers.PAGER}
	checked := 0
	for region := range phonenumbers.GetSupportedRegions() {
		for _, typ := range types {
			ex := phonenumbers.GetExampleNumberForType(region, typ)
			if ex == nil {
				continue
			}
			for _, f := range []phonenumbers.PhoneNumberFormat{phonenumbers.E164, phonenumbers.INTERNATIONAL, phonenumbers.NATIONAL} {
				in := phonenumbers.Format(ex, f)
				got, gotErr := Phone(in, region)
				want, wantErr := slowPhone(in, region)
				if got != want || (gotErr == nil) != (wantErr == nil) {
					t.Errorf("Phone(%q, %s) = %q, %v; the parser gives %q, %v", in, region, got, gotErr, want, wantErr)
				}
				checked++
			}
			e164 := phonenumbers.Format(ex, phonenumbers.E164)
			if got, want := PhoneTerms(e164), slowPhoneTerms(e164); !slices.Equal(got, want) {
				t.Errorf("PhoneTerms(%q) = %q; the parser gives %q", e164, got, want)
			}
		}
	}
	if checked < 1000 {
		t.Fatalf("only %d numbers checked", checked)
	}
}

func slowPhone(s, region string) (string, error) {
	num, err := phonenumbers.ParseAndKeepRawInput(s, region)
	if err != nil || num.GetExtension() != "" || !phonenumbers.IsValidNumber(num) {
		return "", errors.New("invalid")
	}
	return phonenumbers.Format(num, phonenumbers.E164), nil
}

func slowPhoneTerms(e164 string) []string {
	digits := onlyDigits(e164)
	terms := []string{digits}
	if num, err := phonenumbers.Parse("+"+digits, ""); err == nil {
		terms = append(terms, phonenumbers.GetNationalSignificantNumber(num), onlyDigits(phonenumbers.Format(num, phonenumbers.NATIONAL)))
	}
	return unique(terms)
}

func BenchmarkPhone(b *testing.B) {
	for b.Loop() {
		if _, err := Phone("+1 212 736 2000", ""); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPhoneTerms(b *testing.B) {
	for b.Loop() {
		PhoneTerms("+12125550134")
	}
}
