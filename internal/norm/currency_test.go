package norm

import (
	"slices"
	"strings"
	"testing"
)

func TestCurrency_acceptsActiveCodesInAnyCase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"EUR", "EUR"},
		{" usd ", "USD"},
		{"chf", "CHF"},
		{"XAU", "XAU"},
		{"XCG", "XCG"},
		{"ZWG", "ZWG"},
	}
	for _, tt := range tests {
		if got, err := Currency(tt.in); err != nil || got != tt.want {
			t.Errorf("Currency(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestCurrency_refusesWithASpecificMessage(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", " ", "choose a currency"},
		{"symbol", "€", "use a three-letter currency code like EUR, GBP or USD"},
		{"name", "euro", "use a three-letter currency code like EUR, GBP or USD"},
		{"numeric code", "978", "use a three-letter currency code like EUR, GBP or USD"},
		{"NUL", "EU\x00", "use a three-letter currency code like EUR, GBP or USD"},
		{"withdrawn", "DEM", "DEM is not a currency code in use; use one like EUR, GBP or USD"},
		{"replaced by the euro", "HRK", "HRK is not a currency code in use; use one like EUR, GBP or USD"},
		{"testing code", "XTS", "XTS is not a currency code in use; use one like EUR, GBP or USD"},
		{"no currency", "XXX", "XXX is not a currency code in use; use one like EUR, GBP or USD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Currency(tt.in)
			if err == nil || err.Error() != tt.want || got != "" {
				t.Errorf("Currency(%q) = %q, %v; want error %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCurrencyName(t *testing.T) {
	for in, want := range map[string]string{"CHF": "Swiss franc", "gbp": "Pound sterling", "QQQ": "", "": ""} {
		if got := CurrencyName(in); got != want {
			t.Errorf("CurrencyName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCurrencies_sortedByName(t *testing.T) {
	cs := Currencies()
	if len(cs) != len(currencyTable) {
		t.Errorf("len(Currencies()) = %d, want %d", len(cs), len(currencyTable))
	}
	if !slices.IsSortedFunc(cs, func(a, b Choice) int { return strings.Compare(Fold(a.Name), Fold(b.Name)) }) {
		t.Error("Currencies() is not sorted by name")
	}
}

func TestCurrencyTable_sortedUniqueThreeLetterCodes(t *testing.T) {
	checkTable(t, currencyTable[:], 3)
}
