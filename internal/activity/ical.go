package activity

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"github.com/foliocrm/folio/internal/contact"
)

// How far back the feed reaches: events that ended (and tasks due) before
// this are left out, so the feed stays small; repeating series are always
// in it.
const (
	feedPastEvents = 365 * 24 * time.Hour
	feedPastTasks  = 90 * 24 * time.Hour
	feedMaxItems   = 5000
)

// Feed is the iCalendar (RFC 5545) document of the feed whose secret is
// token: the user's events — each with its own zone's TZID and a
// VTIMEZONE for that zone, and an RRULE when it repeats — and the open
// tasks assigned to them that have a due date, as all-day or timed
// entries. baseURL makes the links back to Folio. An unknown or revoked
// token, or a disabled user, is not found.
func (s *Service) Feed(ctx context.Context, token, baseURL string, now time.Time) ([]byte, error) {
	userID, err := s.feedUser(ctx, token)
	if err != nil {
		return nil, err
	}
	var name, zone, role string
	var ownOnly bool
	var disabled sql.NullTime
	if err := s.DB.QueryRowContext(ctx, "SELECT name, time_zone, role, own_contacts_only, disabled_at FROM users WHERE id = ?", userID).
		Scan(&name, &zone, &role, &ownOnly, &disabled); err != nil || disabled.Valid {
		return nil, errNoFeed
	}
	admin := role == "owner" || role == "admin"
	v := contact.Viewer{UserID: userID, Name: name, Admin: admin, OwnOnly: ownOnly && !admin}
	userLoc, err := time.LoadLocation(zone)
	if err != nil {
		userLoc = time.UTC
	}
	es, err := s.queryEvents(ctx, s.DB, `(e.organizer_id = ? OR EXISTS (SELECT 1 FROM event_attendees a WHERE a.event_id = e.id AND a.user_id = ?))
		AND (e.end_at > ? OR e.recur <> '') ORDER BY e.start_at, e.id LIMIT ?`, userID, userID, now.Add(-feedPastEvents).UTC(), feedMaxItems)
	if err != nil {
		return nil, err
	}
	if err := s.fillAttendees(ctx, s.DB, v, es); err != nil {
		return nil, err
	}
	tasks, err := s.dueTasks(ctx, userID, userLoc, now.Add(-feedPastTasks), now.AddDate(100, 0, 0))
	if err != nil {
		return nil, err
	}
	base := strings.TrimRight(baseURL, "/")
	host := "folio"
	if u, err := url.Parse(base); err == nil && u.Host != "" {
		host = u.Hostname()
	}

	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, "-//Folio//Folio CRM//EN")
	cal.Props.SetText(ical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(ical.PropMethod, "PUBLISH")
	for k, v := range map[string]string{"X-WR-CALNAME": "Folio: " + name, "X-WR-TIMEZONE": userLoc.String()} {
		p := ical.NewProp(k)
		p.SetText(v)
		p.Params.Del(ical.ParamValue) // text is what an X- property holds by default
		cal.Props.Set(p)
	}
	zones := map[string]*time.Location{userLoc.String(): userLoc}
	first := now
	for i := range es {
		zones[es[i].TimeZone] = es[i].Start.Location()
		first = minTime(first, es[i].Start)
	}
	for _, t := range tasks {
		first = minTime(first, t.Start)
	}
	names := make([]string, 0, len(zones))
	for z := range zones {
		names = append(names, z)
	}
	slices.Sort(names)
	for _, z := range names {
		cal.Children = append(cal.Children, vtimezone(zones[z], max(first.Year()-1, 1970), now.Year()+2))
	}
	for i := range es {
		cal.Children = append(cal.Children, eventComponent(&es[i], base, host))
	}
	for _, t := range tasks {
		cal.Children = append(cal.Children, taskComponent(t, base, host, now))
	}
	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
		return nil, fmt.Errorf("activity: encode calendar feed: %w", err)
	}
	return buf.Bytes(), nil
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func eventComponent(e *Event, base, host string) *ical.Component {
	c := ical.NewComponent(ical.CompEvent)
	c.Props.SetText(ical.PropUID, fmt.Sprintf("event-%d@%s", e.ID, host))
	c.Props.SetDateTime(ical.PropDateTimeStamp, e.UpdatedAt.UTC())
	c.Props.SetDateTime(ical.PropCreated, e.CreatedAt.UTC())
	c.Props.SetDateTime(ical.PropLastModified, e.UpdatedAt.UTC())
	seq := ical.NewProp(ical.PropSequence)
	seq.Value = fmt.Sprint(e.Version - 1)
	c.Props.Set(seq)
	c.Props.SetText(ical.PropSummary, e.Title)
	if e.AllDay {
		c.Props.SetDate(ical.PropDateTimeStart, e.Start)
		c.Props.SetDate(ical.PropDateTimeEnd, e.End)
	} else {
		c.Props.SetDateTime(ical.PropDateTimeStart, e.Start)
		c.Props.SetDateTime(ical.PropDateTimeEnd, e.End)
	}
	if e.Recur != RecurNone {
		rule := "FREQ=" + strings.ToUpper(e.Recur)
		if e.Interval > 1 {
			rule += fmt.Sprintf(";INTERVAL=%d", e.Interval)
		}
		if e.Until != "" {
			if u, err := time.Parse(time.DateOnly, e.Until); err == nil {
				if e.AllDay { // UNTIL has DTSTART's value type
					rule += ";UNTIL=" + u.Format("20060102")
				} else {
					last := time.Date(u.Year(), u.Month(), u.Day(), 23, 59, 59, 0, e.Start.Location())
					rule += ";UNTIL=" + last.UTC().Format("20060102T150405Z")
				}
			}
		}
		p := ical.NewProp(ical.PropRecurrenceRule)
		p.Value = rule
		c.Props.Set(p)
	}
	if e.Location != "" {
		c.Props.SetText(ical.PropLocation, e.Location)
	}
	var desc []string
	var with []string
	for _, u := range e.Users {
		with = append(with, u.Name)
	}
	for _, a := range e.Contacts {
		with = append(with, a.Name)
	}
	if len(with) > 0 {
		desc = append(desc, "With: "+strings.Join(with, ", "))
	}
	if e.Organizer != "" {
		desc = append(desc, "Organizer: "+e.Organizer)
	}
	if e.Notes != "" {
		desc = append(desc, "", e.Notes)
	}
	if len(desc) > 0 {
		c.Props.SetText(ical.PropDescription, strings.Join(desc, "\n"))
	}
	if u, err := url.Parse(base + "/events/" + idStr(e.ID)); err == nil && base != "" {
		c.Props.SetURI(ical.PropURL, u)
	}
	return c
}

func taskComponent(t Entry, base, host string, now time.Time) *ical.Component {
	c := ical.NewComponent(ical.CompEvent)
	c.Props.SetText(ical.PropUID, fmt.Sprintf("task-%d@%s", t.ID, host))
	c.Props.SetDateTime(ical.PropDateTimeStamp, now.UTC().Truncate(time.Second))
	c.Props.SetText(ical.PropSummary, "Task: "+t.Title)
	if t.AllDay {
		c.Props.SetDate(ical.PropDateTimeStart, t.Start)
		c.Props.SetDate(ical.PropDateTimeEnd, t.End)
	} else {
		c.Props.SetDateTime(ical.PropDateTimeStart, t.Start)
	}
	c.Props.SetText(ical.PropTransparency, "TRANSPARENT") // a due task does not make the user busy
	if u, err := url.Parse(base + t.URL); err == nil && base != "" {
		c.Props.SetURI(ical.PropURL, u)
	}
	return c
}

// transition is a change of a zone's offset.
type transition struct {
	at       time.Time // the instant, UTC
	from, to int       // offsets in seconds east of UTC
	name     string    // the abbreviation after it
	dst      bool      // daylight time after it
}

// vtimezone describes loc for the years from..to: each change of offset
// as an observance, and a yearly rule for a run of changes that follow one
// (the last run open-ended, so calendars extend it into the future). Go's
// zone database has no rules to copy, so they are read back from the
// transitions.
func vtimezone(loc *time.Location, fromYear, toYear int) *ical.Component {
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.SetText(ical.PropTimezoneID, loc.String())
	ts := transitions(loc, fromYear, toYear)
	if len(ts) == 0 {
		name, off := time.Date(fromYear, 1, 1, 0, 0, 0, 0, loc).Zone()
		tz.Children = append(tz.Children, observance(transition{at: time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), from: off, to: off, name: name}, ""))
		return tz
	}
	// Group each kind's changes (standard, daylight) into runs of
	// consecutive years that one yearly rule produces.
	stillChanging := ts[len(ts)-1].at.Year() >= toYear-1
	for _, dst := range []bool{false, true} {
		var kind []transition
		for _, t := range ts {
			if t.dst == dst {
				kind = append(kind, t)
			}
		}
		for i := 0; i < len(kind); {
			j := i + 1
			for j < len(kind) && sameRule(kind[i], kind[j]) && kind[j].at.Year() == kind[j-1].at.Year()+1 {
				j++
			}
			switch {
			case j == len(kind) && stillChanging: // the current rule, open-ended
				tz.Children = append(tz.Children, observance(kind[i], yearlyRule(kind[i])))
			case j-i == 1:
				tz.Children = append(tz.Children, observance(kind[i], ""))
			default:
				tz.Children = append(tz.Children, observance(kind[i], yearlyRule(kind[i])+";UNTIL="+kind[j-1].at.UTC().Format("20060102T150405Z")))
			}
			i = j
		}
	}
	return tz
}

func observance(t transition, rule string) *ical.Component {
	name := ical.CompTimezoneStandard
	if t.dst {
		name = ical.CompTimezoneDaylight
	}
	o := ical.NewComponent(name)
	start := ical.NewProp(ical.PropDateTimeStart)
	// DTSTART is the local time of the change, read on the clock before it.
	start.Value = t.at.Add(time.Duration(t.from) * time.Second).UTC().Format("20060102T150405")
	o.Props.Set(start)
	o.Props.Set(offsetProp(ical.PropTimezoneOffsetFrom, t.from))
	o.Props.Set(offsetProp(ical.PropTimezoneOffsetTo, t.to))
	if t.name != "" && !strings.HasPrefix(t.name, "+") && !strings.HasPrefix(t.name, "-") {
		o.Props.SetText(ical.PropTimezoneName, t.name)
	}
	if rule != "" {
		p := ical.NewProp(ical.PropRecurrenceRule)
		p.Value = rule
		o.Props.Set(p)
	}
	return o
}

func offsetProp(name string, off int) *ical.Prop {
	p := ical.NewProp(name)
	sign := "+"
	if off < 0 {
		sign, off = "-", -off
	}
	p.Value = fmt.Sprintf("%s%02d%02d", sign, off/3600, off/60%60)
	if off%60 != 0 {
		p.Value += fmt.Sprintf("%02d", off%60)
	}
	return p
}

// transitions are loc's offset changes from the start of fromYear to the
// end of toYear, found day by day and then to the second.
func transitions(loc *time.Location, fromYear, toYear int) []transition {
	var out []transition
	t := time.Date(fromYear, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(toYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	_, off := t.In(loc).Zone()
	for t.Before(end) {
		next := t.Add(24 * time.Hour)
		name, o := next.In(loc).Zone()
		if o != off {
			lo, hi := t, next // offset at lo is off, at hi is o
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
				if mid.Equal(lo) {
					break
				}
				if _, mo := mid.In(loc).Zone(); mo == off {
					lo = mid
				} else {
					hi = mid
				}
			}
			out = append(out, transition{at: hi, from: off, to: o, name: name, dst: hi.In(loc).IsDST()})
			off = o
		}
		t = next
	}
	return out
}

// weekdayRule is how a yearly rule names the day of a change: the nth
// weekday of its month, or the last (-1) when it falls in the last week.
func weekdayRule(t transition) (time.Month, int, time.Weekday, string) {
	local := t.at.Add(time.Duration(t.from) * time.Second).UTC()
	d := local.Day()
	daysInMonth := time.Date(local.Year(), local.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	n := (d-1)/7 + 1
	if d+7 > daysInMonth {
		n = -1
	}
	return local.Month(), n, local.Weekday(), local.Format("150405")
}

func sameRule(a, b transition) bool {
	am, an, aw, ac := weekdayRule(a)
	bm, bn, bw, bc := weekdayRule(b)
	return am == bm && an == bn && aw == bw && ac == bc && a.from == b.from && a.to == b.to && a.name == b.name
}

func yearlyRule(t transition) string {
	m, n, w, _ := weekdayRule(t)
	days := [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}
	return fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%d%s", int(m), n, days[w])
}
