-- BCC logging: each staff user's personal BCC address. The address holds a
-- secret token; it is stored sealed (to show it again) with a keyed hash
-- (to find the user from an incoming RCPT TO without decrypting). Resetting
-- replaces the row, so the old token is unknown from then on.
CREATE TABLE inbound_addresses (
	user_id INTEGER PRIMARY KEY REFERENCES users(id),
	token_sealed TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	created_at TIMESTAMP NOT NULL
);

-- One received message per Message-ID per BCC owner: the same mail
-- delivered twice (a retry, a second BCC copy) is kept once.
CREATE UNIQUE INDEX emails_inbound_message ON emails(user_id, message_id) WHERE direction = 'in' AND message_id <> '';
-- The unfiled list of one user, newest first.
CREATE INDEX emails_inbound_user ON emails(user_id, filed, id) WHERE direction = 'in';
