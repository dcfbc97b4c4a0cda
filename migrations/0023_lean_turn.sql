-- A leaner turn (issue 19): fewer statements, row versions and index
-- entries per inbound message.
--
-- 1. A crisis reply's priority is set by the turn that queues it (the bot
--    knows its risk screen's outcome), not looked up again by a trigger
--    for every bot reply: the trigger cost two index lookups and a
--    PL/pgSQL call per reply.
DROP TRIGGER messages_crisis_priority ON messages;
DROP FUNCTION messages_crisis_priority();

-- 2. Only inbound rows carry a provider id, so only they need the unique
--    key that makes a retried webhook insert nothing; outbound rows (half
--    of all messages) no longer add an entry for their NULL.
ALTER TABLE messages DROP CONSTRAINT messages_channel_provider_id_key;
CREATE UNIQUE INDEX messages_provider_id_key ON messages (channel, provider_id) WHERE provider_id IS NOT NULL;

-- 3. The flood bucket (package flood) moves onto the conversation row the
--    turn already locks and updates: the turn's start reads it and the
--    conversation's update writes it, instead of a read, an upsert, a row
--    version and a foreign-key check in a table of its own.
ALTER TABLE conversations
    ADD COLUMN flood_tokens double precision,
    ADD COLUMN flood_at timestamptz,
    ADD COLUMN flood_told boolean NOT NULL DEFAULT false;
UPDATE conversations v SET flood_tokens = b.tokens, flood_at = b.at, flood_told = b.told
    FROM flood_buckets b WHERE b.conversation_id = v.id;
DROP TABLE flood_buckets;

-- 4. Every turn updates its conversation; room on the page keeps those
--    updates heap-only (no new index entries).
ALTER TABLE conversations SET (fillfactor = 80);

-- 5. The claim takes only the first pending reply of a conversation. Its
--    test for an earlier pending one read the conversation's whole history
--    through the conversation index (a heap fetch per message, so a long
--    chat made every claim slower); this index holds only pending replies,
--    so the test is one probe.
CREATE INDEX messages_pending_idx ON messages (conversation_id, id)
    WHERE direction = 'out' AND status IN ('queued', 'claimed', 'sending');
