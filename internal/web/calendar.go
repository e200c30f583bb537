package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
	"github.com/foliocrm/folio/internal/errs"
)

// calendarRoutes are the calendar page, its feed settings, the public feed
// and the event pages (events.go).
func (s *Server) calendarRoutes() {
	read, write := auth.PermContactsRead, auth.PermWrite
	s.handle("GET /calendar", read, s.calendarPage)
	s.handle("POST /calendar/feed/reset", read, s.calendarFeedReset)
	s.handle("POST /calendar/feed/off", read, s.calendarFeedOff)
	// The feed is read by calendar apps, without a session: the secret in
	// the URL is the key.
	s.handle("GET /calendar/feed/{file}", auth.PermPublic, s.calendarFeed)
	s.handle("GET /events/new", write, s.eventNewForm)
	s.handle("POST /events/new", write, s.eventCreate)
	s.handle("GET /events/{id}", read, s.eventPage)
	s.handle("GET /events/{id}/edit", write, s.eventEditForm)
	s.handle("POST /events/{id}/edit", write, s.eventUpdate)
	s.handle("GET /events/{id}/delete", write, s.eventDeleteForm)
	s.handle("POST /events/{id}/delete", write, s.eventDelete)
}

type calDay struct {
	Date    time.Time
	InMonth bool
	Today   bool
	Entries []activity.Entry
}

type calendarData struct {
	View        string // week or month
	Title       string
	Date        string // the day the view is built around, YYYY-MM-DD
	Prev, Next  string
	TodayHref   string
	OtherView   string
	Weeks       [][]calDay
	Zone        string
	Empty       bool
	CanWrite    bool
	FeedURL     string
	WeekdayName []string
}

// calendarPage shows the user's week or month: their events (repeating
// ones expanded) and the open tasks due to them, in their time zone.
func (s *Server) calendarPage(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	loc := u.Location()
	q := r.URL.Query()
	view := q.Get("view")
	if view != "month" {
		view = "week"
	}
	now := time.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	day := today
	if d := q.Get("date"); d != "" {
		t, err := time.ParseInLocation(time.DateOnly, d, loc)
		if err != nil || t.Year() < 1900 || t.Year() > 2200 {
			s.renderErrorText(w, r, http.StatusBadRequest, "The date must be written YYYY-MM-DD.")
			return
		}
		day = t
	}
	var from, to, prev, next time.Time
	var title string
	if view == "week" {
		from = day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)) // Monday
		to = from.AddDate(0, 0, 7)
		prev, next = from.AddDate(0, 0, -7), from.AddDate(0, 0, 7)
		last := to.AddDate(0, 0, -1)
		title = "Week of " + from.Format("2 Jan") + " – " + last.Format("2 Jan 2006")
	} else {
		first := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, loc)
		from = first.AddDate(0, 0, -((int(first.Weekday()) + 6) % 7))
		end := first.AddDate(0, 1, 0)
		to = end.AddDate(0, 0, (7-(int(end.Weekday())+6)%7)%7)
		prev, next = first.AddDate(0, -1, 0), first.AddDate(0, 1, 0)
		title = first.Format("January 2006")
		day = first
	}
	entries, err := s.Activity.Calendar(r.Context(), contact.ViewerFor(u), loc, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := calendarData{View: view, Title: title, Date: day.Format(time.DateOnly), Zone: loc.String(), Empty: len(entries) == 0,
		CanWrite: u.Can(auth.PermWrite), WeekdayName: []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}}
	href := func(v string, t time.Time) string { return "/calendar?view=" + v + "&date=" + t.Format(time.DateOnly) }
	d.Prev, d.Next, d.TodayHref = href(view, prev), href(view, next), href(view, today)
	if view == "week" {
		d.OtherView = href("month", from)
	} else {
		d.OtherView = href("week", day)
	}
	var week []calDay
	for t := from; t.Before(to); t = t.AddDate(0, 0, 1) {
		cd := calDay{Date: t, InMonth: view == "week" || t.Month() == day.Month(), Today: t.Equal(today)}
		end := t.AddDate(0, 0, 1)
		for _, e := range entries {
			if e.Start.Before(end) && (e.End.After(t) || (e.End.Equal(e.Start) && !e.Start.Before(t))) {
				cd.Entries = append(cd.Entries, e)
			}
		}
		week = append(week, cd)
		if len(week) == 7 {
			d.Weeks = append(d.Weeks, week)
			week = nil
		}
	}
	if tok, err := s.Activity.FeedToken(r.Context(), u.ID); err != nil {
		s.fail(w, r, err)
		return
	} else if tok != "" {
		d.FeedURL = s.feedURL(tok)
	}
	s.render(w, r, http.StatusOK, "app/calendar", &Page{Title: "Calendar", Data: d})
}

func (s *Server) feedURL(token string) string {
	return strings.TrimRight(s.Cfg.BaseURL, "/") + "/calendar/feed/" + token + ".ics"
}

func (s *Server) calendarFeedReset(w http.ResponseWriter, r *http.Request) {
	if _, err := s.Activity.ResetFeed(r.Context(), userFrom(r.Context()).ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "Your calendar feed has a new URL; the previous one no longer works. Subscribe to the new one in your calendar app.")
	http.Redirect(w, r, "/calendar#feed", http.StatusSeeOther)
}

func (s *Server) calendarFeedOff(w http.ResponseWriter, r *http.Request) {
	if err := s.Activity.TurnOffFeed(r.Context(), userFrom(r.Context()).ID); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "Your calendar feed is off; its URL no longer works.")
	http.Redirect(w, r, "/calendar#feed", http.StatusSeeOther)
}

// calendarFeed serves a user's iCalendar feed to calendar apps. A wrong or
// revoked token gets a bare 404, the same for every failure.
func (s *Server) calendarFeed(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok {
		http.NotFound(w, r)
		return
	}
	body, err := s.Activity.Feed(r.Context(), token, s.Cfg.BaseURL, time.Now())
	if errs.Is(err, errs.NotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		s.Log.ErrorContext(r.Context(), "calendar feed", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="folio.ics"`)
	w.Header().Set("Referrer-Policy", "no-referrer")
	_, _ = w.Write(body)
}
