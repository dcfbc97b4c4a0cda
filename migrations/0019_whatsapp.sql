-- WhatsApp through Twilio (issue 17): the channel 'whatsapp' joins the
-- channels a contact, conversation, message or tip may carry. Each table's
-- channel check is replaced whatever its name, keeping 'webchat' (0020,
-- issue 17) allowed so that the two channels' migrations land in either
-- order.
DO $$
DECLARE
    t text;
    c record;
BEGIN
    FOREACH t IN ARRAY ARRAY['contacts', 'conversations', 'messages', 'tips'] LOOP
        FOR c IN SELECT conname FROM pg_constraint
                 WHERE conrelid = t::regclass AND contype = 'c'
                   AND pg_get_constraintdef(oid) LIKE '%channel%'
        LOOP
            EXECUTE format('ALTER TABLE %I DROP CONSTRAINT %I', t, c.conname);
        END LOOP;
        EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK (channel IN (%L, %L, %L, %L, %L))',
            t, t || '_channel_check', 'telegram', 'sms', 'sim', 'whatsapp', 'webchat');
    END LOOP;
END $$;

-- Twilio keeps the body of every WhatsApp message as it does an SMS's:
-- the same redaction (0006) covers both channels.
DROP INDEX IF EXISTS messages_unredacted_idx;
CREATE INDEX messages_unredacted_idx ON messages (created_at, id)
    WHERE channel IN ('sms', 'whatsapp') AND redacted_at IS NULL AND redact_attempts = 0 AND kind <> 'page';

CREATE OR REPLACE FUNCTION messages_queue_redaction() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO provider_redactions (sid, channel, next_at)
    SELECT DISTINCT ON (coalesce(g.provider_message_id, g.provider_id))
           coalesce(g.provider_message_id, g.provider_id), g.channel, now() + interval '15 minutes'
    FROM gone g
    WHERE g.channel IN ('sms', 'whatsapp') AND g.kind <> 'page' AND g.redacted_at IS NULL
      AND coalesce(g.provider_message_id, g.provider_id) IS NOT NULL
    ON CONFLICT (sid) DO NOTHING;
    RETURN NULL;
END;
$$;
