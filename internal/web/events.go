package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/contact"
)

type eventFormData struct {
	Event     *activity.Event // nil for a new one
	Staff     []*auth.User
	Contacts  []activity.Attendee // attendee contacts the form shows ticked or not
	TimeZones []string
	Chosen    string // the name of the contact in the add-a-contact picker
}

type eventPageData struct {
	E        *activity.Event
	CanEdit  bool
	Contacts []activity.Attendee
}

func (s *Server) eventPage(w http.ResponseWriter, r *http.Request) {
	e, ok := s.loadEvent(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, "app/event", &Page{Title: e.Title, Data: eventPageData{E: e, CanEdit: s.mayEditEvent(r, e)}})
}

func (s *Server) loadEvent(w http.ResponseWriter, r *http.Request) (*activity.Event, bool) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return nil, false
	}
	e, err := s.Activity.Event(r.Context(), contact.ViewerFor(userFrom(r.Context())), id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	return e, true
}

func (s *Server) mayEditEvent(r *http.Request, e *activity.Event) bool {
	v := contact.ViewerFor(userFrom(r.Context()))
	return !v.ReadOnly && (v.Admin || e.OrganizerID == v.UserID)
}

// eventNewForm starts an event in the user's zone, the next whole hour for
// an hour; ?contact=ID makes that contact an attendee and ?date=YYYY-MM-DD
// picks the day.
func (s *Server) eventNewForm(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r.Context())
	loc := u.Location()
	start := time.Now().In(loc).Truncate(time.Hour).Add(time.Hour)
	if d, err := time.ParseInLocation(time.DateOnly, r.URL.Query().Get("date"), loc); err == nil {
		start = time.Date(d.Year(), d.Month(), d.Day(), 9, 0, 0, 0, loc)
	}
	f := &Form{Values: url.Values{}, Errors: map[string]string{}}
	setSpan(f, start, start.Add(time.Hour), false)
	f.Values.Set("time_zone", loc.String())
	f.Values.Set("interval", "1")
	var contacts []activity.Attendee
	if raw := r.URL.Query().Get("contact"); raw != "" {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			s.renderError(w, r, http.StatusNotFound)
			return
		}
		c, err := s.Contacts.Get(r.Context(), contact.ViewerFor(u), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		contacts = append(contacts, activity.Attendee{ID: c.ID, Name: c.Name()})
		f.Values.Add("contacts", raw)
	}
	s.renderEventForm(w, r, http.StatusOK, nil, f, contacts)
}

func setSpan(f *Form, start, end time.Time, allDay bool) {
	if allDay {
		end = end.AddDate(0, 0, -1)
		f.Values.Set("all_day", "on")
	}
	f.Values.Set("start_date", start.Format(time.DateOnly))
	f.Values.Set("start_time", start.Format("15:04"))
	f.Values.Set("end_date", end.Format(time.DateOnly))
	f.Values.Set("end_time", end.Format("15:04"))
}

func (s *Server) renderEventForm(w http.ResponseWriter, r *http.Request, status int, e *activity.Event, f *Form, contacts []activity.Attendee) {
	staff, err := s.Auth.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	staff = slices.DeleteFunc(staff, func(u *auth.User) bool { return u.DisabledAt != nil })
	title := "New event"
	if e != nil {
		title = "Edit " + e.Title
	}
	s.render(w, r, status, "app/event_form", &Page{Title: title, Form: f,
		Data: eventFormData{Event: e, Staff: staff, Contacts: contacts, TimeZones: commonTimeZones}})
}

// eventInput reads the form: dates and times in separate inputs, one
// contact to add through the picker beside the ticked ones.
func eventInput(f *Form) activity.EventInput {
	in := activity.EventInput{Title: f.Get("title"), Location: f.Get("location"), Notes: f.Get("notes"), TimeZone: f.Get("time_zone"),
		AllDay: f.Get("all_day") == "on", Recur: f.Get("recur"), Until: f.Get("until")}
	if in.AllDay {
		in.Start, in.End = f.Get("start_date"), f.Get("end_date")
	} else {
		in.Start = strings.TrimSpace(f.Get("start_date")) + "T" + strings.TrimSpace(f.Get("start_time"))
		in.End = strings.TrimSpace(f.Get("end_date")) + "T" + strings.TrimSpace(f.Get("end_time"))
	}
	if in.Recur != "" {
		in.Interval, _ = strconv.Atoi(strings.TrimSpace(f.Get("interval")))
		if in.Interval == 0 && strings.TrimSpace(f.Get("interval")) != "" {
			in.Interval = -1 // not a number: refused with the range
		}
	}
	for _, raw := range f.Values["users"] {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil {
			in.Users = append(in.Users, id)
		}
	}
	for _, raw := range append(slices.Clone(f.Values["contacts"]), f.Get("add_contact")) {
		if id, err := strconv.ParseInt(strings.TrimPrefix(strings.TrimSpace(raw), "#"), 10, 64); err == nil {
			in.Contacts = append(in.Contacts, id)
		}
	}
	return in
}

// eventFormErrors puts the domain's messages on the form's inputs.
func eventFormErrors(f *Form, err error) bool {
	if !f.fail(err, "title") {
		return false
	}
	for from, to := range map[string]string{"start": "start_date", "end": "end_date", "contacts": "add_contact"} {
		if m, ok := f.Errors[from]; ok {
			delete(f.Errors, from)
			f.Errors[to] = m
		}
	}
	for k, m := range f.Errors {
		f.Errors[k] = sentence(m)
	}
	return true
}

// formContacts are the contacts the form listed, with their names, for
// showing it again after an error.
func (s *Server) formContacts(r *http.Request, f *Form, e *activity.Event) []activity.Attendee {
	var out []activity.Attendee
	if e != nil {
		out = append(out, e.Contacts...)
	}
	v := contact.ViewerFor(userFrom(r.Context()))
	for _, raw := range f.Values["contacts"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || slices.ContainsFunc(out, func(a activity.Attendee) bool { return a.ID == id }) {
			continue
		}
		if c, err := s.Contacts.Get(r.Context(), v, id); err == nil {
			out = append(out, activity.Attendee{ID: c.ID, Name: c.Name()})
		}
	}
	return out
}

func (s *Server) eventCreate(w http.ResponseWriter, r *http.Request) {
	f := newForm(r)
	u := userFrom(r.Context())
	id, err := s.Activity.CreateEvent(r.Context(), contact.ViewerFor(u), eventInput(f))
	if err != nil {
		if !eventFormErrors(f, err) {
			s.fail(w, r, err)
			return
		}
		s.renderEventForm(w, r, http.StatusUnprocessableEntity, nil, f, s.formContacts(r, f, nil))
		return
	}
	s.setFlash(w, "success", "Event created.")
	http.Redirect(w, r, "/events/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (s *Server) eventEditForm(w http.ResponseWriter, r *http.Request) {
	e, ok := s.loadEvent(w, r)
	if !ok {
		return
	}
	if !s.mayEditEvent(r, e) {
		s.renderErrorText(w, r, http.StatusForbidden, "Only the event's organizer or an admin can change it.")
		return
	}
	f := &Form{Values: url.Values{}, Errors: map[string]string{}}
	setSpan(f, e.Start, e.End, e.AllDay)
	for k, v := range map[string]string{"title": e.Title, "location": e.Location, "notes": e.Notes, "time_zone": e.TimeZone,
		"recur": e.Recur, "interval": strconv.Itoa(e.Interval), "until": e.Until, "version": strconv.Itoa(e.Version)} {
		f.Values.Set(k, v)
	}
	for _, a := range e.Users {
		f.Values.Add("users", strconv.FormatInt(a.ID, 10))
	}
	for _, a := range e.Contacts {
		f.Values.Add("contacts", strconv.FormatInt(a.ID, 10))
	}
	s.renderEventForm(w, r, http.StatusOK, e, f, e.Contacts)
}

func (s *Server) eventUpdate(w http.ResponseWriter, r *http.Request) {
	e, ok := s.loadEvent(w, r)
	if !ok {
		return
	}
	f := newForm(r)
	version, _ := strconv.Atoi(f.Get("version"))
	if version == 0 {
		version = -1 // a form without its version is not trusted over a newer change
	}
	err := s.Activity.UpdateEvent(r.Context(), contact.ViewerFor(userFrom(r.Context())), e.ID, version, eventInput(f))
	if err != nil {
		if !eventFormErrors(f, err) {
			s.fail(w, r, err)
			return
		}
		s.renderEventForm(w, r, http.StatusUnprocessableEntity, e, f, s.formContacts(r, f, e))
		return
	}
	s.setFlash(w, "success", "Event saved.")
	http.Redirect(w, r, "/events/"+strconv.FormatInt(e.ID, 10), http.StatusSeeOther)
}

func (s *Server) eventDeleteForm(w http.ResponseWriter, r *http.Request) {
	e, ok := s.loadEvent(w, r)
	if !ok {
		return
	}
	if !s.mayEditEvent(r, e) {
		s.renderErrorText(w, r, http.StatusForbidden, "Only the event's organizer or an admin can delete it.")
		return
	}
	s.render(w, r, http.StatusOK, "app/event_delete", &Page{Title: "Delete " + e.Title, Data: eventPageData{E: e}})
}

func (s *Server) eventDelete(w http.ResponseWriter, r *http.Request) {
	id, ok := s.pathID(w, r, "id")
	if !ok {
		return
	}
	if err := s.Activity.DeleteEvent(r.Context(), contact.ViewerFor(userFrom(r.Context())), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.setFlash(w, "success", "Event deleted.")
	http.Redirect(w, r, "/calendar", http.StatusSeeOther)
}
