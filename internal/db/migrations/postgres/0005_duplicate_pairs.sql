-- The whole book's likely duplicate pairs, found by a background scan
-- (contact.ScanDuplicates) and read by the duplicates page a page at a time.
-- reasons is one line per reason; strength orders the page: 1 a shared email,
-- ID number, IBAN or phone (with a similar name), 2 a similar name and the
-- same date of birth, 3 a similar name in the same city. The scan replaces
-- every row; pairs whose contacts were deleted, merged or dismissed since
-- are filtered when read.
CREATE TABLE duplicate_pairs (
	a_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	b_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
	reasons TEXT NOT NULL,
	strength INTEGER NOT NULL CHECK (strength BETWEEN 1 AND 3),
	PRIMARY KEY (b_id, a_id),
	CHECK (a_id < b_id)
);
CREATE INDEX duplicate_pairs_a ON duplicate_pairs(a_id);
CREATE INDEX duplicate_pairs_page ON duplicate_pairs(strength, b_id DESC, a_id DESC);

-- The scan groups by these keys; with the contact id in each index it reads
-- no table rows to find the groups.
DROP INDEX contact_emails_key;
CREATE INDEX contact_emails_key ON contact_emails(address_key, contact_id);
DROP INDEX contact_phones_number;
CREATE INDEX contact_phones_number ON contact_phones(number, contact_id);
DROP INDEX contact_identifiers_hash;
CREATE INDEX contact_identifiers_hash ON contact_identifiers(number_hash, contact_id);
CREATE INDEX contact_bank_accounts_iban ON contact_bank_accounts(iban_hash, contact_id) WHERE iban_hash <> '';
