-- The search terms are kept in contact order, with a separate index in term
-- order, so a bulk load into an empty book appends the terms (contact ids
-- only grow) and builds the term index once at the end, with a sort,
-- instead of inserting each term at a random place in a table keyed by the
-- term. Search reads only contact_terms_term (it covers the table);
-- rewriting one contact's terms reads the table by its key.
CREATE TABLE contact_terms_new (
	contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	term TEXT NOT NULL,
	PRIMARY KEY (contact_id, term)
) WITHOUT ROWID;
INSERT INTO contact_terms_new (contact_id, term) SELECT contact_id, term FROM contact_terms ORDER BY contact_id, term;
DROP TABLE contact_terms;
ALTER TABLE contact_terms_new RENAME TO contact_terms;
CREATE INDEX contact_terms_term ON contact_terms(term, contact_id);

-- Which table each deferred index or key belongs to, so the end of a load
-- can vacuum and analyse just those tables.
ALTER TABLE deferred_indexes ADD COLUMN table_name TEXT NOT NULL DEFAULT '';
