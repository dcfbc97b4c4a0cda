-- Staff dashboard: second factor, login slowdown, queue indexes, CSAM
-- marking and page re-sends.

-- A session is only fully signed in once the second factor (when the
-- account has one) was given.
ALTER TABLE sessions
    ADD COLUMN mfa_ok boolean NOT NULL DEFAULT false;

-- totp_secret holds the sealed TOTP key once confirmed; totp_pending the
-- one being set up; totp_last_step refuses a code used twice.
ALTER TABLE staff
    ADD COLUMN totp_pending   bytea,
    ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0;

-- Failed logins per account and per client address: the delay before the
-- next attempt grows with failures; nothing is ever locked.
CREATE TABLE login_failures (
    key            text PRIMARY KEY,
    failures       int NOT NULL DEFAULT 0,
    last_failed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX tips_created_idx ON tips (created_at);
CREATE INDEX tips_status_queue_idx ON tips (status, urgent DESC, created_at DESC, id DESC);
CREATE INDEX tips_assigned_idx ON tips (assigned_to, urgent DESC, created_at DESC) WHERE assigned_to IS NOT NULL;
CREATE INDEX tips_duplicate_idx ON tips (duplicate_of) WHERE duplicate_of IS NOT NULL;

ALTER TABLE tip_media
    ADD COLUMN csam_marked_by bigint REFERENCES staff (id) ON DELETE SET NULL,
    ADD COLUMN csam_marked_at timestamptz;

ALTER TABLE pages
    ADD COLUMN resend_count int NOT NULL DEFAULT 0;
CREATE INDEX pages_unacked_idx ON pages (created_at) WHERE acked_at IS NULL;

CREATE INDEX audit_log_staff_idx ON audit_log (staff_id, at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);
