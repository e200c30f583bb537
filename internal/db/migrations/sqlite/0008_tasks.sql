-- Tasks: something a staff member must do, optionally about a contact, due
-- at a moment (or on a day, when due_has_time is false), done or not. A
-- task about a contact is on that contact's timeline. reminded_at records
-- that the assignee was emailed when the task fell due, so each instance of
-- Folio sends the reminder once.
-- A task due on a day without a time (due_has_time false) keeps that day
-- as midnight UTC in due_at: a calendar date, the same in every time zone;
-- it falls due at 09:00 in the assignee's time zone that day.
CREATE TABLE tasks (
	id INTEGER PRIMARY KEY,
	contact_id INTEGER REFERENCES contacts(id),
	title TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	due_at TIMESTAMP,
	due_has_time BOOLEAN NOT NULL DEFAULT FALSE,
	assignee_id INTEGER NOT NULL REFERENCES users(id),
	priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
	done_at TIMESTAMP,
	done_by INTEGER REFERENCES users(id),
	reminded_at TIMESTAMP,
	created_by INTEGER REFERENCES users(id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX tasks_assignee ON tasks(assignee_id, done_at, due_at);
CREATE INDEX tasks_contact ON tasks(contact_id);
CREATE INDEX tasks_reminder ON tasks(due_at) WHERE done_at IS NULL AND reminded_at IS NULL;

-- Each user's time zone: what "today" and "overdue" mean for their tasks,
-- and the zone their calendar is shown in.
ALTER TABLE users ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
