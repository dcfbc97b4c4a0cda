package bot

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"tipline"
	"tipline/spool"
	"tipline/store"
)

// Replay pacing: the spool is looked at every ReplayEvery; an entry whose
// replay failed for another reason than the database waits, doubling,
// up to maxReplayWait; kept entries older than the retention are purged
// every purgeEvery.
const (
	ReplayEvery   = 2 * time.Second
	maxReplayWait = 5 * time.Minute
	purgeEvery    = time.Hour
)

// Run replays the spool until ctx ends: at once (entries an earlier run
// left), then every ReplayEvery while anything is kept. Entries kept
// longer than retention (the youth retention: the database would not keep
// them longer either) are deleted unreplayed.
func (d *Degraded) Run(ctx context.Context, retention time.Duration) {
	if d.spool == nil {
		return
	}
	t := time.NewTicker(ReplayEvery)
	defer t.Stop()
	var purged time.Time
	for {
		if time.Since(purged) >= purgeEvery && retention > 0 {
			if n, err := d.spool.Purge(d.bot.clock.Now().Add(-retention)); err != nil || n > 0 {
				slog.Warn("spool: retention purge", "deleted", n, "err", err)
			}
			purged = time.Now()
		}
		if _, err := d.Replay(ctx); err != nil && ctx.Err() == nil {
			slog.Debug("spool: replay paused; the database is still unreachable", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Replay replays the kept messages, oldest first, through the turn, and
// deletes each once its turn committed (or found it stored already: the
// provider's retry got there first). It stops at the first sign that the
// database is still unreachable and returns that error; other failures are
// logged, counted and retried later.
func (d *Degraded) Replay(ctx context.Context) (replayed int, err error) {
	names, err := d.spool.Pending()
	if err != nil {
		return 0, err
	}
	for _, name := range names {
		if ctx.Err() != nil {
			return replayed, ctx.Err()
		}
		if !d.due(name) {
			continue
		}
		e, err := d.spool.Load(name)
		if err == nil {
			err = d.replayOne(ctx, e)
		}
		if Unreachable(err) {
			return replayed, err
		}
		if err != nil {
			d.failed(name)
			d.metrics.replayed.WithLabelValues("error").Inc()
			slog.Error("spool: replay failed", "entry", name, "err", err)
			continue
		}
		if err := d.spool.Remove(name); err != nil {
			return replayed, err
		}
		d.forget(name)
		d.metrics.replayed.WithLabelValues("handled").Inc()
		replayed++
	}
	return replayed, nil
}

// replayOne runs one kept message through the turn; a message answered
// inline records that answer as sent instead of sending it again.
func (d *Degraded) replayOne(ctx context.Context, e spool.Entry) error {
	if e.Inline == nil {
		return d.bot.Handle(ctx, e.Inbound)
	}
	return d.bot.handleAnswered(ctx, e.Inbound, *e.Inline, e.SpooledAt)
}

func (d *Degraded) due(name string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	f, ok := d.retry[name]
	return !ok || !time.Now().Before(f.next)
}

func (d *Degraded) failed(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	f := d.retry[name]
	f.attempts++
	wait := min(ReplayEvery<<min(f.attempts, 10), maxReplayWait)
	f.next = time.Now().Add(wait)
	d.retry[name] = f
}

func (d *Degraded) forget(name string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.retry, name)
}

// handleAnswered is Handle for a message whose danger answer went out in
// the webhook's response while the database was down: the same turn, in
// one transaction, which then records that answer as sent
// (store.RecordInlineAnswer), so the outbox never sends 911 twice. Staff
// are paged as the turn decides. A message stored already changes nothing.
func (b *Bot) handleAnswered(ctx context.Context, in tipline.Inbound, inline tipline.Reply, sentAt time.Time) error {
	in = in.Clean()
	if !in.Channel.Valid() || in.ProviderID == "" || in.SenderID == "" {
		return tipline.Errorf(tipline.EInvalid, "inbound message lacks channel, provider id or sender")
	}
	start := time.Now()
	ts, err := b.turnStart(in, b.clock.Now())
	if err != nil {
		return err
	}
	ctx = b.prefetchMedia(ctx, in, ts)
	record := func(tx *store.Turn, conv store.Conversation, msgID int64) error {
		if err := tx.Flush(ctx); err != nil {
			return err
		}
		return store.RecordInlineAnswer(ctx, tx, store.InlineAnswer{ConversationID: conv.ID, MessageID: msgID,
			Channel: conv.Channel, Reply: inline, SentAt: sentAt, Now: ts.Now})
	}
	dup, urgent, err := b.transactThen(ctx, in, ts, record)
	b.metrics.observeTurn(in.Channel, dup, err, time.Since(start))
	if err != nil {
		return fmt.Errorf("bot: replay: %w", err)
	}
	if !dup {
		b.notify(urgent)
	}
	return nil
}
