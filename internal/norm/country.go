package norm

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Choice is one option of a select box: a code and its English name.
type Choice struct {
	Code string
	Name string
}

// Country validates an ISO 3166-1 alpha-2 country code and returns it
// upper-case ("de" → "DE").
func Country(s string) (string, error) {
	code := strings.ToUpper(strings.TrimSpace(s))
	switch {
	case code == "":
		return "", errors.New("choose a country")
	case code == "UK":
		return "", errors.New("the country code of the United Kingdom is GB")
	case code == "EL":
		return "", errors.New("the country code of Greece is GR")
	case len(code) != 2 || !isLetters(code):
		return "", errors.New("use a two-letter country code like DE, GB or US")
	case CountryName(code) == "":
		return "", fmt.Errorf("%s is not a country code; use one like DE, GB or US", code)
	}
	return code, nil
}

// CountryName returns the English name of a country code ("DE" →
// "Germany"), or "" for an unknown code.
func CountryName(code string) string {
	c, _ := lookup(countryTable[:], strings.ToUpper(code))
	return c.Name
}

// Countries returns every country, sorted by name for a select box. The
// slice is the caller's to keep or change.
func Countries() []Choice {
	return slices.Clone(countriesByName())
}

var countriesByName = sync.OnceValue(func() []Choice { return sortedByName(countryTable[:]) })

// lookup finds code in a table sorted by code.
func lookup(table []Choice, code string) (Choice, bool) {
	i, ok := slices.BinarySearchFunc(table, code, func(c Choice, code string) int {
		return strings.Compare(c.Code, code)
	})
	if !ok {
		return Choice{}, false
	}
	return table[i], true
}

// sortedByName returns a copy of table ordered by folded name, so that
// "Åland Islands" sorts with the A's and "Côte d'Ivoire" after "Costa Rica".
func sortedByName(table []Choice) []Choice {
	type keyed struct {
		key string
		Choice
	}
	ks := make([]keyed, len(table))
	for i, c := range table {
		ks[i] = keyed{Fold(c.Name), c}
	}
	slices.SortFunc(ks, func(a, b keyed) int {
		return cmp.Or(strings.Compare(a.key, b.key), strings.Compare(a.Code, b.Code))
	})
	out := make([]Choice, len(ks))
	for i, k := range ks {
		out[i] = k.Choice
	}
	return out
}
