-- A tamper-evident audit trail (issue 18, docs/design.md section 9 "The
-- audit chain").
--
-- Each row written from now on carries its place in one chain (seq, 1, 2,
-- 3, … with no gaps), the id of the master key its MAC is under (key_id,
-- the 8 hex digits `tipline keys status` prints) and mac: HMAC-SHA256,
-- under a key derived from TIPLINE_SECRET_KEY that is never stored here,
-- of the chain hash SHA-256(previous chain hash || the row). So every MAC
-- vouches for the whole history before its row, an edit or a deletion by
-- someone with database rights breaks every later MAC, and the row is
-- named by `tipline audit verify`.
--
-- Rows from before this migration have no seq and no MAC. `tipline audit
-- seal` (once, after every instance runs this version) writes one chained
-- row, action audit.seal, whose detail holds their count and a SHA-256 of
-- them all, and sets legacy_through to the last of their ids: from then
-- on they are covered too, and a row without a MAC after it is an insert.
ALTER TABLE audit_log
    ADD COLUMN seq    bigint,
    ADD COLUMN key_id text,
    ADD COLUMN mac    bytea;

-- Two appends can never take one place in the chain (a fork).
CREATE UNIQUE INDEX audit_log_seq_idx ON audit_log (seq) WHERE seq IS NOT NULL;

-- The chain head: one row, locked (SELECT … FOR UPDATE) by every append in
-- the transaction that writes the audit row, so appends from every
-- instance are serialised and land in id order. hash is the chain hash of
-- row seq (32 zero bytes before the first), last_id its id.
CREATE TABLE audit_chain (
    one            boolean PRIMARY KEY DEFAULT true CHECK (one),
    seq            bigint NOT NULL DEFAULT 0,
    last_id        bigint NOT NULL DEFAULT 0,
    hash           bytea NOT NULL DEFAULT decode(repeat('00', 32), 'hex'),
    legacy_through bigint -- NULL until `tipline audit seal` ran
);
INSERT INTO audit_chain DEFAULT VALUES;
