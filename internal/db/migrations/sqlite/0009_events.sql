-- Calendar events: a meeting or call with a start and an end in an IANA
-- time zone (all-day events hold whole dates: start at midnight of the
-- first day, end at midnight after the last, in that zone), optionally
-- repeating every week or month until an optional last date. start_at and
-- end_at are the first occurrence's instants in UTC; a repeating event is
-- expanded from its zone's wall clock, so it keeps its local time across
-- daylight-saving changes.
CREATE TABLE events (
	id INTEGER PRIMARY KEY,
	title TEXT NOT NULL,
	location TEXT NOT NULL DEFAULT '',
	notes TEXT NOT NULL DEFAULT '',
	start_at TIMESTAMP NOT NULL,
	end_at TIMESTAMP NOT NULL,
	all_day BOOLEAN NOT NULL DEFAULT FALSE,
	time_zone TEXT NOT NULL,
	recur TEXT NOT NULL DEFAULT '' CHECK (recur IN ('', 'weekly', 'monthly')),
	recur_interval INTEGER NOT NULL DEFAULT 1 CHECK (recur_interval BETWEEN 1 AND 52),
	recur_until TEXT NOT NULL DEFAULT '', -- YYYY-MM-DD in the event's zone, '' for no end
	organizer_id INTEGER REFERENCES users(id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	CHECK (end_at > start_at)
);
CREATE INDEX events_organizer ON events(organizer_id, start_at);

-- Who attends: staff users and contacts, one row each.
CREATE TABLE event_attendees (
	event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
	user_id INTEGER REFERENCES users(id),
	contact_id INTEGER REFERENCES contacts(id),
	CHECK ((user_id IS NULL) <> (contact_id IS NULL))
);
CREATE UNIQUE INDEX event_attendees_user ON event_attendees(event_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX event_attendees_contact ON event_attendees(event_id, contact_id) WHERE contact_id IS NOT NULL;
CREATE INDEX event_attendees_by_user ON event_attendees(user_id) WHERE user_id IS NOT NULL;
CREATE INDEX event_attendees_by_contact ON event_attendees(contact_id) WHERE contact_id IS NOT NULL;

-- Each user's iCalendar feed: the secret of its URL, sealed so the URL can
-- be shown again, and a keyed hash of it to find the user by URL. No row:
-- the feed is off.
CREATE TABLE calendar_feeds (
	user_id INTEGER PRIMARY KEY REFERENCES users(id),
	token_sealed TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at TIMESTAMP NOT NULL
);
