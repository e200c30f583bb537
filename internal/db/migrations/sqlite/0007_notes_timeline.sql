-- Notes on contacts (Markdown, rendered sanitised), and each contact's
-- timeline: one row per item shown on it (a note, a task, an event, an
-- email, a ticket, a stage change), written in the same transaction as the
-- item, so one index pages the whole timeline newest first, by kind too.
CREATE TABLE notes (
	id INTEGER PRIMARY KEY,
	contact_id INTEGER NOT NULL REFERENCES contacts(id),
	body TEXT NOT NULL,
	pinned BOOLEAN NOT NULL DEFAULT FALSE,
	author_id INTEGER REFERENCES users(id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX notes_contact ON notes(contact_id, pinned);

CREATE TABLE timeline (
	id INTEGER PRIMARY KEY,
	contact_id INTEGER NOT NULL REFERENCES contacts(id),
	at TIMESTAMP NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('note', 'task', 'event', 'email', 'ticket', 'stage')),
	ref_id INTEGER NOT NULL,
	actor_id INTEGER REFERENCES users(id),
	-- A pinned note shows above the timeline instead of in it.
	pinned BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX timeline_contact ON timeline(contact_id, at, id);
CREATE INDEX timeline_contact_kind ON timeline(contact_id, kind, at, id);
CREATE UNIQUE INDEX timeline_item ON timeline(kind, ref_id, contact_id);
