package activity

import "time"

// MaxOccurrences caps how many occurrences of one event a range expands to.
const MaxOccurrences = 1000

// Occurrences are the starts and ends of e's occurrences that overlap
// [from, to), in e's zone. A repeating event repeats on its zone's wall
// clock — a weekly 09:00 meeting in Europe/London is at 09:00 London time
// in winter and in summer — as RFC 5545 expands an RRULE with a TZID. A
// monthly event on the 31st skips the months without one, as RFC 5545
// does. Each occurrence lasts as long as the first (all-day events: as
// many days).
func (e *Event) Occurrences(from, to time.Time) [][2]time.Time {
	if e.Recur == RecurNone {
		if e.Start.Before(to) && e.End.After(from) {
			return [][2]time.Time{{e.Start, e.End}}
		}
		return nil
	}
	loc := e.Start.Location()
	y, m, d := e.Start.Date()
	hh, mm, _ := e.Start.Clock()
	dur := e.End.Sub(e.Start)
	ey, em, ed := e.End.Date()
	days := int(time.Date(ey, em, ed, 0, 0, 0, 0, time.UTC).Sub(time.Date(y, m, d, 0, 0, 0, 0, time.UTC)).Hours() / 24)
	var until time.Time // the midnight after the last day, in loc
	if e.Until != "" {
		if u, err := time.Parse(time.DateOnly, e.Until); err == nil {
			until = time.Date(u.Year(), u.Month(), u.Day()+1, 0, 0, 0, 0, loc)
		}
	}
	interval := max(e.Interval, 1)
	// Skip ahead to just before from instead of walking from the start.
	k := 0
	if gap := from.Sub(e.End); gap > 0 {
		switch e.Recur {
		case RecurWeekly:
			k = int(gap.Hours()/(24*7))/interval - 1
		case RecurMonthly:
			k = int(gap.Hours()/(24*31))/interval - 1
		}
		k = max(k, 0)
	}
	var out [][2]time.Time
	for n := 0; n < 100_000 && len(out) < MaxOccurrences; n, k = n+1, k+1 {
		var start time.Time
		switch e.Recur {
		case RecurWeekly:
			start = time.Date(y, m, d+7*k*interval, hh, mm, 0, 0, loc)
		case RecurMonthly:
			start = time.Date(y, m+time.Month(k*interval), d, hh, mm, 0, 0, loc)
			if start.Day() != d { // no such day this month
				continue
			}
		default:
			return nil
		}
		if !start.Before(to) || (!until.IsZero() && !start.Before(until)) {
			break
		}
		end := start.Add(dur)
		if e.AllDay {
			sy, sm, sd := start.Date()
			end = time.Date(sy, sm, sd+days, 0, 0, 0, 0, loc)
		}
		if end.After(from) {
			out = append(out, [2]time.Time{start, end})
		}
	}
	return out
}
