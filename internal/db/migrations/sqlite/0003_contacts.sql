-- Contacts: persons and entities, their emails, phones, addresses,
-- identifiers (encrypted), bank accounts (encrypted), documents, tags,
-- groups, segments, relationships, saved views, edit leases and the search
-- index.
CREATE TABLE contact_categories (
	id INTEGER PRIMARY KEY,
	key TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL UNIQUE,
	position INTEGER NOT NULL DEFAULT 0
);
INSERT INTO contact_categories (id, key, name, position) VALUES
	(1, 'client', 'Client', 1),
	(2, 'prospect', 'Prospect', 2),
	(3, 'former_client', 'Former client', 3),
	(4, 'personal', 'Personal', 4),
	(5, 'professional', 'Professional', 5),
	(6, 'other', 'Other', 6);

CREATE TABLE contacts (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('person', 'household', 'company', 'trust', 'joint', 'retirement', 'fund')),
	prefix TEXT NOT NULL DEFAULT '',
	first_name TEXT NOT NULL DEFAULT '',
	middle_name TEXT NOT NULL DEFAULT '',
	last_name TEXT NOT NULL DEFAULT '',
	suffix TEXT NOT NULL DEFAULT '',
	nickname TEXT NOT NULL DEFAULT '',
	entity_name TEXT NOT NULL DEFAULT '',
	display_name TEXT NOT NULL,
	sort_name TEXT NOT NULL,
	-- A joint account names exactly two distinct persons.
	joint_a_id INTEGER REFERENCES contacts(id),
	joint_b_id INTEGER REFERENCES contacts(id),
	category_id INTEGER NOT NULL REFERENCES contact_categories(id),
	stage TEXT NOT NULL DEFAULT 'not_invited',
	owner_id INTEGER NOT NULL REFERENCES users(id),
	external_id TEXT NOT NULL DEFAULT '',
	language TEXT NOT NULL DEFAULT '',
	time_zone TEXT NOT NULL DEFAULT '',
	birth_date TEXT NOT NULL DEFAULT '',
	citizenship TEXT NOT NULL DEFAULT '',
	employment TEXT NOT NULL DEFAULT '',
	employer TEXT NOT NULL DEFAULT '',
	occupation TEXT NOT NULL DEFAULT '',
	income_source TEXT NOT NULL DEFAULT '',
	annual_income TEXT NOT NULL DEFAULT '',
	net_worth TEXT NOT NULL DEFAULT '',
	tax_residency TEXT NOT NULL DEFAULT '',
	markets_traded TEXT NOT NULL DEFAULT '',
	experience_years TEXT NOT NULL DEFAULT '',
	trades_per_year TEXT NOT NULL DEFAULT '',
	qualification TEXT NOT NULL DEFAULT '',
	risk_tolerance TEXT NOT NULL DEFAULT '',
	investment_objective TEXT NOT NULL DEFAULT '',
	time_horizon TEXT NOT NULL DEFAULT '',
	linkedin TEXT NOT NULL DEFAULT '',
	x_url TEXT NOT NULL DEFAULT '',
	facebook TEXT NOT NULL DEFAULT '',
	website TEXT NOT NULL DEFAULT '',
	invested_minor BIGINT NOT NULL DEFAULT 0,
	currency TEXT NOT NULL DEFAULT 'USD',
	-- Denormalised for the list: kept in step by the contact store.
	primary_email TEXT NOT NULL DEFAULT '',
	primary_phone TEXT NOT NULL DEFAULT '',
	city TEXT NOT NULL DEFAULT '',
	tags_text TEXT NOT NULL DEFAULT '',
	completeness INTEGER NOT NULL DEFAULT 0,
	last_activity_at TIMESTAMP NOT NULL,
	last_emailed_at TIMESTAMP,
	version INTEGER NOT NULL DEFAULT 1,
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL,
	deleted_at TIMESTAMP,
	erased_at TIMESTAMP,
	merged_into_id INTEGER REFERENCES contacts(id),
	CHECK (kind <> 'joint' OR (joint_a_id IS NOT NULL AND joint_b_id IS NOT NULL AND joint_a_id <> joint_b_id)),
	CHECK (kind = 'joint' OR (joint_a_id IS NULL AND joint_b_id IS NULL))
);
-- One index per sortable column of the home list, live contacts only; the
-- id breaks ties and makes keyset pagination exact.
-- The name order also carries the columns advanced search filters on, so
-- a search checks them in the index without reading each contact.
CREATE INDEX contacts_by_name ON contacts(sort_name, id, category_id, owner_id, stage, kind, city, birth_date, completeness, risk_tolerance, annual_income, net_worth, employment, investment_objective, time_horizon, citizenship, tax_residency, invested_minor) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_category ON contacts(category_id, sort_name, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_category_id ON contacts(category_id, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_owner_id ON contacts(owner_id, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_stage ON contacts(stage, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_owner ON contacts(owner_id, sort_name, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_email ON contacts(primary_email, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_phone ON contacts(primary_phone, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_completeness ON contacts(completeness, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_tags ON contacts(tags_text, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_city ON contacts(city, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_activity ON contacts(last_activity_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_by_created ON contacts(created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX contacts_trash ON contacts(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX contacts_external_id ON contacts(external_id) WHERE external_id <> '';
CREATE INDEX contacts_joint_a ON contacts(joint_a_id) WHERE joint_a_id IS NOT NULL;
CREATE INDEX contacts_joint_b ON contacts(joint_b_id) WHERE joint_b_id IS NOT NULL;
CREATE INDEX contacts_birth ON contacts(birth_date, id) WHERE birth_date <> '';

CREATE TABLE contact_emails (
	id INTEGER PRIMARY KEY,
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	label TEXT NOT NULL DEFAULT '',
	address TEXT NOT NULL,
	address_key TEXT NOT NULL,
	is_primary BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX contact_emails_contact ON contact_emails(contact_id);
CREATE INDEX contact_emails_key ON contact_emails(address_key);

CREATE TABLE contact_phones (
	id INTEGER PRIMARY KEY,
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	label TEXT NOT NULL DEFAULT '',
	number TEXT NOT NULL,
	is_primary BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX contact_phones_contact ON contact_phones(contact_id);
CREATE INDEX contact_phones_number ON contact_phones(number);

CREATE TABLE contact_addresses (
	id INTEGER PRIMARY KEY,
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	label TEXT NOT NULL DEFAULT '',
	line1 TEXT NOT NULL DEFAULT '',
	line2 TEXT NOT NULL DEFAULT '',
	city TEXT NOT NULL DEFAULT '',
	region TEXT NOT NULL DEFAULT '',
	postal_code TEXT NOT NULL DEFAULT '',
	country TEXT NOT NULL DEFAULT '',
	is_primary BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX contact_addresses_contact ON contact_addresses(contact_id);

-- Tax IDs, national ID numbers, passports: the number is sealed with
-- AES-256-GCM; number_hash is a keyed hash of the normalised number for
-- duplicate matching; last4 is what everyone may see.
CREATE TABLE contact_identifiers (
	id INTEGER PRIMARY KEY,
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('tax_id', 'national_id', 'passport', 'drivers_licence', 'other')),
	country TEXT NOT NULL DEFAULT '',
	number_sealed TEXT NOT NULL,
	number_hash TEXT NOT NULL,
	last4 TEXT NOT NULL,
	expires_on TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contact_identifiers_contact ON contact_identifiers(contact_id);
CREATE INDEX contact_identifiers_hash ON contact_identifiers(number_hash);

CREATE TABLE contact_bank_accounts (
	id INTEGER PRIMARY KEY,
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	bank_name TEXT NOT NULL DEFAULT '',
	holder TEXT NOT NULL DEFAULT '',
	iban_sealed TEXT NOT NULL DEFAULT '',
	iban_hash TEXT NOT NULL DEFAULT '',
	iban_last4 TEXT NOT NULL DEFAULT '',
	account_sealed TEXT NOT NULL DEFAULT '',
	account_hash TEXT NOT NULL DEFAULT '',
	account_last4 TEXT NOT NULL DEFAULT '',
	routing_number TEXT NOT NULL DEFAULT '',
	bic TEXT NOT NULL DEFAULT '',
	currency TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contact_bank_accounts_contact ON contact_bank_accounts(contact_id);

CREATE TABLE contact_documents (
	id INTEGER PRIMARY KEY,
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	kind TEXT NOT NULL CHECK (kind IN ('passport', 'national_id', 'proof_of_address', 'other')),
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL,
	size BIGINT NOT NULL,
	sha256 TEXT NOT NULL,
	content BLOB NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
	reviewer_id INTEGER REFERENCES users(id),
	reviewed_at TIMESTAMP,
	reason TEXT NOT NULL DEFAULT '',
	expires_on TEXT NOT NULL DEFAULT '',
	uploaded_by TEXT NOT NULL DEFAULT '',
	created_at TIMESTAMP NOT NULL
);
CREATE INDEX contact_documents_contact ON contact_documents(contact_id);

CREATE TABLE tags (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE
);
CREATE TABLE contact_tags (
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,
	PRIMARY KEY (tag_id, contact_id)
);
CREATE INDEX contact_tags_contact ON contact_tags(contact_id);

CREATE TABLE contact_groups (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	description TEXT NOT NULL DEFAULT '',
	created_by INTEGER REFERENCES users(id),
	created_at TIMESTAMP NOT NULL
);
CREATE TABLE group_members (
	group_id INTEGER NOT NULL REFERENCES contact_groups(id) ON DELETE CASCADE,
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	added_at TIMESTAMP NOT NULL,
	PRIMARY KEY (group_id, contact_id)
);
CREATE INDEX group_members_contact ON group_members(contact_id);

CREATE TABLE segments (
	id INTEGER PRIMARY KEY,
	name TEXT NOT NULL UNIQUE,
	match TEXT NOT NULL CHECK (match IN ('all', 'any')),
	conditions TEXT NOT NULL,
	created_by INTEGER REFERENCES users(id),
	created_at TIMESTAMP NOT NULL,
	updated_at TIMESTAMP NOT NULL
);

-- Relationships between two contacts, read from either side: kind names the
-- relation from a to b ("spouse", "parent"), the reverse label from b to a.
-- Entity roles (owner, trustee, beneficiary, authorised signer, member) are
-- relationships whose a side is the entity.
CREATE TABLE relationships (
	id INTEGER PRIMARY KEY,
	a_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	b_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	kind TEXT NOT NULL,
	label TEXT NOT NULL,
	reverse_label TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	CHECK (a_id <> b_id)
);
CREATE UNIQUE INDEX relationships_pair ON relationships(a_id, b_id, kind);
CREATE INDEX relationships_b ON relationships(b_id);

CREATE TABLE saved_views (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	name TEXT NOT NULL,
	query TEXT NOT NULL,
	created_at TIMESTAMP NOT NULL,
	UNIQUE (user_id, name)
);

-- One editor at a time: a lease per contact, taken by Edit, renewed by a
-- heartbeat, ended by save, cancel or expiry.
CREATE TABLE contact_leases (
	contact_id INTEGER PRIMARY KEY REFERENCES contacts(id) ON DELETE CASCADE,
	user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
	user_name TEXT NOT NULL,
	since TIMESTAMP NOT NULL,
	expires_at TIMESTAMP NOT NULL
);

CREATE TABLE duplicate_dismissals (
	a_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	b_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	dismissed_by INTEGER REFERENCES users(id),
	dismissed_at TIMESTAMP NOT NULL,
	PRIMARY KEY (a_id, b_id),
	CHECK (a_id < b_id)
);

-- Search as you type: every folded word of a contact's names, emails,
-- phones and external id, scanned by prefix.
CREATE TABLE contact_terms (
	term TEXT NOT NULL,
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	PRIMARY KEY (term, contact_id)
)
 WITHOUT ROWID;
CREATE INDEX contact_terms_contact ON contact_terms(contact_id);

-- Secondary indexes a bulk load dropped to rebuild at its end; Folio
-- rebuilds any left here (a load that was interrupted) when it starts.
CREATE TABLE deferred_indexes (
	name TEXT PRIMARY KEY,
	sql TEXT NOT NULL
);
