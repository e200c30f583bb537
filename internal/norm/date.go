package norm

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// The years a date may fall in; anything outside is a typo in a CRM.
const (
	MinYear = 1900
	MaxYear = 2100
)

var errDate = errors.New("use a date like 1980-04-23")

// Date validates a date written as YYYY-MM-DD (time.DateOnly, the format of
// HTML date inputs and the one date format Folio stores) and returns it.
// The date must exist in the calendar and fall between MinYear and MaxYear.
func Date(s string) (string, error) {
	d, err := parseDate(s)
	if err != nil {
		return "", err
	}
	return d.Format(time.DateOnly), nil
}

// BirthDate validates a date of birth like Date, and also refuses dates
// after today or more than 130 years before it. Today is now's calendar
// date in now's location.
func BirthDate(s string, now time.Time) (string, error) {
	d, err := parseDate(s)
	if err != nil {
		return "", err
	}
	y, m, day := now.Date()
	today := time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
	switch {
	case d.After(today):
		return "", errors.New("a date of birth cannot be in the future")
	case d.Before(today.AddDate(-130, 0, 0)):
		return "", errors.New("a date of birth cannot be more than 130 years ago")
	}
	return d.Format(time.DateOnly), nil
}

// parseDate parses a trimmed YYYY-MM-DD date at midnight UTC.
func parseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if !dateShaped(s) {
		return time.Time{}, errDate
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s is not a date in the calendar; use a date like 1980-04-23", s)
	}
	if y := d.Year(); y < MinYear || y > MaxYear {
		return time.Time{}, fmt.Errorf("the year must be between %d and %d", MinYear, MaxYear)
	}
	return d, nil
}

// dateShaped reports whether s is four digits, a hyphen, two digits, a
// hyphen and two digits, so that a well-formed but impossible date (month
// 13, 31 April) gets its own message.
func dateShaped(s string) bool {
	return len(s) == 10 && s[4] == '-' && s[7] == '-' &&
		allDigits(s[:4]) && allDigits(s[5:7]) && allDigits(s[8:])
}
