-- The search terms lose their primary key for a plain index, so a bulk load
-- into an empty book can drop it and build it once at the end (a sorted
-- build) instead of inserting each term at a random place in it. Terms are
-- unique per contact by construction (contact.Terms), so the index need not
-- be unique.
ALTER TABLE contact_terms DROP CONSTRAINT contact_terms_pkey;
CREATE INDEX contact_terms_term ON contact_terms(term, contact_id);

-- Which table each deferred index or key belongs to, so the end of a load
-- can vacuum and analyse just those tables.
ALTER TABLE deferred_indexes ADD COLUMN table_name TEXT NOT NULL DEFAULT '';
