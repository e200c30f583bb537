-- Imports of contacts from files: the job (a row claimed by one worker at a
-- time), the uploaded file in chunks (so any instance sharing the database
-- can run it), the rows it rejected, and the column mappings remembered per
-- set of headers. Each contact remembers the last import that created or
-- changed it.
CREATE TABLE imports (
	id INTEGER PRIMARY KEY,
	created_by INTEGER NOT NULL REFERENCES users(id),
	file_name TEXT NOT NULL,
	file_size INTEGER NOT NULL,
	format TEXT NOT NULL DEFAULT '',
	options TEXT NOT NULL DEFAULT '{}',
	header TEXT NOT NULL DEFAULT '[]',
	mapping TEXT NOT NULL DEFAULT '[]',
	match_key TEXT NOT NULL DEFAULT 'email' CHECK (match_key IN ('email', 'external_id', 'tax_id', 'none')),
	dry_run BOOLEAN NOT NULL DEFAULT FALSE,
	status TEXT NOT NULL CHECK (status IN ('uploaded', 'queued', 'running', 'done', 'failed', 'cancelled')),
	cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
	rows_done INTEGER NOT NULL DEFAULT 0,
	rows_total INTEGER NOT NULL DEFAULT 0,
	progress_done INTEGER NOT NULL DEFAULT 0,
	progress_total INTEGER NOT NULL DEFAULT 0,
	created INTEGER NOT NULL DEFAULT 0,
	updated INTEGER NOT NULL DEFAULT 0,
	unchanged INTEGER NOT NULL DEFAULT 0,
	rejected INTEGER NOT NULL DEFAULT 0,
	error TEXT NOT NULL DEFAULT '',
	claimed_by TEXT NOT NULL DEFAULT '',
	claimed_until TIMESTAMP,
	created_at TIMESTAMP NOT NULL,
	started_at TIMESTAMP,
	finished_at TIMESTAMP
);
CREATE INDEX imports_status ON imports(status, id);

CREATE TABLE import_chunks (
	import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (import_id, seq)
);

-- row is the original row as a JSON array, sealed (encrypted) when the
-- mapping has a sensitive column.
CREATE TABLE import_errors (
	import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
	line INTEGER NOT NULL,
	reason TEXT NOT NULL,
	row TEXT NOT NULL,
	sealed BOOLEAN NOT NULL DEFAULT FALSE,
	PRIMARY KEY (import_id, line)
);

-- What each update by an import changed (sensitive values masked).
CREATE TABLE import_updates (
	import_id INTEGER NOT NULL REFERENCES imports(id) ON DELETE CASCADE,
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	changes TEXT NOT NULL,
	PRIMARY KEY (import_id, contact_id)
);
CREATE INDEX import_updates_contact ON import_updates(contact_id);

CREATE TABLE import_mappings (
	header_key TEXT PRIMARY KEY,
	mapping TEXT NOT NULL,
	match_key TEXT NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

ALTER TABLE contacts ADD COLUMN import_id INTEGER REFERENCES imports(id);
CREATE INDEX contacts_import ON contacts(import_id) WHERE import_id IS NOT NULL;
