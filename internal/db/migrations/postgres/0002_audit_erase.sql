-- Erasure (GDPR) of a contact masks the values its activity rows hold while
-- the chain still verifies: each row's hash covers changes_hash, a SHA-256 of
-- its changes; erased_at marks rows whose changes were masked afterwards.
-- Rows written before this migration have an empty changes_hash and are
-- hashed over their changes directly, as before; they cannot be erased.
ALTER TABLE audit_log ADD COLUMN changes_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN erased_at TIMESTAMPTZ;
-- The one update allowed: masking the changes of a not yet erased row, every
-- other column unchanged.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL AND OLD.changes_hash <> ''
		AND (NEW.id, NEW.at, NEW.actor_type, NEW.actor_id, NEW.actor_name, NEW.channel, NEW.ip, NEW.entity,
			NEW.entity_id, NEW.action, NEW.prev_hash, NEW.hash, NEW.changes_hash)
		IS NOT DISTINCT FROM (OLD.id, OLD.at, OLD.actor_type, OLD.actor_id, OLD.actor_name, OLD.channel, OLD.ip,
			OLD.entity, OLD.entity_id, OLD.action, OLD.prev_hash, OLD.hash, OLD.changes_hash) THEN
		RETURN NEW;
	END IF;
	RAISE EXCEPTION 'the activity log is append-only';
END;
$$;
