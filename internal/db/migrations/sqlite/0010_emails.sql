-- Emails on contacts' timelines: sent from Folio (one row per recipient,
-- delivered through mail_outbox) or received by the BCC listener (one row
-- per message, on the timeline of every contact it names; unfiled while it
-- names none). A portal message is an outgoing email flagged portal.
CREATE TABLE emails (
	id INTEGER PRIMARY KEY,
	direction TEXT NOT NULL CHECK (direction IN ('out', 'in')),
	-- out: the sender; in: whose BCC address received it.
	user_id INTEGER REFERENCES users(id),
	-- out: the recipient contact (in: see the timeline rows).
	contact_id INTEGER REFERENCES contacts(id),
	from_addr TEXT NOT NULL DEFAULT '',
	from_name TEXT NOT NULL DEFAULT '',
	to_addrs TEXT NOT NULL DEFAULT '',
	cc_addrs TEXT NOT NULL DEFAULT '',
	subject TEXT NOT NULL DEFAULT '',
	body_text TEXT NOT NULL DEFAULT '',
	-- in: the HTML part as received; sanitised whenever it is shown.
	body_html TEXT NOT NULL DEFAULT '',
	outbox_id INTEGER REFERENCES mail_outbox(id),
	template_id INTEGER,
	-- the bulk send it was part of, if any
	batch_id INTEGER,
	portal BOOLEAN NOT NULL DEFAULT FALSE,
	message_id TEXT NOT NULL DEFAULT '',
	-- in: whether it is on at least one contact's timeline
	filed BOOLEAN NOT NULL DEFAULT TRUE,
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX emails_contact ON emails(contact_id, created_at);
CREATE INDEX emails_unfiled ON emails(direction, filed, created_at);
CREATE INDEX emails_outbox ON emails(outbox_id);
CREATE INDEX emails_batch ON emails(batch_id);

CREATE TABLE email_attachments (
	id INTEGER PRIMARY KEY,
	email_id INTEGER NOT NULL REFERENCES emails(id) ON DELETE CASCADE,
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size INTEGER NOT NULL,
	data BLOB NOT NULL
);
CREATE INDEX email_attachments_email ON email_attachments(email_id);

CREATE TABLE email_templates (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	subject TEXT NOT NULL,
	body TEXT NOT NULL,
	created_by INTEGER REFERENCES users(id),
	version INTEGER NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

-- Who a message from Folio is from and where replies go.
ALTER TABLE mail_outbox ADD COLUMN from_name TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN reply_to TEXT NOT NULL DEFAULT '';
-- The sanitised HTML alternative of body_text (email out: rendered from
-- Markdown), and the Message-ID chosen when queued so that a retry sends
-- the same message and the emails row can name it.
ALTER TABLE mail_outbox ADD COLUMN body_html TEXT NOT NULL DEFAULT '';
ALTER TABLE mail_outbox ADD COLUMN message_id TEXT NOT NULL DEFAULT '';
