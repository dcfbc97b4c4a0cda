-- Delivery: rate-limit reservations shared by every instance, and what the
-- worker must do once a message is out (DELETE's confirmation erases after).

CREATE TABLE rate_limits (
    key       text PRIMARY KEY,
    next_free timestamptz NOT NULL
);

ALTER TABLE messages
    ADD COLUMN slot_at    timestamptz,
    ADD COLUMN after_send text NOT NULL DEFAULT '',
    ADD COLUMN unknown_outcome boolean NOT NULL DEFAULT false;

ALTER TABLE conversations
    ADD COLUMN erase_pending boolean NOT NULL DEFAULT false;

-- Telegram updates of one chat currently being handled, so that a later
-- update waits for an earlier one delivered over a parallel connection.
-- Unlogged: it only matters while requests are in flight.
CREATE UNLOGGED TABLE inflight (
    chat bytea NOT NULL,
    seq  bigint NOT NULL,
    at   timestamptz NOT NULL,
    PRIMARY KEY (chat, seq)
);
