-- Privacy (docs/privacy.md): which key made each contact's lookup hash,
-- so a key rotation knows what it could not re-hash; and the redaction of
-- provider copies (Twilio message bodies) after delivery and on erasure.

-- hash_key: the 4-byte id of the master key id_hash was computed under;
-- NULL when unknown. A sealed copy is always made together with the hash,
-- under the same key, so the trigger below takes the id from id_sealed
-- whenever a new sealed copy is written; the key rotation sets it itself.
ALTER TABLE contacts ADD COLUMN hash_key bytea;

UPDATE contacts SET hash_key = substring(id_sealed FROM 2 FOR 4) WHERE id_sealed IS NOT NULL;

CREATE FUNCTION contacts_hash_key() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.hash_key IS DISTINCT FROM OLD.hash_key THEN
        RETURN NEW; -- set by the statement (key rotation)
    END IF;
    IF NEW.id_sealed IS NOT NULL AND (TG_OP = 'INSERT' OR NEW.id_sealed IS DISTINCT FROM OLD.id_sealed) THEN
        NEW.hash_key := substring(NEW.id_sealed FROM 2 FOR 4);
    ELSIF TG_OP = 'UPDATE' AND NEW.id_hash IS DISTINCT FROM OLD.id_hash THEN
        NEW.hash_key := NULL; -- re-hashed by a turn: its new sealed copy follows
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER contacts_hash_key BEFORE INSERT OR UPDATE OF id_hash, id_sealed, hash_key ON contacts
    FOR EACH ROW EXECUTE FUNCTION contacts_hash_key();

-- Twilio keeps the body of every SMS. Bodies of youth (and not yet known)
-- conversations are redacted through the API once the message is final:
-- redacted_at records that it was done; redact_attempts counts failed
-- tries (after the first, the SID moves to provider_redactions, which
-- retries with backoff).
ALTER TABLE messages
    ADD COLUMN redacted_at     timestamptz,
    ADD COLUMN redact_attempts int NOT NULL DEFAULT 0;
CREATE INDEX messages_unredacted_idx ON messages (created_at, id)
    WHERE channel = 'sms' AND redacted_at IS NULL AND redact_attempts = 0 AND kind <> 'page';

-- SMS rows deleted before their provider copy was redacted (DELETE,
-- retention) leave their message SID here; the redaction job works
-- through it, so an erased conversation leaves no body at Twilio either.
CREATE TABLE provider_redactions (
    sid        text PRIMARY KEY,
    channel    text NOT NULL DEFAULT 'sms',
    attempts   int NOT NULL DEFAULT 0,
    next_at    timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX provider_redactions_next_idx ON provider_redactions (next_at);

CREATE FUNCTION messages_queue_redaction() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO provider_redactions (sid, next_at)
    SELECT DISTINCT coalesce(g.provider_message_id, g.provider_id), now() + interval '15 minutes'
    FROM gone g
    WHERE g.channel = 'sms' AND g.kind <> 'page' AND g.redacted_at IS NULL
      AND coalesce(g.provider_message_id, g.provider_id) IS NOT NULL
    ON CONFLICT (sid) DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER messages_queue_redaction AFTER DELETE ON messages
    REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION messages_queue_redaction();

-- Purges and erasures delete tips, conversations and messages in batches;
-- these indexes let the foreign keys that point at them (and the purge's
-- own lookups) find the referencing rows without scanning whole tables.
CREATE INDEX tips_conversation_idx ON tips (conversation_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX tip_notes_tip_idx ON tip_notes (tip_id);
CREATE INDEX pages_tip_idx ON pages (tip_id) WHERE tip_id IS NOT NULL;
CREATE INDEX pages_conversation_idx ON pages (conversation_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX tip_updates_message_idx ON tip_updates (message_id) WHERE message_id IS NOT NULL;
