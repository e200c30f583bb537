package activity_test

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/audit"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/db"
	"github.com/foliocrm/folio/internal/db/dbtest"
	"github.com/foliocrm/folio/internal/errs"
)

func (f *fixture) event(v contact.Viewer, in activity.EventInput) int64 {
	f.t.Helper()
	if in.TimeZone == "" {
		in.TimeZone = "Europe/London"
	}
	id, err := f.s.CreateEvent(ctxAs(v), v, in)
	if err != nil {
		f.t.Fatalf("CreateEvent: %v", err)
	}
	return id
}

func TestEvent_validationNamesEachField(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ok := activity.EventInput{Title: "Review", TimeZone: "Europe/London", Start: "2026-03-27T09:00", End: "2026-03-27T10:00"}
		cases := []struct {
			name  string
			edit  func(*activity.EventInput)
			field string
		}{
			{"no title", func(in *activity.EventInput) { in.Title = "  " }, "title"},
			{"two-line title", func(in *activity.EventInput) { in.Title = "Review\r\nBcc: x@example.com" }, "title"},
			{"long title", func(in *activity.EventInput) { in.Title = strings.Repeat("a", 201) }, "title"},
			{"unknown zone", func(in *activity.EventInput) { in.TimeZone = "Mars/Olympus" }, "time_zone"},
			{"Local zone", func(in *activity.EventInput) { in.TimeZone = "Local" }, "time_zone"},
			{"bad start", func(in *activity.EventInput) { in.Start = "tomorrow" }, "start"},
			{"end before start", func(in *activity.EventInput) { in.End = "2026-03-27T08:00" }, "end"},
			{"end equals start", func(in *activity.EventInput) { in.End = in.Start }, "end"},
			{"too long", func(in *activity.EventInput) { in.End = "2026-06-27T08:00" }, "end"},
			{"all-day last day before first", func(in *activity.EventInput) {
				in.AllDay, in.Start, in.End = true, "2026-03-27", "2026-03-26"
			}, "end"},
			{"unknown recurrence", func(in *activity.EventInput) { in.Recur = "daily" }, "recur"},
			{"interval too large", func(in *activity.EventInput) { in.Recur, in.Interval = activity.RecurMonthly, 13 }, "interval"},
			{"until before start", func(in *activity.EventInput) { in.Recur, in.Until = activity.RecurWeekly, "2026-03-01" }, "until"},
			{"until not a date", func(in *activity.EventInput) { in.Recur, in.Until = activity.RecurWeekly, "soon" }, "until"},
			{"longer than its repeat", func(in *activity.EventInput) {
				in.Recur, in.End = activity.RecurWeekly, "2026-04-05T10:00"
			}, "end"},
			{"location on two lines", func(in *activity.EventInput) { in.Location = "a\nb" }, "location"},
			{"unknown staff", func(in *activity.EventInput) { in.Users = []int64{99999} }, "users"},
		}
		for _, c := range cases {
			in := ok
			c.edit(&in)
			_, err := f.s.CreateEvent(ctxAs(f.advisor), f.advisor, in)
			if !errs.Is(err, errs.Invalid) || errs.FieldsOf(err)[c.field] == "" {
				t.Errorf("%s: err = %v (fields %v), want a message on %s", c.name, err, errs.FieldsOf(err), c.field)
			}
		}
		if _, err := f.s.CreateEvent(ctxAs(f.reader), f.reader, ok); !errs.Is(err, errs.Forbidden) {
			t.Errorf("read-only user created an event: %v", err)
		}
		var n int
		d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM events").Scan(&n)
		if n != 0 {
			t.Errorf("%d events stored from bad input", n)
		}
	})
}

func TestEvent_invisibleContactRefusedAsAttendee(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		others := f.contact(f.advisor, "Notmine")
		mine := f.contact(f.limited, "Mine")
		in := activity.EventInput{Title: "Call", TimeZone: "UTC", Start: "2026-03-27T09:00", End: "2026-03-27T09:30", Contacts: []int64{mine, others}}
		_, err := f.s.CreateEvent(ctxAs(f.limited), f.limited, in)
		if msg := errs.FieldsOf(err)["contacts"]; !strings.Contains(msg, "not one of yours") {
			t.Fatalf("limited user added a contact they cannot see: %v", err)
		}
		in.Contacts = []int64{mine}
		id := f.event(f.limited, in)
		// The advisor may add theirs; the limited user's view of the event
		// hides it and their edit keeps it.
		f.event(f.advisor, activity.EventInput{Title: "Other", TimeZone: "UTC", Start: "2026-03-28T09:00", End: "2026-03-28T09:30", Contacts: []int64{others}})
		admin := f.admin
		e, err := f.s.Event(context.Background(), admin, id)
		if err != nil {
			t.Fatal(err)
		}
		in.Contacts = []int64{mine, others}
		if err := f.s.UpdateEvent(ctxAs(admin), admin, id, e.Version, in); err != nil {
			t.Fatal(err)
		}
		e, err = f.s.Event(context.Background(), f.limited, id)
		if err != nil || len(e.Contacts) != 1 || e.Contacts[0].ID != mine || e.HiddenContacts != 1 {
			t.Fatalf("limited view = %+v, %v; want only their contact and one hidden", e, err)
		}
		in.Contacts, in.Title = []int64{mine}, "Call, moved"
		if err := f.s.UpdateEvent(ctxAs(f.limited), f.limited, id, e.Version, in); err != nil {
			t.Fatal(err)
		}
		e, _ = f.s.Event(context.Background(), admin, id)
		if len(e.Contacts) != 2 {
			t.Errorf("the organizer's edit dropped a contact they cannot see: %+v", e.Contacts)
		}
		// Someone who neither attends nor sees a contact of the event does
		// not see it.
		other, _ := f.s.Event(context.Background(), f.limited, id)
		if other == nil {
			t.Error("organizer cannot see their event")
		}
		if _, err := f.s.Event(context.Background(), f.other, id); err != nil {
			t.Errorf("advisor who sees an attendee contact cannot open the event: %v", err)
		}
	})
}

func TestEvent_onEachAttendeeTimelineAtItsStart(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		f.s.RegisterKind(activity.KindEvent, f.s.EventSummaries)
		a, b, c := f.contact(f.advisor, "Anna"), f.contact(f.advisor, "Bert"), f.contact(f.advisor, "Carl")
		in := activity.EventInput{Title: "Annual review", TimeZone: "Europe/London", Start: "2026-07-01T14:00", End: "2026-07-01T15:00",
			Location: "Office", Notes: "Bring **statements**", Contacts: []int64{a, b}, Users: []int64{f.other.UserID}}
		id := f.event(f.advisor, in)
		for _, cid := range []int64{a, b} {
			p, err := f.s.Timeline(context.Background(), f.advisor, cid, activity.TimelineQuery{Kind: activity.KindEvent})
			if err != nil || len(p.Items) != 1 {
				t.Fatalf("timeline of %d = %+v, %v", cid, p, err)
			}
			it := p.Items[0]
			want := time.Date(2026, 7, 1, 13, 0, 0, 0, time.UTC)
			if it.Ref != id || !it.At.Equal(want) || it.Entry == nil || it.Entry.Title != "Annual review" ||
				!strings.Contains(it.Entry.Detail, "Office") || !strings.Contains(it.Entry.Detail, "Olga Other") ||
				!strings.Contains(string(it.Entry.Body), "<strong>statements</strong>") || it.Entry.URL != "/events/"+idString(id) {
				t.Errorf("timeline item = %+v %+v", it, it.Entry)
			}
		}
		// Moving the event and its attendees moves the timeline rows.
		e, _ := f.s.Event(context.Background(), f.advisor, id)
		in.Start, in.End, in.Contacts = "2026-07-02T09:00", "2026-07-02T10:00", []int64{b, c}
		if err := f.s.UpdateEvent(ctxAs(f.advisor), f.advisor, id, e.Version, in); err != nil {
			t.Fatal(err)
		}
		if err := f.s.UpdateEvent(ctxAs(f.advisor), f.advisor, id, e.Version, in); !errs.Is(err, errs.Conflict) {
			t.Errorf("stale version accepted: %v", err)
		}
		counts := map[int64]int{}
		for _, cid := range []int64{a, b, c} {
			p, _ := f.s.Timeline(context.Background(), f.advisor, cid, activity.TimelineQuery{})
			counts[cid] = len(p.Items)
			if len(p.Items) == 1 && !p.Items[0].At.Equal(time.Date(2026, 7, 2, 8, 0, 0, 0, time.UTC)) {
				t.Errorf("timeline at = %v after the move", p.Items[0].At)
			}
		}
		if counts[a] != 0 || counts[b] != 1 || counts[c] != 1 {
			t.Errorf("timeline items per contact = %v", counts)
		}
		evs, err := f.s.ContactEvents(context.Background(), f.advisor, c, 0)
		if err != nil || len(evs) != 1 || evs[0].ID != id {
			t.Errorf("ContactEvents = %+v, %v", evs, err)
		}
		// Only the organizer or an admin edits or deletes.
		if err := f.s.DeleteEvent(ctxAs(f.other), f.other, id); !errs.Is(err, errs.Forbidden) {
			t.Errorf("attendee deleted the event: %v", err)
		}
		if err := f.s.DeleteEvent(ctxAs(f.admin), f.admin, id); err != nil {
			t.Fatal(err)
		}
		for _, cid := range []int64{b, c} {
			if p, _ := f.s.Timeline(context.Background(), f.advisor, cid, activity.TimelineQuery{}); len(p.Items) != 0 {
				t.Errorf("deleted event still on the timeline of %d", cid)
			}
		}
		recs, _, err := audit.List(context.Background(), d, audit.Filter{Entity: "event", EntityID: idString(id), Limit: 10})
		if err != nil || len(recs) != 3 || recs[0].Action != "event.delete" || recs[2].Action != "event.create" {
			t.Fatalf("activity log = %+v, %v", recs, err)
		}
		if !hasChange(recs[1].Changes, "when") || !hasChange(recs[1].Changes, "contacts") {
			t.Errorf("update logged without when and contacts: %+v", recs[1].Changes)
		}
	})
}

func hasChange(cs []audit.Change, field string) bool {
	for _, c := range cs {
		if c.Field == field {
			return c.Old != c.New
		}
	}
	return false
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

func TestRecurrence_weeklyKeepsLocalTimeAcrossDST(t *testing.T) {
	london, _ := time.LoadLocation("Europe/London")
	e := activity.Event{Start: time.Date(2026, 3, 20, 9, 0, 0, 0, london), End: time.Date(2026, 3, 20, 10, 0, 0, 0, london),
		Recur: activity.RecurWeekly, Interval: 1, Until: "2026-04-10"}
	occ := e.Occurrences(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	if len(occ) != 4 { // 20 and 27 March, 3 and 10 April
		t.Fatalf("occurrences = %v", occ)
	}
	for _, o := range occ {
		if h, m, _ := o[0].Clock(); h != 9 || m != 0 || o[1].Sub(o[0]) != time.Hour {
			t.Errorf("occurrence %v–%v is not 09:00–10:00 London time", o[0], o[1])
		}
	}
	// Before the change (29 March) London is UTC, after it UTC+1.
	if occ[1][0].UTC().Hour() != 9 || occ[2][0].UTC().Hour() != 8 {
		t.Errorf("UTC hours = %d, %d; want 9 then 8", occ[1][0].UTC().Hour(), occ[2][0].UTC().Hour())
	}
	// A monthly event on the 31st skips months without one; a range far
	// from the start still finds its occurrences.
	m := activity.Event{Start: time.Date(2026, 1, 31, 12, 0, 0, 0, london), End: time.Date(2026, 1, 31, 13, 0, 0, 0, london), Recur: activity.RecurMonthly}
	got := m.Occurrences(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	var months []time.Month
	for _, o := range got {
		months = append(months, o[0].Month())
	}
	if len(months) != 3 || months[0] != time.January || months[1] != time.March || months[2] != time.May {
		t.Errorf("monthly on the 31st = %v", months)
	}
	far := m.Occurrences(time.Date(2036, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2036, 4, 1, 0, 0, 0, 0, time.UTC))
	if len(far) != 1 || far[0][0].Day() != 31 || far[0][0].Hour() != 12 {
		t.Errorf("March 2036 = %v", far)
	}
	// All-day: dates, whatever the clock change.
	ad := activity.Event{Start: time.Date(2026, 3, 28, 0, 0, 0, 0, london), End: time.Date(2026, 3, 30, 0, 0, 0, 0, london), AllDay: true,
		Recur: activity.RecurWeekly, Interval: 2}
	got = ad.Occurrences(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 20, 0, 0, 0, 0, time.UTC))
	if len(got) != 1 || got[0][0].Day() != 11 || got[0][1].Day() != 13 || got[0][0].Hour() != 0 || got[0][1].Hour() != 0 {
		t.Errorf("fortnightly all-day = %v", got)
	}
}

func TestCalendar_eventsExpandedAndDueTasksInTheReadersZone(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ny, _ := time.LoadLocation("America/New_York")
		weekly := f.event(f.advisor, activity.EventInput{Title: "Stand-up", Start: "2026-03-20T09:00", End: "2026-03-20T09:15",
			Recur: activity.RecurWeekly, Users: []int64{f.other.UserID}})
		f.event(f.advisor, activity.EventInput{Title: "Holiday", AllDay: true, Start: "2026-03-30", End: "2026-03-31"})
		f.event(f.admin, activity.EventInput{Title: "Not theirs", Start: "2026-03-30T09:00", End: "2026-03-30T10:00"})
		ctx := context.Background()
		_, err := d.ExecContext(ctx, `INSERT INTO tasks (title, due_at, due_has_time, assignee_id, created_at, updated_at) VALUES
			('Call back', ?, TRUE, ?, ?, ?), ('File report', ?, FALSE, ?, ?, ?), ('Done already', ?, TRUE, ?, ?, ?)`,
			time.Date(2026, 3, 31, 15, 0, 0, 0, time.UTC), f.other.UserID, db.Now(), db.Now(),
			time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), f.other.UserID, db.Now(), db.Now(),
			time.Date(2026, 3, 31, 16, 0, 0, 0, time.UTC), f.other.UserID, db.Now(), db.Now())
		if err != nil {
			t.Fatal(err)
		}
		d.ExecContext(ctx, "UPDATE tasks SET done_at = ? WHERE title = 'Done already'", db.Now())
		from := time.Date(2026, 3, 23, 0, 0, 0, 0, ny)
		to := from.AddDate(0, 0, 14)
		got, err := f.s.Calendar(ctx, f.other, ny, from, to)
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, e := range got {
			lines = append(lines, e.Kind+" "+e.Title+" "+e.Start.Format("2006-01-02 15:04 MST"))
		}
		want := []string{
			"task File report 2026-04-01 00:00 EDT",
			"event Stand-up 2026-03-27 05:00 EDT", // 09:00 London (GMT) is 05:00 in New York (EDT)
			"task Call back 2026-03-31 11:00 EDT",
			"event Stand-up 2026-04-03 04:00 EDT", // 09:00 London (BST)
		}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("calendar of the attendee:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
		got, _ = f.s.Calendar(ctx, f.advisor, ny, from, to)
		var titles []string
		for _, e := range got {
			titles = append(titles, e.Title)
			if e.Title == "Holiday" && (!e.AllDay || e.Start.Day() != 30 || e.LastDay().Day() != 31) {
				t.Errorf("all-day event read in New York = %+v", e)
			}
			if e.ID == weekly && !e.Recurring {
				t.Error("weekly occurrence not marked recurring")
			}
		}
		if strings.Join(titles, ",") != "Holiday,Stand-up,Stand-up" {
			t.Errorf("organizer's calendar = %v", titles)
		}
		if _, err := f.s.Calendar(ctx, f.advisor, ny, to, from); !errs.Is(err, errs.Invalid) {
			t.Errorf("reversed range: %v", err)
		}
	})
}

func TestFeed_parsedByGoICalKeepsLocalTimeAcrossDST(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		ctx := context.Background()
		c := f.contact(f.advisor, "Dana")
		f.event(f.advisor, activity.EventInput{Title: "Weekly, call; review", Start: "2026-03-20T09:00", End: "2026-03-20T10:00",
			Recur: activity.RecurWeekly, Until: "2026-04-30", Contacts: []int64{c}, Notes: "line one\nline two"})
		f.event(f.advisor, activity.EventInput{Title: "Offsite", AllDay: true, Start: "2026-05-04", End: "2026-05-05", TimeZone: "America/New_York"})
		_, err := d.ExecContext(ctx, `INSERT INTO tasks (title, due_at, due_has_time, assignee_id, created_at, updated_at) VALUES
			('Send pack', ?, FALSE, ?, ?, ?)`, time.Date(2026, 3, 31, 0, 0, 0, 0, time.UTC), f.advisor.UserID, db.Now(), db.Now())
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
		if _, err := f.s.Feed(ctx, "", "https://crm.example.com", now); !errs.Is(err, errs.NotFound) {
			t.Fatalf("empty token: %v", err)
		}
		token, err := f.s.ResetFeed(ctxAs(f.advisor), f.advisor.UserID)
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := f.s.FeedToken(ctx, f.advisor.UserID); again != token {
			t.Errorf("FeedToken = %q, want the token just made", again)
		}
		raw, err := f.s.Feed(ctx, token, "https://crm.example.com", now)
		if err != nil {
			t.Fatal(err)
		}
		cal, err := ical.NewDecoder(bytes.NewReader(raw)).Decode()
		if err != nil {
			t.Fatalf("go-ical cannot parse the feed: %v\n%s", err, raw)
		}
		evs := cal.Events()
		if len(evs) != 3 {
			t.Fatalf("%d events in the feed:\n%s", len(evs), raw)
		}
		byName := map[string]ical.Event{}
		for _, e := range evs {
			s, _ := e.Props.Text(ical.PropSummary)
			byName[s] = e
		}
		weekly := byName["Weekly, call; review"]
		if p := weekly.Props.Get(ical.PropDateTimeStart); p == nil || p.Params.Get(ical.PropTimezoneID) != "Europe/London" || p.Value != "20260320T090000" {
			t.Errorf("DTSTART = %+v", p)
		}
		set, err := weekly.RecurrenceSet(time.UTC)
		if err != nil || set == nil {
			t.Fatalf("RecurrenceSet: %v", err)
		}
		occ := set.All()
		if len(occ) != 6 { // 20, 27 March; 3, 10, 17, 24 April
			t.Fatalf("occurrences = %v", occ)
		}
		london, _ := time.LoadLocation("Europe/London")
		for _, o := range occ {
			if l := o.In(london); l.Hour() != 9 || l.Minute() != 0 {
				t.Errorf("occurrence %v is %v in London, not 09:00", o, l)
			}
		}
		if occ[1].UTC().Hour() != 9 || occ[2].UTC().Hour() != 8 {
			t.Errorf("UTC hours across the change = %v, %v", occ[1].UTC(), occ[2].UTC())
		}
		desc, _ := weekly.Props.Text(ical.PropDescription)
		if !strings.Contains(desc, "Dana Client") || !strings.Contains(desc, "line one\nline two") {
			t.Errorf("DESCRIPTION = %q", desc)
		}
		if u, _ := weekly.Props.URI(ical.PropURL); u == nil || !strings.HasPrefix(u.String(), "https://crm.example.com/events/") {
			t.Errorf("URL = %v", u)
		}
		offsite := byName["Offsite"]
		if p := offsite.Props.Get(ical.PropDateTimeStart); p == nil || p.ValueType() != ical.ValueDate || p.Value != "20260504" {
			t.Errorf("all-day DTSTART = %+v", p)
		}
		if p := offsite.Props.Get(ical.PropDateTimeEnd); p == nil || p.Value != "20260506" {
			t.Errorf("all-day DTEND = %+v (the day after the last)", p)
		}
		task := byName["Task: Send pack"]
		if p := task.Props.Get(ical.PropDateTimeStart); p == nil || p.Value != "20260331" {
			t.Errorf("task DTSTART = %+v", p)
		}
		// A VTIMEZONE for each zone used, with London's rules.
		zones := map[string]*ical.Component{}
		for _, ch := range cal.Children {
			if ch.Name == ical.CompTimezone {
				id, _ := ch.Props.Text(ical.PropTimezoneID)
				zones[id] = ch
			}
		}
		if zones["Europe/London"] == nil || zones["America/New_York"] == nil {
			t.Fatalf("VTIMEZONEs = %v", zones)
		}
		text := string(raw)
		for _, want := range []string{"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
			"TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "TZOFFSETTO:-0400",
			"RRULE:FREQ=WEEKLY;UNTIL=20260430T225959Z", "\r\n"} {
			if !strings.Contains(text, want) {
				t.Errorf("feed lacks %q:\n%s", want, raw)
			}
		}
		// Reset revokes the old URL; turning off revokes the new one.
		token2, err := f.s.ResetFeed(ctxAs(f.advisor), f.advisor.UserID)
		if err != nil || token2 == token {
			t.Fatalf("reset = %q, %v", token2, err)
		}
		if _, err := f.s.Feed(ctx, token, "", now); !errs.Is(err, errs.NotFound) {
			t.Errorf("old token after reset: %v", err)
		}
		if _, err := f.s.Feed(ctx, token2[:42]+"A", "", now); !errs.Is(err, errs.NotFound) && token2[42] != 'A' {
			t.Errorf("wrong token: %v", err)
		}
		if _, err := f.s.Feed(ctx, token2, "", now); err != nil {
			t.Errorf("new token: %v", err)
		}
		if err := f.s.TurnOffFeed(ctxAs(f.advisor), f.advisor.UserID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.s.Feed(ctx, token2, "", now); !errs.Is(err, errs.NotFound) {
			t.Errorf("token after turning off: %v", err)
		}
		if tok, _ := f.s.FeedToken(ctx, f.advisor.UserID); tok != "" {
			t.Errorf("FeedToken after turning off = %q", tok)
		}
	})
}

func TestFeed_emptyCalendarIsStillValid(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		token, err := f.s.ResetFeed(ctxAs(f.other), f.other.UserID)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := f.s.Feed(context.Background(), token, "", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ical.NewDecoder(bytes.NewReader(raw)).Decode(); err != nil {
			t.Errorf("empty feed does not parse: %v\n%s", err, raw)
		}
	})
}

// Merging contacts moves the other's event attendance to the survivor
// (once, when both attend); erasing a contact removes its attendance.
func TestEvent_attendanceFollowsMergeAndGoesWithErase(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		a, b := f.contact(f.admin, "Ann"), f.contact(f.admin, "Anne")
		both := f.event(f.admin, activity.EventInput{Title: "Both", TimeZone: "UTC", Start: "2026-07-01T09:00", End: "2026-07-01T10:00", Contacts: []int64{a, b}})
		one := f.event(f.admin, activity.EventInput{Title: "Only b", TimeZone: "UTC", Start: "2026-07-02T09:00", End: "2026-07-02T10:00", Contacts: []int64{b}})
		if err := f.cs.Merge(ctxAs(f.admin), f.admin, a, b, nil, contact.MergeBase{}); err != nil {
			t.Fatal(err)
		}
		var onA, onB int
		_ = d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM event_attendees WHERE contact_id = ?", a).Scan(&onA)
		_ = d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM event_attendees WHERE contact_id = ?", b).Scan(&onB)
		if onA != 2 || onB != 0 {
			t.Errorf("after the merge the survivor attends %d events and the merged contact %d; want 2 and 0 (events %d, %d)", onA, onB, both, one)
		}
		if err := f.cs.Erase(ctxAs(f.admin), f.admin, a); err != nil {
			t.Fatal(err)
		}
		_ = d.QueryRowContext(context.Background(), "SELECT COUNT(*) FROM event_attendees WHERE contact_id IS NOT NULL").Scan(&onA)
		if onA != 0 {
			t.Errorf("%d contact attendances left after erasing the contact", onA)
		}
	})
}
