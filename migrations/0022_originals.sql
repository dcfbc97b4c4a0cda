-- Evidence originals (issue 18). The file a tipster sent, as received, is
-- kept sealed (AES-256-GCM under TIPLINE_SECRET_KEY, aad
-- 'tip-media-original', store.SealedColumns) beside the stripped copy staff
-- see; tip_media.sha256 is its SHA-256, taken on receipt. It carries the
-- sender's metadata (GPS, device), so it is read only by the law-enforcement
-- export, after a confirmation. The row goes with its photo (retention,
-- DELETE of a draft, a purge), and never exists for a photo marked as abuse
-- material: marking deletes it, and a row for such a photo is refused.
CREATE TABLE tip_media_originals (
    id         bigint PRIMARY KEY REFERENCES tip_media (id) ON DELETE CASCADE,
    sealed     bytea NOT NULL,
    size       int NOT NULL CHECK (size >= 0),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION tip_media_csam_drops_original() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM tip_media_originals WHERE id = NEW.id;
    RETURN NEW;
END $$;
CREATE TRIGGER tip_media_csam_drops_original AFTER INSERT OR UPDATE OF csam ON tip_media
    FOR EACH ROW WHEN (NEW.csam) EXECUTE FUNCTION tip_media_csam_drops_original();

CREATE FUNCTION tip_media_originals_not_csam() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM tip_media WHERE id = NEW.id AND csam) THEN
        RAISE EXCEPTION 'the original of photo % is not kept: it is marked as abuse material', NEW.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'tip_media_originals_not_csam';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER tip_media_originals_not_csam BEFORE INSERT OR UPDATE ON tip_media_originals
    FOR EACH ROW EXECUTE FUNCTION tip_media_originals_not_csam();
