package norm

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Currency validates an ISO 4217 alphabetic currency code and returns it
// upper-case ("eur" → "EUR").
func Currency(s string) (string, error) {
	code := strings.ToUpper(strings.TrimSpace(s))
	switch {
	case code == "":
		return "", errors.New("choose a currency")
	case len(code) != 3 || !isLetters(code):
		return "", errors.New("use a three-letter currency code like EUR, GBP or USD")
	case CurrencyName(code) == "":
		return "", fmt.Errorf("%s is not a currency code in use; use one like EUR, GBP or USD", code)
	}
	return code, nil
}

// CurrencyName returns the English name of a currency code ("CHF" →
// "Swiss franc"), or "" for an unknown code.
func CurrencyName(code string) string {
	c, _ := lookup(currencyTable[:], strings.ToUpper(code))
	return c.Name
}

// Currencies returns every currency, sorted by name for a select box. The
// slice is the caller's to keep or change.
func Currencies() []Choice {
	return slices.Clone(currenciesByName())
}

var currenciesByName = sync.OnceValue(func() []Choice { return sortedByName(currencyTable[:]) })
