-- The delivery worker's claim (store.ClaimOutbound) as a function whose
-- plan does not depend on fresh statistics.
--
-- The pending outbound rows are a tiny, fast-changing part of messages.
-- Between bursts VACUUM finds the pending indexes empty and records them
-- so (reltuples 0), and the planner then takes them for empty whatever
-- their size: when a backlog built up (a provider outage, a flood of
-- messages) the claim was planned as if nothing were queued, and two such
-- plans read the whole backlog at every claim. One scanned the pending
-- index and sorted all of it to take sixteen rows; the other joined each
-- candidate against every pending row instead of probing its
-- conversation. A claim of sixteen rows took 40 to 100 ms at 9,000 queued,
-- and the queue drained at a tenth of its speed. (Autovacuum's ANALYZE
-- does not come to the rescue: on a large messages table a backlog is far
-- below its threshold.)
--
-- Two things make the plan safe whatever the estimates (PL/pgSQL keeps
-- the plan of its statement across calls; planning the statement afresh
-- costs 6 ms):
-- * sorting is off inside the function, so the due rows are read in order
--   from the outbox index (next_attempt_at, id) and the scan stops as soon
--   as it has enough;
-- * the earlier-pending test is a subquery run per candidate (OFFSET 0
--   keeps PostgreSQL from turning it into a join), so its conversation is
--   always a key of the probe.
--
-- claim_outbound(at, lease, lim) takes up to lim due rows, crisis replies
-- and pages first, then the rest, only the first pending row of each
-- conversation, none of a paused provider's, and leases them until
-- at + lease (see store.ClaimOutbound).
CREATE FUNCTION claim_outbound(at timestamptz, lease interval, lim int)
RETURNS TABLE (id bigint, conversation_id bigint, channel text, kind text, reply jsonb, target text,
    id_sealed bytea, attempts int, expires_at timestamptz, slot_at timestamptz, attempted_at timestamptz,
    unknown_outcome boolean, after_send text, created_at timestamptz, urgent boolean, due timestamptz)
LANGUAGE plpgsql VOLATILE
SET enable_sort = off
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY WITH urgent AS (
        SELECT m.id FROM messages m
        WHERE m.direction = 'out' AND m.status IN ('queued', 'claimed', 'sending') AND (m.priority > 0 OR m.kind = 'page')
          AND coalesce(m.claimed_until, m.next_attempt_at) <= $1 AND m.next_attempt_at <= $1
          AND NOT EXISTS (SELECT 1 FROM messages p WHERE p.conversation_id = m.conversation_id AND p.id < m.id
              AND p.direction = 'out' AND p.status IN ('queued', 'claimed', 'sending') OFFSET 0)
          AND NOT EXISTS (SELECT 1 FROM provider_pauses pp WHERE pp.channel = m.channel
              AND (pp.until > $1 OR pp.probe_until > $1))
        ORDER BY m.next_attempt_at, m.id
        LIMIT $3
        FOR UPDATE OF m SKIP LOCKED
    ), rest AS (
        SELECT m.id FROM messages m
        WHERE m.direction = 'out' AND m.status IN ('queued', 'claimed', 'sending') AND m.priority = 0 AND m.kind <> 'page'
          AND coalesce(m.claimed_until, m.next_attempt_at) <= $1 AND m.next_attempt_at <= $1
          AND NOT EXISTS (SELECT 1 FROM messages p WHERE p.conversation_id = m.conversation_id AND p.id < m.id
              AND p.direction = 'out' AND p.status IN ('queued', 'claimed', 'sending') OFFSET 0)
          AND NOT EXISTS (SELECT 1 FROM provider_pauses pp WHERE pp.channel = m.channel
              AND (pp.until > $1 OR pp.probe_until > $1))
        ORDER BY m.next_attempt_at, m.id
        LIMIT $3 - (SELECT count(*) FROM urgent)
        FOR UPDATE OF m SKIP LOCKED
    ), picked AS (SELECT u.id FROM urgent u UNION ALL SELECT r.id FROM rest r)
    UPDATE messages m SET
        unknown_outcome = m.unknown_outcome OR m.status = 'sending',
        status = 'claimed', claimed_until = $1 + $2
    FROM picked
    WHERE m.id = picked.id
    RETURNING m.id, m.conversation_id, m.channel, m.kind, m.reply, m.target,
        (SELECT k.id_sealed FROM conversations v JOIN contacts k ON k.id = v.contact_id WHERE v.id = m.conversation_id),
        m.attempts, m.expires_at, m.slot_at, m.attempted_at, m.unknown_outcome, m.after_send, m.created_at,
        m.priority > 0 OR m.kind = 'page', m.next_attempt_at;
END
$$;
