package norm

import (
	"slices"
	"strings"
	"testing"
)

func TestCountry_acceptsCodesInAnyCase(t *testing.T) {
	tests := []struct{ in, want string }{
		{"DE", "DE"},
		{" gb ", "GB"},
		{"us", "US"},
		{"XK", "XK"},
		{"AX", "AX"},
	}
	for _, tt := range tests {
		if got, err := Country(tt.in); err != nil || got != tt.want {
			t.Errorf("Country(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestCountry_refusesWithASpecificMessage(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "choose a country"},
		{"United Kingdom's common mistake", "uk", "the country code of the United Kingdom is GB"},
		{"Greece's EU code", "EL", "the country code of Greece is GR"},
		{"name", "Germany", "use a two-letter country code like DE, GB or US"},
		{"alpha-3", "DEU", "use a two-letter country code like DE, GB or US"},
		{"digits", "49", "use a two-letter country code like DE, GB or US"},
		{"NUL", "D\x00", "use a two-letter country code like DE, GB or US"},
		{"unassigned", "QQ", "QQ is not a country code; use one like DE, GB or US"},
		{"withdrawn", "YU", "YU is not a country code; use one like DE, GB or US"},
		{"non-ASCII letters", "DÉ", "use a two-letter country code like DE, GB or US"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Country(tt.in)
			if err == nil || err.Error() != tt.want || got != "" {
				t.Errorf("Country(%q) = %q, %v; want error %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestCountryName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"DE", "Germany"},
		{"ci", "Côte d'Ivoire"},
		{"XK", "Kosovo"},
		{"QQ", ""},
		{"", ""},
		{"DEU", ""},
	}
	for _, tt := range tests {
		if got := CountryName(tt.in); got != tt.want {
			t.Errorf("CountryName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCountries_allOfISO3166SortedByName(t *testing.T) {
	cs := Countries()
	if len(cs) != 250 { // 249 assigned codes and Kosovo
		t.Errorf("len(Countries()) = %d, want 250", len(cs))
	}
	if !slices.IsSortedFunc(cs, func(a, b Choice) int { return strings.Compare(Fold(a.Name), Fold(b.Name)) }) {
		t.Error("Countries() is not sorted by name")
	}
	if cs[0].Code != "AF" || cs[1].Code != "AX" {
		t.Errorf("Countries() starts %v, want Afghanistan then Åland Islands", cs[:2])
	}
	cs[0].Name = "changed"
	if Countries()[0].Name != "Afghanistan" {
		t.Error("changing the result of Countries() changed the next result")
	}
}

func TestCountryTable_sortedUniqueTwoLetterCodes(t *testing.T) {
	checkTable(t, countryTable[:], 2)
}

// checkTable checks what lookup relies on: codes upper-case, of one length,
// sorted and unique, and every entry named.
func checkTable(t *testing.T, table []Choice, codeLen int) {
	t.Helper()
	for i, c := range table {
		if len(c.Code) != codeLen || !isLetters(c.Code) || c.Name == "" || strings.TrimSpace(c.Name) != c.Name {
			t.Errorf("entry %d = %+v", i, c)
		}
		if i > 0 && table[i-1].Code >= c.Code {
			t.Errorf("%s comes after %s", c.Code, table[i-1].Code)
		}
	}
}
