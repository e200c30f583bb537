package norm

import (
	"fmt"
	"strings"
	"testing"
)

func TestIBAN_acceptsRegistryExamples(t *testing.T) {
	tests := []struct{ in, want string }{
		{"DE89 3704 0044 0532 0130 00", "DE89370400440532013000"},
		{"gb29 nwbk 6016 1331 9268 19", "GB29NWBK60161331926819"},
		{"  NL91ABNA0417164300 ", "NL91ABNA0417164300"},
		{"NO93 8601 1117 947", "NO9386011117947"},
		{"FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"},
		{"MT84 MALT 0110 0001 2345 MTLC AST0 01S", "MT84MALT011000012345MTLCAST001S"},
		{"RU02 0445 2560 0407 0281 0412 3456 7890 1", "RU0204452560040702810412345678901"},
		{"IBAN: CH93 0076 2011 6238 5295 7", "CH9300762011623852957"},
		{"XK05 1212 0123 4567 8906", "XK051212012345678906"},
		{"DE89\u00a03704\u00a00044\u00a00532\u00a00130\u00a000", "DE89370400440532013000"}, // non-breaking spaces from a PDF
	}
	for _, tt := range tests {
		got, err := IBAN(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("IBAN(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestIBAN_refusesWithASpecificMessage(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", " ", "enter an IBAN like GB29 NWBK 6016 1331 9268 19"},
		{"punctuation", "DE89-3704-0044-0532-0130-00", "an IBAN has only letters and digits"},
		{"NUL", "DE89\x003704", "an IBAN has only letters and digits"},
		{"invalid UTF-8", "DE89\xff", "an IBAN has only letters and digits"},
		{"no country", "8937040044053201300", "an IBAN starts with a two-letter country code and two check digits, like GB29"},
		{"letters for check digits", "DEXX370400440532013000", "an IBAN starts with a two-letter country code and two check digits, like GB29"},
		{"too short to have a country", "DE", "an IBAN starts with a two-letter country code and two check digits, like GB29"},
		{"country without IBANs", "US12 3456 7890 1234", "United States does not use IBANs; enter the account number instead"},
		{"not a country", "QQ12 3456 7890 1234", "QQ is not a country code; an IBAN starts with one, like GB or DE"},
		{"one character short", "DE89 3704 0044 0532 0130 0", "an IBAN from Germany has 22 characters; this one has 21"},
		{"one character long", "DE89 3704 0044 0532 0130 000", "an IBAN from Germany has 22 characters; this one has 23"},
		{"typo", "DE89 3704 0044 0532 0131 00", "this IBAN's check digits are wrong — check for a typo"},
		{"swapped digits", "DE89 3704 0044 0532 0103 00", "this IBAN's check digits are wrong — check for a typo"},
		{"wrong check digits", "DE88 3704 0044 0532 0130 00", "this IBAN's check digits are wrong — check for a typo"},
		{"overlong", strings.Repeat("DE89370400440532013000", 100), "an IBAN from Germany has 22 characters; this one has 2200"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := IBAN(tt.in)
			if err == nil || err.Error() != tt.want || got != "" {
				t.Errorf("IBAN(%q) = %q, %v; want error %q", tt.in, got, err, tt.want)
			}
		})
	}
}

// Check digits 00, 01 and 99 satisfy mod 97 when 97, 98 and 02 would, but
// are never issued.
func TestIBAN_refusesCongruentCheckDigits(t *testing.T) {
	for _, bban := range []string{"ABNA0417164300", "ABNA0417164301", "ABNA0417164302", "ABNA0417164303"} {
		good := withCheckDigits("NL", bban)
		if _, err := IBAN(good); err != nil {
			t.Fatalf("IBAN(%q): %v", good, err)
		}
		alias := map[string]string{"97": "00", "98": "01", "02": "99"}[good[2:4]]
		if alias == "" {
			continue
		}
		if _, err := IBAN("NL" + alias + bban); err == nil {
			t.Errorf("IBAN(%q) accepted; check digits %s are never issued", "NL"+alias+bban, alias)
		}
	}
}

// The registry as of December 2024: 89 countries and their IBAN lengths.
var ibanRegistry = map[string]int{
	"AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
	"BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
	"EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
	"GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
	"IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
	"LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
	"NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
	"RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
	"SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

func TestIBAN_knowsEveryRegistryCountryAndLength(t *testing.T) {
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			cc := string([]rune{a, b})
			got, ok := ibanLength(cc)
			if want, inRegistry := ibanRegistry[cc]; got != want || ok != inRegistry {
				t.Errorf("ibanLength(%s) = %d, %v; want %d, %v", cc, got, ok, want, inRegistry)
			}
		}
	}
	for cc, n := range ibanRegistry {
		if CountryName(cc) == "" {
			t.Errorf("IBAN country %s has no name", cc)
		}
		iban := withCheckDigits(cc, strings.Repeat("1", n-4))
		if got, err := IBAN(iban); err != nil || got != iban {
			t.Errorf("IBAN(%q) = %q, %v; want it accepted", iban, got, err)
		}
	}
}

func TestIBANDisplay_groupsOfFour(t *testing.T) {
	tests := []struct{ in, want string }{
		{"DE89370400440532013000", "DE89 3704 0044 0532 0130 00"},
		{"de89 3704 0044 0532 013000", "DE89 3704 0044 0532 0130 00"},
		{"NO9386011117947", "NO93 8601 1117 947"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := IBANDisplay(tt.in); got != tt.want {
			t.Errorf("IBANDisplay(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// withCheckDigits builds a valid IBAN from a country code and a BBAN.
func withCheckDigits(country, bban string) string {
	return fmt.Sprintf("%s%02d%s", country, 98-mod97(bban+country+"00"), bban)
}
