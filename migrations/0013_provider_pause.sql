-- Delivery that outlasts provider limits (docs/design.md, section 2).
--
-- provider_pauses: a provider account (a Twilio account, a Telegram bot)
-- that answered 429 (Retry-After, retry_after), 5xx or nothing is paused
-- for every message and every instance until `until`. After it, one send
-- at a time probes it (probe_until is that probe's lease); the probe's
-- success deletes the row, its failure pauses again. strikes counts the
-- failures in a row, for the backoff when the provider named no wait.
CREATE TABLE provider_pauses (
    channel     text NOT NULL,
    account     text NOT NULL DEFAULT '',
    until       timestamptz NOT NULL,
    probe_until timestamptz,
    strikes     int NOT NULL DEFAULT 1,
    code        text NOT NULL DEFAULT '',
    since       timestamptz NOT NULL,
    PRIMARY KEY (channel, account)
);

-- priority: 1 for a crisis reply, the bot's answer to a message the risk
-- screen read as danger; pages (kind 'page') rank with them. When a
-- provider pause ends they are claimed first, and a crisis reply that
-- misses its deadline flags the chat and pages staff.
ALTER TABLE messages ADD COLUMN priority smallint NOT NULL DEFAULT 0;

CREATE INDEX messages_outbox_urgent_idx ON messages (next_attempt_at, id)
    WHERE direction = 'out' AND status IN ('queued', 'claimed', 'sending') AND (priority > 0 OR kind = 'page');

-- A bot reply is a crisis reply when it is queued by the turn that
-- recorded danger on the conversation's latest inbound message: the
-- turn's risk record (store.QueueRisk) and its replies share the turn's
-- time. Two index lookups per bot reply, in the turn's own round trip.
CREATE FUNCTION messages_crisis_priority() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM message_risk r
               WHERE r.message_id = (SELECT max(i.id) FROM messages i
                                     WHERE i.conversation_id = NEW.conversation_id AND i.direction = 'in')
                 AND r.level = 'danger' AND r.created_at = NEW.created_at) THEN
        NEW.priority := 1;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER messages_crisis_priority BEFORE INSERT ON messages
    FOR EACH ROW WHEN (NEW.direction = 'out' AND NEW.kind = 'bot' AND NEW.conversation_id IS NOT NULL)
    EXECUTE FUNCTION messages_crisis_priority();
