-- Tickets about a contact: a title, a Markdown description, a priority, an
-- assignee (a staff user or none) and a status; closed_at is set when the
-- status becomes closed. Each ticket is on its contact's timeline (kind
-- ticket). search_text holds the folded title and description (norm.Fold),
-- title_key the folded title for sorting, comment_count the number of
-- comments, kept with each comment so the list sorts and shows it without
-- counting.
CREATE TABLE tickets (
	id INTEGER PRIMARY KEY,
	contact_id INTEGER NOT NULL REFERENCES contacts(id),
	title TEXT NOT NULL,
	title_key TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	search_text TEXT NOT NULL DEFAULT '',
	priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'on_hold', 'closed')),
	assignee_id INTEGER REFERENCES users(id),
	created_by INTEGER REFERENCES users(id),
	closed_at TIMESTAMP,
	comment_count INTEGER NOT NULL DEFAULT 0,
	version INTEGER NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX tickets_contact ON tickets(contact_id, created_at);
CREATE INDEX tickets_assignee ON tickets(assignee_id, status);
CREATE INDEX tickets_updated ON tickets(updated_at, id);

-- The comment timeline of a ticket, oldest first; search_text is the folded
-- body.
CREATE TABLE ticket_comments (
	id INTEGER PRIMARY KEY,
	ticket_id INTEGER NOT NULL REFERENCES tickets(id),
	body TEXT NOT NULL,
	search_text TEXT NOT NULL,
	author_id INTEGER REFERENCES users(id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
CREATE INDEX ticket_comments_ticket ON ticket_comments(ticket_id, id);
CREATE INDEX ticket_comments_created ON ticket_comments(created_at, id);

-- The columns each user chose for the ticket list, comma-separated.
CREATE TABLE ticket_list_columns (
	user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
	columns TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL
);
