-- The public gallery of missing children (issue 17). A case appears at
-- /cases only with a row here that a second staff member approved, while
-- the case is active and public and its review date has not passed. The
-- row records the guardian's consent, the police report number, the name
-- and city the family agreed to show, and, for a child who disclosed
-- abuse at home, the safeguarding review the approver wrote. The photo is
-- the copy re-encoded (no metadata) when it was approved.
CREATE TABLE case_gallery (
    case_id             bigint PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    public_name         text NOT NULL CHECK (btrim(public_name) <> ''),
    public_city         text NOT NULL CHECK (btrim(public_city) <> ''),
    consent_by          text NOT NULL CHECK (btrim(consent_by) <> ''),
    consent_note        text NOT NULL CHECK (btrim(consent_note) <> ''),
    police_report       text NOT NULL CHECK (btrim(police_report) <> ''),
    review_date         date NOT NULL,
    abuse_disclosed     boolean NOT NULL,
    safeguarding_review text NOT NULL DEFAULT '',
    proposed_by         bigint REFERENCES staff (id) ON DELETE SET NULL,
    proposed_at         timestamptz NOT NULL,
    approved_by         bigint REFERENCES staff (id) ON DELETE SET NULL,
    approved_at         timestamptz,
    photo               bytea,
    photo_type          text NOT NULL DEFAULT '',
    withdrawn_at        timestamptz,
    -- Approval is by someone else than the proposer.
    CHECK (approved_by IS NULL OR proposed_by IS NULL OR approved_by <> proposed_by),
    -- A child who disclosed abuse at home is never published without the review.
    CHECK (approved_at IS NULL OR NOT abuse_disclosed OR btrim(safeguarding_review) <> ''),
    -- Nothing withdrawn keeps its photo.
    CHECK (withdrawn_at IS NULL OR photo IS NULL)
);
CREATE INDEX case_gallery_live_idx ON case_gallery (review_date)
    WHERE approved_at IS NOT NULL AND withdrawn_at IS NULL;

-- A case that closes or stops being public leaves the gallery at once, in
-- the same transaction, whoever changes it: its photo copy is deleted and
-- coming back needs a new proposal and approval.
CREATE FUNCTION cases_leave_gallery() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE case_gallery SET photo = NULL, photo_type = '', withdrawn_at = now()
        WHERE case_id = NEW.id AND withdrawn_at IS NULL;
    RETURN NEW;
END $$;
CREATE TRIGGER cases_leave_gallery AFTER UPDATE OF status, public ON cases
    FOR EACH ROW WHEN (NEW.status <> 'active' OR NOT NEW.public) EXECUTE FUNCTION cases_leave_gallery();
