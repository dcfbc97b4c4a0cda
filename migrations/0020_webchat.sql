-- Web chat (issue 17): the channel 'webchat' joins the channels a contact,
-- conversation, message or tip may carry. Each table's channel check is
-- replaced whatever its name, keeping 'whatsapp' (0019, issue 17) allowed
-- so that the two channels' migrations land in either order.
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
