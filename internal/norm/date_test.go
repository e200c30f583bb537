package norm

import (
	"testing"
	"time"
)

func TestDate_acceptsRealISODates(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1980-04-23", "1980-04-23"},
		{" 2024-02-29 ", "2024-02-29"},
		{"1900-01-01", "1900-01-01"},
		{"2100-12-31", "2100-12-31"},
		{"2000-02-29", "2000-02-29"},
	}
	for _, tt := range tests {
		if got, err := Date(tt.in); err != nil || got != tt.want {
			t.Errorf("Date(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestDate_refusesWithASpecificMessage(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "", "use a date like 1980-04-23"},
		{"day first", "23.04.1980", "use a date like 1980-04-23"},
		{"US order", "04/23/1980", "use a date like 1980-04-23"},
		{"missing zero", "1980-4-23", "use a date like 1980-04-23"},
		{"with time", "1980-04-23T10:00:00Z", "use a date like 1980-04-23"},
		{"two-digit year", "80-04-23", "use a date like 1980-04-23"},
		{"full-width digits", "１９８０-04-23", "use a date like 1980-04-23"},
		{"NUL", "1980-04-2\x00", "use a date like 1980-04-23"},
		{"not a leap year", "2023-02-29", "2023-02-29 is not a date in the calendar; use a date like 1980-04-23"},
		{"1900 was not a leap year", "1900-02-29", "1900-02-29 is not a date in the calendar; use a date like 1980-04-23"},
		{"31 April", "1980-04-31", "1980-04-31 is not a date in the calendar; use a date like 1980-04-23"},
		{"month 13", "1980-13-01", "1980-13-01 is not a date in the calendar; use a date like 1980-04-23"},
		{"day zero", "1980-01-00", "1980-01-00 is not a date in the calendar; use a date like 1980-04-23"},
		{"too early", "1899-12-31", "the year must be between 1900 and 2100"},
		{"too late", "2101-01-01", "the year must be between 1900 and 2100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Date(tt.in)
			if err == nil || err.Error() != tt.want || got != "" {
				t.Errorf("Date(%q) = %q, %v; want error %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestBirthDate_mustBeInTheLast130Years(t *testing.T) {
	// Late evening in New York is already the next day in UTC: today is
	// still 10 May there.
	now := time.Date(2026, 5, 10, 23, 30, 0, 0, time.FixedZone("EDT", -4*3600))
	later := time.Date(2060, 5, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in           string
		now          time.Time
		want, errMsg string
	}{
		{"1980-04-23", now, "1980-04-23", ""},
		{"2026-05-10", now, "2026-05-10", ""},
		{"2026-05-11", now, "", "a date of birth cannot be in the future"},
		{"2030-01-01", now, "", "a date of birth cannot be in the future"},
		{"1899-12-31", now, "", "the year must be between 1900 and 2100"},
		{"1930-05-10", later, "1930-05-10", ""},
		{"1930-05-09", later, "", "a date of birth cannot be more than 130 years ago"},
		{"1980-02-30", now, "", "1980-02-30 is not a date in the calendar; use a date like 1980-04-23"},
		{"23/04/1980", now, "", "use a date like 1980-04-23"},
	}
	for _, tt := range tests {
		got, err := BirthDate(tt.in, tt.now)
		errMsg := ""
		if err != nil {
			errMsg = err.Error()
		}
		if got != tt.want || errMsg != tt.errMsg {
			t.Errorf("BirthDate(%q, %s) = %q, %q; want %q, %q", tt.in, tt.now.Format(time.DateOnly), got, errMsg, tt.want, tt.errMsg)
		}
	}
}
