-- Make the turn's row updates heap-only (no new index entries) where it
-- can be: measured with `tipline bench` (docs/benchmarks.md).
--
-- conversations_last_inbound_idx served no query: retention walks the
-- conversations by id and tests coalesce(last_inbound_at, created_at), which
-- this index cannot answer. Every turn sets last_inbound_at, so with the
-- index each turn's conversation update wrote new entries in every index
-- of the table.
DROP INDEX IF EXISTS conversations_last_inbound_idx;

-- Room on each page for the new versions of rows updated in place. Applies
-- to pages filled from now on.
ALTER TABLE conversations SET (fillfactor = 80);
ALTER TABLE contacts SET (fillfactor = 80);
