// Package privacy runs Tipline's privacy jobs (docs/design.md section 4,
// docs/privacy.md): retention as code (Purge), the redaction of provider
// copies of SMS bodies (Redact), both on a schedule any instance may run
// (Scheduler), and the key rotation (Rotate). The SQL lives in store; this
// package decides the order, the batches and the retries, and logs counts
// only: never a message, an identifier or a key.
package privacy

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
	"tipline/store"
)

// Day is the unit of the RETENTION_* settings.
const Day = 24 * time.Hour

// DefaultBatch is how many rows one purge or rotation transaction handles:
// small enough that a turn waiting for one of them waits milliseconds.
const DefaultBatch = 200

// maxRetries bounds the retries of a batch after a deadlock or a
// serialization failure.
const maxRetries = 5

// RetentionFrom reads the retention periods from the configuration.
func RetentionFrom(cfg *config.Config) store.Retention {
	return store.Retention{
		Youth:         time.Duration(cfg.RetentionYouthDays) * Day,
		ClosedCase:    time.Duration(cfg.RetentionClosedCaseDays) * Day,
		IncompleteTip: time.Duration(cfg.RetentionIncompleteTipDays) * Day,
		Reply:         time.Duration(cfg.RetentionReplyDays) * Day,
	}
}

// PurgeCounts says what one purge removed.
type PurgeCounts struct {
	Tips          int64 // tips, with their media, notes, follow-ups and pages
	Conversations int64 // conversations, with their messages and state
	Contacts      int64 // contacts deleted with their conversation
	ReplyDropped  int64 // sealed identifiers dropped (can no longer be answered)
	Pages         int64 // staff page messages and orphaned pages
	Transient     int64 // in-flight announcements and rate-limit rows
	Took          time.Duration
}

// String renders the counts for operators.
func (c PurgeCounts) String() string {
	return fmt.Sprintf("tips=%d conversations=%d contacts=%d reply_identifiers_dropped=%d pages=%d transient=%d took=%s",
		c.Tips, c.Conversations, c.Contacts, c.ReplyDropped, c.Pages, c.Transient, c.Took.Round(time.Millisecond))
}

// Purge applies every retention rule as of now, in short batches, safe to
// run while the service runs and on several instances at once (each batch
// skips rows another holds, so nothing is deleted twice and nobody waits
// in a cycle). Tips go first, so that a conversation whose last tip went
// is erased in the same run.
func Purge(ctx context.Context, pool *pgxpool.Pool, r store.Retention, now time.Time, batch int) (PurgeCounts, error) {
	if batch <= 0 {
		batch = DefaultBatch
	}
	start := time.Now()
	var c PurgeCounts
	var err error
	if c.Tips, err = walkIDs(ctx, func(after int64) (int64, int64, error) {
		return store.PurgeTips(ctx, pool, r, now, after, batch)
	}); err != nil {
		return c, err
	}
	if c.Conversations, err = walkIDs(ctx, func(after int64) (int64, int64, error) {
		n, k, last, err := store.PurgeConversations(ctx, pool, r, now, after, batch)
		c.Contacts += k
		return n, last, err
	}); err != nil {
		return c, err
	}
	if c.ReplyDropped, err = drain(ctx, func() (int64, error) { return store.DropReplyIdentifiers(ctx, pool, r, now, batch) }); err != nil {
		return c, err
	}
	if c.Pages, err = drain(ctx, func() (int64, error) { return store.PurgePageMessages(ctx, pool, r, now, batch) }); err != nil {
		return c, err
	}
	if c.Transient, err = store.PurgeTransient(ctx, pool, now); err != nil {
		return c, err
	}
	c.Took = time.Since(start)
	return c, nil
}

// drain runs batch until one removes nothing and returns the total.
func drain(ctx context.Context, batch func() (int64, error)) (int64, error) {
	var last int64
	return walkIDs(ctx, func(int64) (int64, int64, error) {
		n, err := batch()
		if n > 0 {
			last++ // go on while batches remove something
		}
		return n, last, err
	})
}

// walkIDs runs batches over ascending ids, each starting after the last id
// the one before looked at, until a batch looks at nothing; a batch that
// hit a deadlock or a serialization failure is retried. It returns the
// total removed.
func walkIDs(ctx context.Context, batch func(after int64) (n, last int64, err error)) (int64, error) {
	var total, after int64
	retries := 0
	for {
		if err := ctx.Err(); err != nil {
			return total, err
		}
		n, last, err := batch(after)
		if err != nil {
			if store.IsRetryable(err) && retries < maxRetries {
				retries++
				time.Sleep(time.Duration(retries*20) * time.Millisecond)
				continue
			}
			return total, err
		}
		total += n
		if last <= after {
			return total, nil
		}
		after = last
	}
}
