-- The risk screen's outcomes (docs/design.md, the risk screen): graded
-- levels on the conversation, each flagged message's decision and reasons,
-- and staff marks for corpus review.

-- The highest level a conversation reached: 'concern' flags it for staff
-- without paging, 'danger' pages. Chats flagged before this migration were
-- all danger.
ALTER TABLE conversations ADD COLUMN risk_level text NOT NULL DEFAULT ''
    CHECK (risk_level IN ('', 'concern', 'danger'));
UPDATE conversations SET risk_level = 'danger' WHERE high_risk;

-- One row per inbound message the screen rated concern or danger: level,
-- categories (rank order), language, the classifier's score, and the
-- reasons (rules, concepts, strongest model features). Reasons may quote
-- the message's normalised words, so they live and die with the message
-- (retention, DELETE) and are never logged.
CREATE TABLE message_risk (
    message_id  bigint PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    level       text NOT NULL CHECK (level IN ('concern', 'danger')),
    categories  text[] NOT NULL DEFAULT '{}',
    lang        text NOT NULL DEFAULT '',
    score       double precision NOT NULL DEFAULT 0,
    reasons     jsonb NOT NULL DEFAULT '[]',
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- A staff member's mark on an inbound message: the screen missed a risk, or
-- raised a false alarm. An admin lists them to add cases to the corpus by
-- hand; they go with the message.
CREATE TABLE risk_marks (
    message_id  bigint PRIMARY KEY REFERENCES messages (id) ON DELETE CASCADE,
    mark        text NOT NULL CHECK (mark IN ('missed_risk', 'false_alarm')),
    staff_id    bigint REFERENCES staff (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX risk_marks_created_idx ON risk_marks (created_at DESC);
