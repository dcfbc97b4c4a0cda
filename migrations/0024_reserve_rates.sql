-- A send's rate-limit slot is booked by one function call instead of a
-- statement of three CTEs. PostgreSQL planned that statement afresh at
-- every call (its generic plan, estimated for an unnest of ten rows,
-- looked dearer than a plan for the actual one or two keys): 0.18 to 0.23
-- ms of planning for 0.09 ms of execution, on every reply. A generic plan
-- forced instead was worse: cached while rate_limits was nearly empty, it
-- read the whole table at every call once it held a row per chat. The
-- statements inside this function each read or write one key through the
-- primary key, so their cached plans cannot go wrong as the table grows.
--
-- reserve_rates(keys, secs, earliest, missed) locks the keys in order (no
-- deadlock between instances), takes the earliest time at or after
-- earliest that is free on every key, and moves each key's next free time
-- past it by its own step (secs[i] seconds). missed is the slot the send
-- booked before and missed (or NULL): on a key where that booking is still
-- the last one, it is given back first. A key seen for the first time is
-- created free. The transaction's commit does not wait for the disk:
-- reservations are bookkeeping, and the hot per-bot row must not stay
-- locked through a flush.
CREATE FUNCTION reserve_rates(keys text[], secs float8[], earliest timestamptz, missed timestamptz)
RETURNS timestamptz LANGUAGE plpgsql AS $$
DECLARE
    k   text;
    s   float8;
    nf  timestamptz;
    at  timestamptz := earliest;
BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    INSERT INTO rate_limits (key, next_free) SELECT unnest(keys), '-infinity' ON CONFLICT DO NOTHING;
    FOR k, s IN SELECT w.k, w.s FROM unnest(keys, secs) AS w(k, s) ORDER BY w.k LOOP
        SELECT r.next_free INTO nf FROM rate_limits r WHERE r.key = k FOR UPDATE;
        IF nf = missed + s * interval '1 second' THEN
            nf := missed;
        END IF;
        at := greatest(at, nf);
    END LOOP;
    FOR k, s IN SELECT w.k, w.s FROM unnest(keys, secs) AS w(k, s) LOOP
        UPDATE rate_limits SET next_free = at + s * interval '1 second' WHERE key = k;
    END LOOP;
    RETURN at;
END
$$;
