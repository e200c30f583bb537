package norm

import "testing"

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
