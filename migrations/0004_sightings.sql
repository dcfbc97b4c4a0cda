-- Sightings: what the report flow keeps on a tip besides the core columns,
-- the thread of follow-ups on a tip, the staff-page throttle and the queue
-- of provider media copies still to delete.

-- lang: the language the tipster used. urgent_at: when the tipster said the
-- child was in danger now. abandoned_at: when an unfinished draft was given
-- up (FLOW_TIMEOUT, STOP, MENU...) and kept as an incomplete tip; such a tip
-- also gets submitted_at, the time it entered the staff queue, so DELETE
-- detaches it like a submitted tip instead of erasing it (DESIGN rules 6, 7).
ALTER TABLE tips
    ADD COLUMN lang         text NOT NULL DEFAULT '',
    ADD COLUMN urgent_at    timestamptz,
    ADD COLUMN abandoned_at timestamptz;

-- Drafts whose sender went silent are swept into incomplete tips.
CREATE INDEX tips_drafts_idx ON tips (updated_at) WHERE submitted_at IS NULL;

-- Follow-ups on a tip: what the tipster added later (ADD, or answering in
-- the same chat) and what staff wrote back. The tip keeps them after the
-- conversation is erased.
CREATE TABLE tip_updates (
    id         bigserial PRIMARY KEY,
    tip_id     bigint NOT NULL REFERENCES tips (id) ON DELETE CASCADE,
    source     text NOT NULL CHECK (source IN ('tipster', 'staff')),
    staff_id   bigint REFERENCES staff (id) ON DELETE SET NULL,
    body       text NOT NULL DEFAULT '',
    media_count int NOT NULL DEFAULT 0,
    message_id bigint REFERENCES messages (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX tip_updates_tip_idx ON tip_updates (tip_id, id);

-- Staff pages per destination: at most one message per interval; pages
-- that come sooner are folded into one summary message (summary_id) that
-- waits for the next free slot, so a burst never floods the staff group.
CREATE TABLE page_slots (
    target        text PRIMARY KEY,
    next_free     timestamptz NOT NULL,
    summary_id    bigint,
    summary_count int NOT NULL DEFAULT 0
);

-- Provider copies of media (Twilio MMS) to delete once our stripped copy
-- is committed; a janitor works through them, so a crash loses none.
CREATE TABLE media_deletions (
    id         bigserial PRIMARY KEY,
    channel    text NOT NULL,
    ref        text NOT NULL,
    attempts   int NOT NULL DEFAULT 0,
    next_at    timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX media_deletions_next_idx ON media_deletions (next_at);
