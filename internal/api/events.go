package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/foliocrm/folio/internal/activity"
	"github.com/foliocrm/folio/internal/auth"
	"github.com/foliocrm/folio/internal/errs"
)

// eventRoutes are calendar events and the caller's calendar feed.
func (x *API) eventRoutes() {
	const (
		bad      = http.StatusBadRequest
		notFound = http.StatusNotFound
		invalid  = http.StatusUnprocessableEntity
	)
	tags := []string{"Events"}
	register(x, huma.Operation{OperationID: "list-events", Method: http.MethodGet, Path: "/events", Summary: "Your calendar: occurrences in a range",
		Description: "The occurrences of the events you organise or attend that overlap [from, to), at most 400 days, ordered by start. " +
			"A repeating event is expanded: each occurrence is one item with its event_id (GET /events/{event_id} has the series). " +
			"from and to are dates (YYYY-MM-DD, read in your time zone) or RFC 3339 times. Tasks are not listed here.",
		Tags: tags, Errors: []int{bad}}, auth.PermContactsRead, x.listEvents)
	register(x, huma.Operation{OperationID: "create-event", Method: http.MethodPost, Path: "/events", Summary: "Create an event",
		Description: "You are its organizer. Attendee contacts must be ones you may see; the event goes on each one's timeline.",
		Tags:        tags, DefaultStatus: http.StatusCreated, Errors: []int{invalid}}, auth.PermWrite, x.createEvent)
	register(x, huma.Operation{OperationID: "get-event", Method: http.MethodGet, Path: "/events/{id}", Summary: "Get an event",
		Description: "An event you organise or attend, or one with a contact you may see (contacts you may not see are only counted).",
		Tags:        tags, Errors: []int{bad, notFound}}, auth.PermContactsRead, x.getEvent)
	register(x, huma.Operation{OperationID: "update-event", Method: http.MethodPatch, Path: "/events/{id}", Summary: "Change an event",
		Description: "Members left out stay as they are. version is the one your change is based on: 409 when the event changed since. " +
			"Only the organizer or an admin may change it; contacts you may not see stay on it whatever contact_ids says.",
		Tags: tags, Errors: []int{bad, notFound, http.StatusForbidden, http.StatusConflict, invalid}}, auth.PermWrite, x.updateEvent)
	register(x, huma.Operation{OperationID: "delete-event", Method: http.MethodDelete, Path: "/events/{id}", Summary: "Delete an event",
		Description: "Every occurrence; it leaves the attendees' calendars and timelines. Only the organizer or an admin may.",
		Tags:        tags, DefaultStatus: http.StatusNoContent, Errors: []int{bad, notFound, http.StatusForbidden}}, auth.PermWrite, x.deleteEvent)
	list := huma.Operation{OperationID: "list-contact-events", Method: http.MethodGet, Path: "/contacts/{id}/events",
		Summary: "List a contact's events", Description: "The events on the contact's timeline (series, not occurrences), latest start first, at most 200.",
		Tags: []string{"Events", "Contacts"}, Errors: []int{bad, notFound}}
	x.problemResponses(&list, http.StatusMovedPermanently)
	register(x, list, auth.PermContactsRead, x.listContactEvents)
	register(x, huma.Operation{OperationID: "get-calendar-feed", Method: http.MethodGet, Path: "/me/calendar-feed", Summary: "Your calendar feed URL",
		Description: "The secret iCalendar URL of your events and due tasks, or enabled false when it is off (turn it on in the staff UI's Calendar page).",
		Tags:        []string{"Account"}}, auth.PermContactsRead, x.calendarFeed)
}

// Person is a staff user or contact attending an event.
type Person struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// Event is a calendar event as the API shows it.
type Event struct {
	ID             int64     `json:"id"`
	Title          string    `json:"title"`
	Location       string    `json:"location"`
	Notes          string    `json:"notes" doc:"Markdown"`
	NotesHTML      string    `json:"notes_html" doc:"The notes rendered and sanitised"`
	TimeZone       string    `json:"time_zone" doc:"IANA zone the times are in"`
	AllDay         bool      `json:"all_day"`
	Start          string    `json:"start" doc:"Wall time in time_zone, YYYY-MM-DDTHH:MM; a date for an all-day event"`
	End            string    `json:"end" doc:"Wall time in time_zone; for an all-day event its last day"`
	StartAt        time.Time `json:"start_at" doc:"The first occurrence's start as an instant"`
	EndAt          time.Time `json:"end_at"`
	Recur          string    `json:"recur" enum:",weekly,monthly"`
	Interval       int       `json:"interval" doc:"Every interval weeks or months"`
	Until          string    `json:"until" doc:"Last day it may happen (YYYY-MM-DD), empty for no end"`
	OrganizerID    int64     `json:"organizer_id"`
	Organizer      string    `json:"organizer"`
	Users          []Person  `json:"users"`
	Contacts       []Person  `json:"contacts"`
	HiddenContacts int       `json:"hidden_contacts" doc:"Attendee contacts you may not see"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

func people(as []activity.Attendee) []Person {
	return listOf(as, func(a activity.Attendee) Person { return Person(a) })
}

func eventOut(e *activity.Event) Event {
	out := Event{ID: e.ID, Title: e.Title, Location: e.Location, Notes: e.Notes, NotesHTML: string(e.NotesHTML), TimeZone: e.TimeZone,
		AllDay: e.AllDay, StartAt: e.Start.UTC(), EndAt: e.End.UTC(), Recur: e.Recur, Interval: e.Interval, Until: e.Until,
		OrganizerID: e.OrganizerID, Organizer: e.Organizer, Users: people(e.Users), Contacts: people(e.Contacts),
		HiddenContacts: e.HiddenContacts, Version: e.Version, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt}
	if e.AllDay {
		out.Start, out.End = e.Start.Format(time.DateOnly), e.LastDay().Format(time.DateOnly)
	} else {
		out.Start, out.End = e.Start.Format("2006-01-02T15:04"), e.End.Format("2006-01-02T15:04")
	}
	return out
}

// Occurrence is one occurrence of an event in a range.
type Occurrence struct {
	EventID   int64     `json:"event_id"`
	Title     string    `json:"title"`
	Start     time.Time `json:"start" doc:"In your time zone; midnight of the first day for an all-day event"`
	End       time.Time `json:"end" doc:"Midnight after the last day for an all-day event"`
	AllDay    bool      `json:"all_day"`
	Location  string    `json:"location"`
	Recurring bool      `json:"recurring"`
}

type listEventsInput struct {
	From string `query:"from" required:"true" doc:"YYYY-MM-DD or an RFC 3339 time"`
	To   string `query:"to" required:"true" doc:"YYYY-MM-DD or an RFC 3339 time, exclusive"`
}

type occurrenceListOutput struct {
	Body struct {
		Items []Occurrence `json:"items"`
	}
}

func rangeBound(name, v string, loc *time.Location) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, inQuery.invalid(errs.FieldErrors(map[string]string{name: "give a date (YYYY-MM-DD) or an RFC 3339 time"}))
}

func (x *API) listEvents(ctx context.Context, in *listEventsInput) (*occurrenceListOutput, error) {
	u := userFrom(ctx)
	loc := u.Location()
	from, err := rangeBound("from", in.From, loc)
	if err != nil {
		return nil, err
	}
	to, err := rangeBound("to", in.To, loc)
	if err != nil {
		return nil, err
	}
	entries, err := x.Activity.Calendar(ctx, viewer(ctx), loc, from, to)
	if err != nil {
		return nil, x.problemAt(ctx, err, inQuery)
	}
	out := &occurrenceListOutput{}
	out.Body.Items = []Occurrence{}
	for _, e := range entries {
		if e.Kind == activity.EntryEvent {
			out.Body.Items = append(out.Body.Items, Occurrence{EventID: e.ID, Title: e.Title, Start: e.Start, End: e.End, AllDay: e.AllDay,
				Location: e.Location, Recurring: e.Recurring})
		}
	}
	return out, nil
}

// EventBody is what a client sends to create an event.
type EventBody struct {
	Title      string  `json:"title" maxLength:"200"`
	Location   string  `json:"location,omitempty" maxLength:"500"`
	Notes      string  `json:"notes,omitempty" doc:"Markdown"`
	TimeZone   string  `json:"time_zone,omitempty" doc:"IANA zone; default yours"`
	AllDay     bool    `json:"all_day,omitempty"`
	Start      string  `json:"start" doc:"Wall time in time_zone (YYYY-MM-DDTHH:MM) or an RFC 3339 time; a date for an all-day event"`
	End        string  `json:"end" doc:"As start; for an all-day event its last day"`
	Recur      string  `json:"recur,omitempty" enum:",weekly,monthly"`
	Interval   int     `json:"interval,omitempty" doc:"Every interval weeks (1-52) or months (1-12); default 1"`
	Until      string  `json:"until,omitempty" doc:"Last day it may happen, YYYY-MM-DD"`
	UserIDs    []int64 `json:"user_ids,omitempty" doc:"Staff attending"`
	ContactIDs []int64 `json:"contact_ids,omitempty" doc:"Contacts attending"`
}

type createEventInput struct {
	Body EventBody
}

type eventOutput struct {
	Location string `header:"Location"`
	Body     Event
}

func (x *API) createEvent(ctx context.Context, in *createEventInput) (*eventOutput, error) {
	b := in.Body
	zone := b.TimeZone
	if zone == "" {
		zone = userFrom(ctx).Location().String()
	}
	id, err := x.Activity.CreateEvent(ctx, viewer(ctx), activity.EventInput{Title: b.Title, Location: b.Location, Notes: b.Notes,
		TimeZone: zone, AllDay: b.AllDay, Start: b.Start, End: b.End, Recur: b.Recur, Interval: b.Interval, Until: b.Until,
		Users: b.UserIDs, Contacts: b.ContactIDs})
	if err != nil {
		return nil, x.eventProblem(ctx, err)
	}
	out, err := x.getEvent(ctx, &idInput{ID: id})
	if err != nil {
		return nil, err
	}
	out.Location = Prefix + "/events/" + itoa(id)
	return out, nil
}

// eventProblem names the body's members in field errors.
func (x *API) eventProblem(ctx context.Context, err error) error {
	if fields := errs.FieldsOf(err); len(fields) > 0 {
		renamed := map[string]string{}
		for k, m := range fields {
			switch k {
			case "users":
				k = "user_ids"
			case "contacts":
				k = "contact_ids"
			}
			renamed[k] = m
		}
		err = errs.FieldErrors(renamed)
	}
	return x.problem(ctx, err)
}

func (x *API) getEvent(ctx context.Context, in *idInput) (*eventOutput, error) {
	e, err := x.Activity.Event(ctx, viewer(ctx), in.ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	return &eventOutput{Body: eventOut(e)}, nil
}

type updateEventInput struct {
	ID   int64 `path:"id"`
	Body struct {
		Version    int      `json:"version" minimum:"1" doc:"The version your change is based on"`
		Title      *string  `json:"title,omitempty" maxLength:"200"`
		Location   *string  `json:"location,omitempty" maxLength:"500"`
		Notes      *string  `json:"notes,omitempty"`
		TimeZone   *string  `json:"time_zone,omitempty"`
		AllDay     *bool    `json:"all_day,omitempty"`
		Start      *string  `json:"start,omitempty"`
		End        *string  `json:"end,omitempty"`
		Recur      *string  `json:"recur,omitempty" enum:",weekly,monthly"`
		Interval   *int     `json:"interval,omitempty"`
		Until      *string  `json:"until,omitempty"`
		UserIDs    *[]int64 `json:"user_ids,omitempty"`
		ContactIDs *[]int64 `json:"contact_ids,omitempty"`
	}
}

func (x *API) updateEvent(ctx context.Context, in *updateEventInput) (*eventOutput, error) {
	v := viewer(ctx)
	e, err := x.Activity.Event(ctx, v, in.ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	cur := eventOut(e)
	ev := activity.EventInput{Title: e.Title, Location: e.Location, Notes: e.Notes, TimeZone: e.TimeZone, AllDay: e.AllDay,
		Start: cur.Start, End: cur.End, Recur: e.Recur, Interval: e.Interval, Until: e.Until, Users: e.UserIDs()}
	for _, c := range e.Contacts {
		ev.Contacts = append(ev.Contacts, c.ID)
	}
	b := in.Body
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&ev.Title, b.Title)
	set(&ev.Location, b.Location)
	set(&ev.Notes, b.Notes)
	set(&ev.TimeZone, b.TimeZone)
	set(&ev.Start, b.Start)
	set(&ev.End, b.End)
	set(&ev.Recur, b.Recur)
	set(&ev.Until, b.Until)
	if b.AllDay != nil && *b.AllDay != ev.AllDay {
		ev.AllDay = *b.AllDay
		if b.Start == nil || b.End == nil {
			return nil, x.eventProblem(ctx, errs.FieldErrors(map[string]string{"start": "send start and end with all_day: one is dates, the other times"}))
		}
	}
	if b.Interval != nil {
		ev.Interval = *b.Interval
	}
	if b.UserIDs != nil {
		ev.Users = *b.UserIDs
	}
	if b.ContactIDs != nil {
		ev.Contacts = *b.ContactIDs
	}
	if err := x.Activity.UpdateEvent(ctx, v, in.ID, b.Version, ev); err != nil {
		return nil, x.eventProblem(ctx, err)
	}
	return x.getEvent(ctx, &idInput{ID: in.ID})
}

func (x *API) deleteEvent(ctx context.Context, in *idInput) (*struct{}, error) {
	if err := x.Activity.DeleteEvent(ctx, viewer(ctx), in.ID); err != nil {
		return nil, x.problem(ctx, err)
	}
	return nil, nil
}

type eventListOutput struct {
	Body struct {
		Items      []Event `json:"items"`
		NextCursor string  `json:"next_cursor" doc:"Always empty: up to 200 events on one page"`
	}
}

func (x *API) listContactEvents(ctx context.Context, in *contactIDInput) (*eventListOutput, error) {
	es, err := x.Activity.ContactEvents(ctx, viewer(ctx), in.ID, 200)
	if err != nil {
		return nil, x.readProblem(ctx, err, "/events")
	}
	out := &eventListOutput{}
	out.Body.Items = make([]Event, 0, len(es))
	for i := range es {
		out.Body.Items = append(out.Body.Items, eventOut(&es[i]))
	}
	return out, nil
}

type calendarFeedOutput struct {
	Body struct {
		Enabled bool   `json:"enabled"`
		URL     string `json:"url" doc:"Secret: anyone with it reads your calendar. Empty when the feed is off."`
	}
}

func (x *API) calendarFeed(ctx context.Context, _ *struct{}) (*calendarFeedOutput, error) {
	tok, err := x.Activity.FeedToken(ctx, userFrom(ctx).ID)
	if err != nil {
		return nil, x.problem(ctx, err)
	}
	out := &calendarFeedOutput{}
	if tok != "" {
		out.Body.Enabled = true
		out.Body.URL = strings.TrimRight(x.Cfg.BaseURL, "/") + "/calendar/feed/" + tok + ".ics"
	}
	return out, nil
}
