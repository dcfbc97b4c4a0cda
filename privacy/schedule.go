package privacy

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/schedule"
	"tipline/store"
)

// Names of the privacy jobs in the schedule package. Both share Lock, so
// redaction and purge never run at the same time, on any instance.
const (
	Lock       = "privacy"
	RedactJob  = "privacy-redact"
	PurgeJob   = "privacy-purge"
	redactTick = time.Minute
	purgeEvery = time.Hour
)

// Jobs are the privacy jobs every instance schedules in `serve`: redact the
// provider copies that are due (every minute, when a Redactor is set) and
// purge by the retention rules (hourly, across all instances).
type Jobs struct {
	Pool      *pgxpool.Pool
	Retention store.Retention
	Redactor  Redactor // nil when SMS is off
	Batch     int      // default DefaultBatch
}

// Schedule returns the jobs for a schedule.Scheduler.
func (p Jobs) Schedule() []schedule.Job {
	js := []schedule.Job{{Name: PurgeJob, Lock: Lock, Every: purgeEvery,
		Run: func(ctx context.Context, now time.Time) error { _, err := p.Purge(ctx, now); return err }}}
	if p.Redactor != nil {
		js = append(js, schedule.Job{Name: RedactJob, Lock: Lock, Every: redactTick,
			Run: func(ctx context.Context, now time.Time) error { _, err := p.Redact(ctx, now); return err }})
	}
	return js
}

// Redact runs one redaction round (when a Redactor is set) and logs its
// counts. The caller holds the Lock.
func (p Jobs) Redact(ctx context.Context, now time.Time) (RedactCounts, error) {
	if p.Redactor == nil {
		return RedactCounts{}, nil
	}
	c, err := Redact(ctx, p.Pool, p.Redactor, now, p.Batch)
	if c != (RedactCounts{}) {
		slog.Info("provider copies redacted", "redacted", c.Redacted, "gone", c.Gone, "failed", c.Failed, "gave_up", c.GaveUp)
	}
	return c, err
}

// Purge applies the retention rules as of now and logs the counts. The
// caller holds the Lock; the scheduler records the run, and a run from
// elsewhere records it with schedule.MarkRun(PurgeJob).
func (p Jobs) Purge(ctx context.Context, now time.Time) (PurgeCounts, error) {
	c, err := Purge(ctx, p.Pool, p.Retention, now, p.Batch)
	logPurge(c)
	return c, err
}

// logPurge logs what a purge removed: counts only.
func logPurge(c PurgeCounts) {
	slog.Info("retention purge", "tips", c.Tips, "conversations", c.Conversations, "contacts", c.Contacts,
		"reply_identifiers_dropped", c.ReplyDropped, "pages", c.Pages, "transient", c.Transient,
		"took_ms", c.Took.Milliseconds())
}
