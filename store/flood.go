package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline/flood"
)

// TakeFlood takes the turn's message from its sender's flood bucket
// (package flood) and reports whether the sender is flooding (over) and,
// if so, whether this is the first such message of the flood (tell).
//
// The bucket is a row of flood_buckets (migration 0015), one per
// conversation (one conversation per contact), so every instance takes
// from the same bucket. The turn already holds the conversation's row
// lock, so two turns of one sender never take from it at once, and no
// other sender waits on it.
//
// Most turns cost nothing more: a conversation whose previous message is
// older than the bucket's refill time (or that has none) has a full
// bucket, and such a turn neither reads nor writes it. Then the stored row
// is older than last_inbound_at, which the turn sets; a later turn that
// reads it knows that the turn in between found the bucket full and took
// one. Otherwise the row is read at once (one round trip) and its new
// value queued with COMMIT: a turn that rolls back takes nothing.
func (t *Turn) TakeFlood(ctx context.Context, g flood.Guard, c Conversation, now time.Time) (over, tell bool, err error) {
	if c.LastInboundAt == nil || now.Sub(*c.LastInboundAt) >= g.RefillTime() {
		_, over, tell = g.Take(g.Full(now), now)
		return over, tell, nil
	}
	b, err := floodBucket(ctx, t, g, c)
	if err != nil {
		return false, false, err
	}
	b, over, tell = g.Take(b, now)
	t.queue("flood bucket", `INSERT INTO flood_buckets (conversation_id, tokens, at, told) VALUES ($1, $2, $3, $4)
		ON CONFLICT (conversation_id) DO UPDATE SET tokens = EXCLUDED.tokens, at = EXCLUDED.at, told = EXCLUDED.told`,
		c.ID, b.Tokens, b.At, b.Told)
	return over, tell, nil
}

// floodBucket reads the conversation's bucket as the previous turn left it.
// A row older than that turn (or none) means the turn found the bucket
// full and did not write it: full less the one message it took.
func floodBucket(ctx context.Context, db DBTX, g flood.Guard, c Conversation) (flood.Bucket, error) {
	var b flood.Bucket
	err := db.QueryRow(ctx, `SELECT tokens, at, told FROM flood_buckets WHERE conversation_id = $1`, c.ID).
		Scan(&b.Tokens, &b.At, &b.Told)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return b, fmt.Errorf("flood bucket: %w", err)
	}
	if err != nil || b.At.Before(*c.LastInboundAt) {
		b = g.Full(*c.LastInboundAt)
		b.Tokens--
	}
	return b, nil
}
