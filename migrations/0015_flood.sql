-- Nothing per instance that should be shared (issue 15 item 7).
--
-- The per-sender flood guard (package flood, store/flood.go): one token
-- bucket per conversation (one conversation per contact), read and written
-- in the turn's transaction under the conversation's row lock, so that N
-- instances allow the limit once. A turn that finds the bucket full (the
-- previous message older than its refill time) writes nothing, so a sender
-- who never floods has no row; a row goes with its conversation.
CREATE TABLE flood_buckets (
    conversation_id bigint PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    tokens          double precision NOT NULL,
    at              timestamptz NOT NULL,
    told            boolean NOT NULL DEFAULT false   -- told once, in this flood, that replies pause
);

-- Directory changes reach every instance at once (store/directory_watch.go):
-- every statement that changes resources adds one to a counter and
-- notifies channel tipline_directory with the new value when it commits.
-- Instances LISTEN, and also compare the counter now and then (a lost
-- connection, a missed notification). A counter read under MVCC moves only
-- when the change is visible, and clocks play no part, so no edit is ever
-- skipped for being stamped earlier than another.
CREATE TABLE directory_version (
    one     boolean PRIMARY KEY DEFAULT true CHECK (one),
    version bigint NOT NULL
);
INSERT INTO directory_version (version) VALUES (1);

CREATE FUNCTION directory_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    v bigint;
BEGIN
    UPDATE directory_version SET version = version + 1 RETURNING version INTO v;
    PERFORM pg_notify('tipline_directory', v::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER resources_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON resources
    FOR EACH STATEMENT EXECUTE FUNCTION directory_changed();
