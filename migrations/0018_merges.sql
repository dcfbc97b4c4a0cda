-- Merges of sightings (issue 18). A merge keeps both tips as they were:
-- the merged tip gets status 'duplicate' and duplicate_of pointing at the
-- tip it was merged into (or, merged into a case, its case link), and a
-- row here records who merged, when, why, the score of the suggestion it
-- came from and what the tip was before, so that it can be undone. An
-- undone merge stays, with who undid it, when and why.
CREATE TABLE tip_merges (
    id          bigserial PRIMARY KEY,
    tip_id      bigint NOT NULL REFERENCES tips (id) ON DELETE CASCADE,
    into_tip_id bigint REFERENCES tips (id) ON DELETE CASCADE,
    case_id     bigint REFERENCES cases (id) ON DELETE CASCADE,
    prev_status  text NOT NULL,
    prev_case_id bigint REFERENCES cases (id) ON DELETE SET NULL,
    score       real,
    reason      text NOT NULL,
    merged_by   bigint REFERENCES staff (id) ON DELETE SET NULL,
    merged_at   timestamptz NOT NULL,
    undone_by   bigint REFERENCES staff (id) ON DELETE SET NULL,
    undone_at   timestamptz,
    undo_reason text NOT NULL DEFAULT '',
    CHECK ((into_tip_id IS NULL) <> (case_id IS NULL)),
    CHECK (into_tip_id <> tip_id)
);
CREATE INDEX tip_merges_tip_idx ON tip_merges (tip_id, id);
CREATE INDEX tip_merges_into_idx ON tip_merges (into_tip_id, id) WHERE into_tip_id IS NOT NULL;
-- A tip is merged into at most one other tip at a time.
CREATE UNIQUE INDEX tip_merges_open_idx ON tip_merges (tip_id) WHERE undone_at IS NULL AND into_tip_id IS NOT NULL;

-- duplicate_of never forms a cycle (A into B and B into A left two tips
-- each pointing at the other and no original): every write of it waits
-- for the others (one advisory lock, held to the end of the transaction)
-- and then walks the chain it would join. The dashboard checks first and
-- says so in words; this holds for every other writer too.
CREATE FUNCTION tips_duplicate_acyclic() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.duplicate_of IS NOT DISTINCT FROM OLD.duplicate_of THEN
        RETURN NEW; -- unchanged (a status set on a duplicate): no lock, no walk
    END IF;
    PERFORM pg_advisory_xact_lock(469853300581); -- 'merge'
    IF EXISTS (
        WITH RECURSIVE up (id, depth) AS (
            SELECT NEW.duplicate_of, 1
            UNION ALL
            SELECT t.duplicate_of, up.depth + 1 FROM tips t JOIN up ON t.id = up.id
            WHERE t.duplicate_of IS NOT NULL AND up.depth < 10000
        ) SELECT 1 FROM up WHERE up.id = NEW.id) THEN
        RAISE EXCEPTION 'tip % cannot be a duplicate of tip %: that would form a cycle', NEW.id, NEW.duplicate_of
            USING ERRCODE = 'check_violation', CONSTRAINT = 'tips_duplicate_acyclic';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER tips_duplicate_acyclic BEFORE INSERT OR UPDATE OF duplicate_of ON tips
    FOR EACH ROW WHEN (NEW.duplicate_of IS NOT NULL) EXECUTE FUNCTION tips_duplicate_acyclic();

-- A tip whose duplicate link is cleared some other way (a status set by
-- hand or in bulk) has its open merge closed, so the record never says a
-- merge stands that does not.
CREATE FUNCTION tips_duplicate_cleared() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- (not when the other tip was deleted: its merges go with it)
    UPDATE tip_merges SET undone_at = now(), undo_reason = 'the tip''s status was changed'
    WHERE tip_id = NEW.id AND into_tip_id = OLD.duplicate_of AND undone_at IS NULL
      AND EXISTS (SELECT 1 FROM tips WHERE id = OLD.duplicate_of);
    RETURN NEW;
END $$;
CREATE TRIGGER tips_duplicate_cleared AFTER UPDATE OF duplicate_of ON tips
    FOR EACH ROW WHEN (OLD.duplicate_of IS NOT NULL AND NEW.duplicate_of IS DISTINCT FROM OLD.duplicate_of)
    EXECUTE FUNCTION tips_duplicate_cleared();

-- The tip page reads the sightings seen within a week of a tip
-- (store.CorrelationCandidates) by this expression.
CREATE INDEX tips_sighting_time_idx ON tips ((coalesce(seen_at, submitted_at, created_at))) WHERE submitted_at IS NOT NULL;
