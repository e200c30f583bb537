package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/app/apptest"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
)

func eventForm(title string, kv ...string) url.Values {
	f := url.Values{"title": {title}, "start_date": {"2026-03-27"}, "start_time": {"09:00"}, "end_date": {"2026-03-27"},
		"end_time": {"10:00"}, "time_zone": {"Europe/London"}, "interval": {"1"}}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Set(kv[i], kv[i+1])
	}
	return f
}

var eventLoc = regexp.MustCompile(`^/events/(\d+)$`)

func TestEvents_webCreateShowEditDeleteOnCalendarAndTimeline(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		_, advisor := seeded(t, s)
		limited := s.CreateUser(t, limEmail, "Lina Limited", auth.RoleAdvisor, limPass, auth.Grants{})
		if _, err := s.Auth.UpdateAccess(asUser(advisor), nil, limited.ID, auth.AccessChange{Name: limited.Name, Role: auth.RoleAdvisor, OwnContactsOnly: true}); err != nil {
			t.Fatal(err)
		}
		cid := addContact(t, s, advisor, person("Dana", "Client", ""))
		c := signedIn(t, s, advEmail, advPass)

		res := s.Get(t, c, fmt.Sprintf("/events/new?contact=%d", cid))
		if res.StatusCode != 200 || !strings.Contains(res.Body, "Dana Client") || !strings.Contains(res.Body, `name="time_zone" type="text" value="UTC"`) {
			t.Fatalf("new event form = %d\n%s", res.StatusCode, res.Body)
		}
		if res := s.Get(t, c, "/events/new?contact=999999"); res.StatusCode != 404 {
			t.Errorf("new event for an unknown contact = %d", res.StatusCode)
		}
		res = s.PostForm(t, c, "/events/new", eventForm("", "time_zone", "Nowhere/Else"))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Give the event a title.") ||
			!strings.Contains(res.Body, "Choose a time zone from the list") {
			t.Fatalf("bad event = %d\n%s", res.StatusCode, res.Body)
		}
		res = s.PostForm(t, c, "/events/new", eventForm("Late", "end_time", "08:00"))
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "The end must be after the start.") {
			t.Fatalf("end before start = %d\n%s", res.StatusCode, res.Body)
		}
		form := eventForm(`<script>alert(1)</script> Review`, "location", "Office", "notes", "Bring *statements* <b>x</b>",
			"recur", "weekly", "until", "2026-04-30", "contacts", fmt.Sprint(cid))
		form.Add("users", fmt.Sprint(limited.ID))
		res = s.PostForm(t, c, "/events/new", form)
		m := eventLoc.FindStringSubmatch(res.Header.Get("Location"))
		if res.StatusCode != http.StatusSeeOther || m == nil {
			t.Fatalf("create = %d %s\n%s", res.StatusCode, res.Header.Get("Location"), res.Body)
		}
		page := follow(t, s, c, res)
		if strings.Contains(page.Body, "<script>alert") || !strings.Contains(page.Body, "&lt;script&gt;") ||
			!strings.Contains(page.Body, "<em>statements</em>") || strings.Contains(page.Body, "<b>x</b>") ||
			!strings.Contains(page.Body, "Every week until 2026-04-30") || !strings.Contains(page.Body, "Lina Limited") {
			t.Errorf("event page:\n%s", page.Body)
		}
		id := m[1]

		// The week of 30 March (after London's clock change) shows the
		// repeat at 09:00, in the advisor's zone (UTC by default: 08:00).
		cal := s.Get(t, c, "/calendar?view=week&date=2026-04-01")
		if cal.StatusCode != 200 || !strings.Contains(cal.Body, "Review") || !strings.Contains(cal.Body, `href="/events/`+id+`"`) {
			t.Fatalf("week view = %d\n%s", cal.StatusCode, cal.Body)
		}
		if !strings.Contains(cal.Body, ">08:00<") {
			t.Errorf("09:00 London in April is 08:00 UTC; week view:\n%s", cal.Body)
		}
		month := s.Get(t, c, "/calendar?view=month&date=2026-03-05")
		if n := strings.Count(month.Body, `href="/events/`+id+`"`); n != 2 { // 27 March and 3 April, both on the month's grid
			t.Errorf("month view shows the event %d times\n%s", n, month.Body)
		}
		if res := s.Get(t, c, "/calendar?date=nonsense"); res.StatusCode != 400 {
			t.Errorf("bad date = %d", res.StatusCode)
		}
		if !strings.Contains(s.Get(t, c, "/calendar").Body, `href="/calendar"`) {
			t.Error("no Calendar item in the navigation")
		}

		// The contact's timeline carries it.
		p, err := s.Activity.Timeline(asUser(advisor), contact.ViewerFor(advisor), cid, activity.TimelineQuery{})
		if err != nil || len(p.Items) != 1 || p.Items[0].Kind != "event" || p.Items[0].Entry == nil || p.Items[0].Entry.URL != "/events/"+id {
			t.Errorf("timeline = %+v, %v", p, err)
		}

		// The staff attendee sees it but may not edit it; the organizer edits
		// with the version, and a stale form is refused.
		lc := signedIn(t, s, limEmail, limPass)
		if res := s.Get(t, lc, "/events/"+id); res.StatusCode != 200 || strings.Contains(res.Body, "/edit") || strings.Contains(res.Body, "Dana Client") {
			t.Errorf("attendee's view = %d\n%s", res.StatusCode, res.Body)
		}
		if res := s.Get(t, lc, "/events/"+id+"/edit"); res.StatusCode != 403 {
			t.Errorf("attendee's edit form = %d", res.StatusCode)
		}
		edit := s.Get(t, c, "/events/"+id+"/edit")
		if edit.StatusCode != 200 || !strings.Contains(edit.Body, `name="version" value="1"`) {
			t.Fatalf("edit form = %d\n%s", edit.StatusCode, edit.Body)
		}
		form.Set("version", "1")
		form.Set("title", "Quarterly review")
		if res := s.PostForm(t, c, "/events/"+id+"/edit", form); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("edit = %d\n%s", res.StatusCode, res.Body)
		}
		if res := s.PostForm(t, c, "/events/"+id+"/edit", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Someone changed this event") {
			t.Errorf("stale edit = %d\n%s", res.StatusCode, res.Body)
		}

		// Delete asks first.
		confirm := s.Get(t, c, "/events/"+id+"/delete")
		if confirm.StatusCode != 200 || !strings.Contains(confirm.Body, "Delete the event Quarterly review?") {
			t.Fatalf("confirmation = %d\n%s", confirm.StatusCode, confirm.Body)
		}
		if res := s.PostForm(t, lc, "/events/"+id+"/delete", nil); res.StatusCode != 403 {
			t.Errorf("attendee delete = %d", res.StatusCode)
		}
		if res := s.PostForm(t, c, "/events/"+id+"/delete", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("delete = %d\n%s", res.StatusCode, res.Body)
		}
		if res := s.Get(t, c, "/events/"+id); res.StatusCode != 404 {
			t.Errorf("deleted event = %d", res.StatusCode)
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE entity = 'event' AND entity_id = ?", id); n != 3 {
			t.Errorf("%d activity log rows for the event, want 3", n)
		}
	})
}

func TestCalendarFeed_onResetOffAndWrongTokenIs404(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		_, advisor := seeded(t, s)
		if err := s.Auth.ChangeTimeZone(asUser(advisor), advisor, "Europe/London"); err != nil {
			t.Fatal(err)
		}
		c := signedIn(t, s, advEmail, advPass)
		res := s.PostForm(t, c, "/events/new", eventForm("Weekly call", "recur", "weekly"))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("create = %d\n%s", res.StatusCode, res.Body)
		}
		if page := s.Get(t, c, "/calendar"); !strings.Contains(page.Body, "Your calendar feed is off") {
			t.Fatalf("calendar page before the feed:\n%s", page.Body)
		}
		feedURL := func() string {
			t.Helper()
			page := s.Get(t, c, "/calendar")
			m := regexp.MustCompile(`value="(http://folio\.test/calendar/feed/[^"]+\.ics)"`).FindStringSubmatch(page.Body)
			if m == nil {
				t.Fatalf("no feed URL on the calendar page:\n%s", page.Body)
			}
			return strings.TrimPrefix(html.UnescapeString(m[1]), "http://folio.test")
		}
		if res := s.PostForm(t, c, "/calendar/feed/reset", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("turn on = %d", res.StatusCode)
		}
		first := feedURL()
		anon := s.Client() // calendar apps have no session
		res = s.Get(t, anon, first)
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("feed = %d %s\n%s", res.StatusCode, res.Header.Get("Content-Type"), res.Body)
		}
		cal, err := ical.NewDecoder(strings.NewReader(res.Body)).Decode()
		if err != nil {
			t.Fatalf("feed does not parse: %v\n%s", err, res.Body)
		}
		evs := cal.Events()
		if len(evs) != 1 {
			t.Fatalf("%d events in the feed", len(evs))
		}
		set, err := evs[0].RecurrenceSet(time.UTC)
		if err != nil || set == nil {
			t.Fatalf("RecurrenceSet: %v", err)
		}
		london, _ := time.LoadLocation("Europe/London")
		for _, o := range set.Between(time.Date(2026, 3, 20, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 10, 0, 0, 0, 0, time.UTC), true) {
			if o.In(london).Hour() != 9 {
				t.Errorf("occurrence at %v is not 09:00 in London", o)
			}
		}
		if !strings.Contains(res.Body, "BEGIN:VTIMEZONE") || !strings.Contains(res.Body, "TZID:Europe/London") {
			t.Errorf("no VTIMEZONE:\n%s", res.Body)
		}
		for _, bad := range []string{"/calendar/feed/nonsense.ics", strings.TrimSuffix(first, ".ics"), first[:len(first)-6] + "xx.ics"} {
			if res := s.Get(t, anon, bad); res.StatusCode != 404 {
				t.Errorf("GET %s = %d, want 404", bad, res.StatusCode)
			}
		}
		if res := s.PostForm(t, c, "/calendar/feed/reset", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("reset = %d", res.StatusCode)
		}
		second := feedURL()
		if second == first || s.Get(t, anon, first).StatusCode != 404 || s.Get(t, anon, second).StatusCode != 200 {
			t.Errorf("reset did not revoke the old URL (%s → %s)", first, second)
		}
		// The API shows the same URL.
		tok := token(t, s, advisor)
		var feed struct {
			Enabled bool   `json:"enabled"`
			URL     string `json:"url"`
		}
		if err := json.Unmarshal([]byte(s.API(t, tok, "GET", "/api/v1/me/calendar-feed", "").Body), &feed); err != nil || !feed.Enabled || feed.URL != "http://folio.test"+second {
			t.Errorf("API feed = %+v, %v", feed, err)
		}
		if res := s.PostForm(t, c, "/calendar/feed/off", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("off = %d", res.StatusCode)
		}
		if s.Get(t, anon, second).StatusCode != 404 {
			t.Error("feed still served after turning it off")
		}
		if n := count(t, s, "SELECT COUNT(*) FROM audit_log WHERE action IN ('user.calendar_feed_reset', 'user.calendar_feed_off')"); n != 3 {
			t.Errorf("%d feed changes in the activity log, want 3", n)
		}
	})
}

func TestEvents_API(t *testing.T) {
	each(t, nil, func(t *testing.T, s *apptest.Server) {
		owner, advisor := seeded(t, s)
		limited := s.CreateUser(t, limEmail, "Lina Limited", auth.RoleAdvisor, limPass, auth.Grants{})
		if _, err := s.Auth.UpdateAccess(asUser(owner), owner, limited.ID, auth.AccessChange{Name: limited.Name, Role: auth.RoleAdvisor, OwnContactsOnly: true}); err != nil {
			t.Fatal(err)
		}
		cid := addContact(t, s, advisor, person("Dana", "Client", ""))
		tok, ltok := token(t, s, advisor), token(t, s, limited)

		p := problemOf(t, s.API(t, tok, "POST", "/api/v1/events", `{"title":"","start":"2026-03-27T10:00","end":"2026-03-27T09:00","recur":"weekly","interval":60}`), 422)
		if b, _ := json.Marshal(p); !strings.Contains(string(b), "body.end") || !strings.Contains(string(b), "body.title") || !strings.Contains(string(b), "body.interval") {
			t.Errorf("problem = %s", b)
		}
		problemOf(t, s.API(t, tok, "POST", "/api/v1/events", `{"title":"x","start":"2026-03-27T09:00","end":"2026-03-27T10:00","time_zone":"Mars/Base"}`), 422)
		problemOf(t, s.API(t, ltok, "POST", "/api/v1/events", fmt.Sprintf(`{"title":"x","start":"2026-03-27T09:00","end":"2026-03-27T10:00","contact_ids":[%d]}`, cid)), 422)

		res := s.API(t, tok, "POST", "/api/v1/events", fmt.Sprintf(`{"title":"Review","start":"2026-03-20T09:00","end":"2026-03-20T10:00",
			"time_zone":"Europe/London","recur":"weekly","until":"2026-04-10","contact_ids":[%d],"user_ids":[%d]}`, cid, limited.ID))
		if res.StatusCode != 201 {
			t.Fatalf("create = %d\n%s", res.StatusCode, res.Body)
		}
		var ev struct {
			ID       int64  `json:"id"`
			Start    string `json:"start"`
			Version  int    `json:"version"`
			Title    string `json:"title"`
			Contacts []struct {
				ID int64 `json:"id"`
			} `json:"contacts"`
			HiddenContacts int `json:"hidden_contacts"`
		}
		json.Unmarshal([]byte(res.Body), &ev)
		if ev.Start != "2026-03-20T09:00" || len(ev.Contacts) != 1 || res.Header.Get("Location") != fmt.Sprintf("/api/v1/events/%d", ev.ID) {
			t.Errorf("created = %s (Location %s)", res.Body, res.Header.Get("Location"))
		}
		// The attendee sees it without the contact they may not see.
		res = s.API(t, ltok, "GET", fmt.Sprintf("/api/v1/events/%d", ev.ID), "")
		json.Unmarshal([]byte(res.Body), &ev)
		if res.StatusCode != 200 || len(ev.Contacts) != 0 || ev.HiddenContacts != 1 {
			t.Errorf("attendee's GET = %d %s", res.StatusCode, res.Body)
		}
		problemOf(t, s.API(t, ltok, "PATCH", fmt.Sprintf("/api/v1/events/%d", ev.ID), `{"version":1,"title":"Mine"}`), 403)

		// Occurrences, expanded, in the caller's zone (UTC).
		res = s.API(t, tok, "GET", "/api/v1/events?from=2026-03-01&to=2026-05-01", "")
		var occ struct {
			Items []struct {
				EventID int64     `json:"event_id"`
				Start   time.Time `json:"start"`
			} `json:"items"`
		}
		json.Unmarshal([]byte(res.Body), &occ)
		if res.StatusCode != 200 || len(occ.Items) != 4 || occ.Items[0].Start.UTC().Hour() != 9 || occ.Items[2].Start.UTC().Hour() != 8 {
			t.Errorf("occurrences = %d %s", res.StatusCode, res.Body)
		}
		problemOf(t, s.API(t, tok, "GET", "/api/v1/events?from=soon&to=2026-05-01", ""), 400)
		problemOf(t, s.API(t, tok, "GET", "/api/v1/events?from=2020-01-01&to=2026-05-01", ""), 400)

		res = s.API(t, tok, "GET", fmt.Sprintf("/api/v1/contacts/%d/events", cid), "")
		if res.StatusCode != 200 || !strings.Contains(res.Body, `"title":"Review"`) {
			t.Errorf("contact's events = %d %s", res.StatusCode, res.Body)
		}
		problemOf(t, s.API(t, ltok, "GET", fmt.Sprintf("/api/v1/contacts/%d/events", cid), ""), 404)

		res = s.API(t, tok, "PATCH", fmt.Sprintf("/api/v1/events/%d", ev.ID), `{"version":1,"title":"Quarterly review","location":"Office"}`)
		if res.StatusCode != 200 || !strings.Contains(res.Body, `"version":2`) || !strings.Contains(res.Body, `"start":"2026-03-20T09:00"`) {
			t.Errorf("patch = %d %s", res.StatusCode, res.Body)
		}
		problemOf(t, s.API(t, tok, "PATCH", fmt.Sprintf("/api/v1/events/%d", ev.ID), `{"version":1,"title":"Again"}`), 409)
		if res := s.API(t, tok, "DELETE", fmt.Sprintf("/api/v1/events/%d", ev.ID), ""); res.StatusCode != 204 {
			t.Errorf("delete = %d %s", res.StatusCode, res.Body)
		}
		problemOf(t, s.API(t, tok, "GET", fmt.Sprintf("/api/v1/events/%d", ev.ID), ""), 404)
		var b bytes.Buffer
		b.WriteString(s.API(t, tok, "GET", "/api/v1/openapi.json", "").Body)
		if !strings.Contains(b.String(), "/api/v1/events/{id}") {
			t.Error("events are not in the OpenAPI document")
		}
	})
}
