-- Erasure (GDPR) of a contact masks the values its activity rows hold while
-- the chain still verifies: each row's hash covers changes_hash, a SHA-256 of
-- its changes; erased_at marks rows whose changes were masked afterwards.
-- Rows written before this migration have an empty changes_hash and are
-- hashed over their changes directly, as before; they cannot be erased.
ALTER TABLE audit_log ADD COLUMN changes_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN erased_at TIMESTAMP;
DROP TRIGGER audit_log_no_update;
-- The one update allowed: masking the changes of a not yet erased row, every
-- other column unchanged.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (
	OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL AND OLD.changes_hash <> ''
	AND NEW.id IS OLD.id AND NEW.at IS OLD.at AND NEW.actor_type IS OLD.actor_type AND NEW.actor_id IS OLD.actor_id
	AND NEW.actor_name IS OLD.actor_name AND NEW.channel IS OLD.channel AND NEW.ip IS OLD.ip
	AND NEW.entity IS OLD.entity AND NEW.entity_id IS OLD.entity_id AND NEW.action IS OLD.action
	AND NEW.prev_hash IS OLD.prev_hash AND NEW.hash IS OLD.hash AND NEW.changes_hash IS OLD.changes_hash
)
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
