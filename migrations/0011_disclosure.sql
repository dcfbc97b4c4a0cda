-- Emergency disclosure: staff know a youth only by an alias. When a life is
-- at risk and the youth cannot call, one staff member asks, with a written
-- reason, to reveal the sealed number or chat id (to pass to 911) and a
-- second one confirms; only then can either of them see it, for a short
-- time. Every step is audited; the requests are shown with the
-- conversation, never exported, and go with it.
CREATE TABLE disclosure_requests (
    id              bigserial PRIMARY KEY,
    conversation_id bigint NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    requested_by    bigint REFERENCES staff (id) ON DELETE SET NULL,
    reason          text NOT NULL CHECK (reason <> ''),
    requested_at    timestamptz NOT NULL DEFAULT now(),
    confirmed_by    bigint REFERENCES staff (id) ON DELETE SET NULL,
    confirmed_at    timestamptz,
    CHECK (confirmed_by IS NULL OR confirmed_by IS DISTINCT FROM requested_by)
);
CREATE INDEX disclosure_requests_conversation_idx ON disclosure_requests (conversation_id, id);
