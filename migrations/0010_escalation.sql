-- The consent and escalation record of a youth conversation: which risk
-- categories the youth disclosed (codes, never message text), which
-- duty-to-report exception staff invoked and why, who was told and when,
-- and that the youth was told. Append-only; it goes with its conversation
-- (DELETE, retention) unless staff placed a legal hold on the record.

ALTER TABLE conversations ADD COLUMN escalation_hold boolean NOT NULL DEFAULT false;

CREATE TABLE escalation_entries (
    id               bigserial PRIMARY KEY,
    conversation_id  bigint REFERENCES conversations (id) ON DELETE SET NULL,
    conversation_pid text NOT NULL,
    kind             text NOT NULL CHECK (kind IN ('exception', 'told', 'youth_told', 'hold', 'unhold')),
    categories       text[] NOT NULL DEFAULT '{}',
    exception        text NOT NULL DEFAULT '' CHECK (exception IN ('', 'imminent_harm', 'child_abuse')),
    reason           text NOT NULL DEFAULT '',
    told_whom        text NOT NULL DEFAULT '',
    told_at          timestamptz,
    staff_id         bigint REFERENCES staff (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX escalation_entries_conversation_idx ON escalation_entries (conversation_id, id);

-- Append-only: the application may only insert. The one change allowed is
-- the purge's own, made from a trigger (pg_trigger_depth() > 1): deleting
-- the entries of a conversation without a hold, or detaching those of a
-- held one.
CREATE FUNCTION escalation_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() > 1 THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'escalation_entries is append-only';
END $$;
CREATE TRIGGER escalation_entries_no_change BEFORE UPDATE OR DELETE ON escalation_entries
    FOR EACH ROW EXECUTE FUNCTION escalation_entries_append_only();

-- When a conversation goes, its record goes with it unless held; a held
-- record stays, detached (ON DELETE SET NULL), with no identifier in it.
CREATE FUNCTION conversations_purge_escalation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT OLD.escalation_hold THEN
        DELETE FROM escalation_entries WHERE conversation_id = OLD.id;
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER conversations_purge_escalation BEFORE DELETE ON conversations
    FOR EACH ROW EXECUTE FUNCTION conversations_purge_escalation();
