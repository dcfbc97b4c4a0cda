package privacy

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/store"
)

// Redactor erases the body of a message the provider keeps; a
// tipline.Provider whose Traits say KeepsBodies is one (cmd wires it).
type Redactor interface {
	RedactBody(ctx context.Context, messageSid string) error
}

// redactMaxAttempts bounds the tries of one queued SID (with growing
// delays: about 21 hours in all) before it is given up.
const redactMaxAttempts = 9

// RedactCounts says what one redaction round did.
type RedactCounts struct {
	Redacted int // bodies erased at the provider
	Gone     int // the provider no longer had the message
	Failed   int // tries that failed and will be repeated
	GaveUp   int // SIDs given up after redactMaxAttempts
}

// String renders the counts for operators.
func (c RedactCounts) String() string {
	return fmt.Sprintf("redacted=%d gone=%d failed=%d gave_up=%d", c.Redacted, c.Gone, c.Failed, c.GaveUp)
}

// Redact erases, through the provider's API, the bodies of up to limit
// SMS of youth and not yet classified conversations once they are final,
// then up to limit SIDs that erasure or retention queued (see
// migrations/0006_privacy.sql), and records each success. Run it on one
// instance at a time (the schedule holds the privacy Lock).
func Redact(ctx context.Context, pool *pgxpool.Pool, rd Redactor, now time.Time, limit int) (RedactCounts, error) {
	var c RedactCounts
	if limit <= 0 {
		limit = DefaultBatch
	}
	live, err := store.LiveRedactions(ctx, pool, now, limit)
	if err != nil {
		return c, err
	}
	queued, err := store.QueuedRedactions(ctx, pool, now, limit)
	if err != nil {
		return c, err
	}
	for _, r := range append(live, queued...) {
		if err := redactOne(ctx, pool, rd, r, now, &c); err != nil {
			return c, err
		}
	}
	return c, nil
}

// redactOne calls the provider for one body and records the outcome.
func redactOne(ctx context.Context, pool *pgxpool.Pool, rd Redactor, r store.Redaction, now time.Time, c *RedactCounts) error {
	err := rd.RedactBody(ctx, r.SID)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	switch {
	case err == nil:
		c.Redacted++
		return store.MarkRedacted(ctx, pool, r, now)
	case isGone(err):
		c.Gone++
		return store.MarkRedacted(ctx, pool, r, now)
	}
	c.Failed++
	gaveUp, ferr := store.RedactionFailed(ctx, pool, r, now, redactMaxAttempts)
	if gaveUp {
		c.GaveUp++
	}
	return ferr
}

// isGone reports whether the provider says the message does not exist
// (any more): there is nothing left to redact.
func isGone(err error) bool { return errors.Is(err, tipline.ErrMessageGone) }
