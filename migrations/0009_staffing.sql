-- Staff on shift, the queue of chats waiting for a person, and claim
-- timeouts (docs/design.md section 9: STAFF_HOURS, CLAIM_IDLE,
-- HIGH_RISK_REPAGE). Everything lives here so that every instance agrees.

-- A staff member on shift, and the languages they answer in. A row exists
-- only while on shift; going off shift deletes it (the audit log keeps the
-- history).
CREATE TABLE staff_shifts (
    staff_id   bigint PRIMARY KEY REFERENCES staff (id) ON DELETE CASCADE,
    langs      text[] NOT NULL DEFAULT '{en,es,fr}',
    started_at timestamptz NOT NULL DEFAULT now()
);

-- waiting_since: the conversation waits for a person since then (NULL: it
-- does not). A risk flag sets it when the chat is not claimed; a claim or a
-- release clears it; an idle claim returning to the queue sets it again.
-- staff_active_at: the claimer's last action (claim, message, view); a
-- claim idle longer than CLAIM_IDLE returns to the queue.
-- repaged_at: the re-page of a chat left waiting unclaimed, once per wait.
ALTER TABLE conversations
    ADD COLUMN waiting_since   timestamptz,
    ADD COLUMN staff_active_at timestamptz,
    ADD COLUMN repaged_at      timestamptz;

CREATE INDEX conversations_waiting_idx ON conversations (waiting_since) WHERE waiting_since IS NOT NULL;
CREATE INDEX conversations_claimed_idx ON conversations (claimed_at) WHERE claimed_by IS NOT NULL;

-- A new risk flag on a chat nobody holds starts its wait (the turn sets
-- flagged_at; it need not know about the queue). An earlier wait is kept.
CREATE FUNCTION conversations_start_wait() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.claimed_by IS NULL AND NEW.waiting_since IS NULL THEN
        NEW.waiting_since := NEW.flagged_at;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER conversations_flag_update_waits BEFORE UPDATE OF flagged_at ON conversations
    FOR EACH ROW WHEN (NEW.high_risk AND NEW.flagged_at IS DISTINCT FROM OLD.flagged_at)
    EXECUTE FUNCTION conversations_start_wait();
CREATE TRIGGER conversations_flag_insert_waits BEFORE INSERT ON conversations
    FOR EACH ROW WHEN (NEW.high_risk AND NEW.flagged_at IS NOT NULL)
    EXECUTE FUNCTION conversations_start_wait();

-- Flagged chats nobody holds and nobody released wait from their flag.
UPDATE conversations v SET waiting_since = v.flagged_at
 WHERE v.high_risk AND v.claimed_by IS NULL AND v.flagged_at IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.action = 'chat.release'
                   AND a.object_type = 'conversation' AND a.object_id = v.public_id);
