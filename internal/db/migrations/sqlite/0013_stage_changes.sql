-- Each change of a contact's onboarding stage, shown on its timeline.
CREATE TABLE stage_changes (
	id INTEGER PRIMARY KEY,
	contact_id INTEGER NOT NULL REFERENCES contacts(id),
	from_stage TEXT NOT NULL,
	to_stage TEXT NOT NULL,
	-- the staff user who changed it; empty for imports run by the system, the portal and Folio itself
	actor_id INTEGER REFERENCES users(id),
	-- how it changed: ui, api, import, portal, system
	channel TEXT NOT NULL,
	at TIMESTAMP NOT NULL
);
CREATE INDEX stage_changes_contact ON stage_changes(contact_id);
