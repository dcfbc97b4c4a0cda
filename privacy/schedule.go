package privacy

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/store"
)

// kvLastPurge is the kv row holding when the last scheduled purge ended,
// so that of several instances only one purges per interval.
const kvLastPurge = "privacy_last_purge"

// Scheduler runs the privacy jobs inside `serve`: every Tick it takes the
// purge advisory lock (exactly one instance at a time gets it), redacts
// the provider copies that are due and, when the last purge by any
// instance is PurgeEvery old, purges.
type Scheduler struct {
	Pool       *pgxpool.Pool
	Retention  store.Retention
	Redactor   Redactor         // nil when SMS is off
	Now        func() time.Time // nil means time.Now
	Tick       time.Duration    // default 1 minute
	PurgeEvery time.Duration    // default 1 hour
	Batch      int              // default DefaultBatch
}

func (s *Scheduler) defaults() {
	if s.Now == nil {
		s.Now = time.Now
	}
	if s.Tick <= 0 {
		s.Tick = time.Minute
	}
	if s.PurgeEvery <= 0 {
		s.PurgeEvery = time.Hour
	}
	if s.Batch <= 0 {
		s.Batch = DefaultBatch
	}
}

// Run works until ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	s.defaults()
	for {
		if _, err := s.RunOnce(ctx); err != nil && ctx.Err() == nil {
			slog.Warn("privacy jobs failed; will retry", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.Tick):
		}
	}
}

// RunOnce runs the due jobs if this instance gets the lock; ran says
// whether it did.
func (s *Scheduler) RunOnce(ctx context.Context) (ran bool, err error) {
	s.defaults()
	release, ok, err := store.AdvisoryLock{Pool: s.Pool, Key: store.LockPurge}.TryLock(ctx)
	if err != nil || !ok {
		return false, err
	}
	defer release()
	now := s.Now()
	if _, err := s.RedactNow(ctx, now); err != nil {
		return true, err
	}
	if !s.purgeDue(ctx, now) {
		return true, nil
	}
	_, err = s.PurgeNow(ctx, now)
	return true, err
}

// RedactNow runs one redaction round (when a Redactor is set) and logs
// its counts. The caller holds store.LockPurge.
func (s *Scheduler) RedactNow(ctx context.Context, now time.Time) (RedactCounts, error) {
	s.defaults()
	if s.Redactor == nil {
		return RedactCounts{}, nil
	}
	c, err := Redact(ctx, s.Pool, s.Redactor, now, s.Batch)
	if c != (RedactCounts{}) {
		slog.Info("provider copies redacted", "redacted", c.Redacted, "gone", c.Gone, "failed", c.Failed, "gave_up", c.GaveUp)
	}
	return c, err
}

// PurgeNow applies the retention rules as of now, logs the counts and
// records the time, so other instances do not purge again within
// PurgeEvery. The caller holds store.LockPurge.
func (s *Scheduler) PurgeNow(ctx context.Context, now time.Time) (PurgeCounts, error) {
	s.defaults()
	c, err := Purge(ctx, s.Pool, s.Retention, now, s.Batch)
	logPurge(c)
	if err != nil {
		return c, err
	}
	return c, store.SetKV(ctx, s.Pool, kvLastPurge, now.UTC().Format(time.RFC3339Nano))
}

// WaitLock takes store.LockPurge, retrying every second while another
// instance holds it, until ctx ends.
func WaitLock(ctx context.Context, pool *pgxpool.Pool) (release func(), err error) {
	for {
		release, ok, err := store.AdvisoryLock{Pool: pool, Key: store.LockPurge}.TryLock(ctx)
		if err != nil || ok {
			return release, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// purgeDue reports whether no instance purged within PurgeEvery.
func (s *Scheduler) purgeDue(ctx context.Context, now time.Time) bool {
	v, err := store.GetKV(ctx, s.Pool, kvLastPurge)
	if err != nil || v == "" {
		return err == nil
	}
	last, err := time.Parse(time.RFC3339Nano, v)
	return err != nil || now.Sub(last) >= s.PurgeEvery || last.After(now)
}

// logPurge logs what a purge removed: counts only.
func logPurge(c PurgeCounts) {
	slog.Info("retention purge", "tips", c.Tips, "conversations", c.Conversations, "contacts", c.Contacts,
		"reply_identifiers_dropped", c.ReplyDropped, "pages", c.Pages, "transient", c.Transient,
		"took_ms", c.Took.Milliseconds())
}
