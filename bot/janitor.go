package bot

import (
	"context"
	"log/slog"
	"time"

	"tipline/store"
)

// DeleteProviderMedia deletes the provider copies queued for deletion (any
// instance may run it; claims are leased). It returns how many it handled.
func (b *Bot) DeleteProviderMedia(ctx context.Context) (int, error) {
	now := b.clock.Now()
	due, err := store.ClaimMediaDeletions(ctx, b.pool, now, deletionLease, deletionBatch)
	if err != nil {
		return 0, err
	}
	for _, d := range due {
		p := b.Providers[d.Channel]
		ok := p != nil && p.Traits().KeepsMedia
		if ok {
			cctx, cancel := context.WithTimeout(ctx, fetchTimeout)
			err = p.DeleteMedia(cctx, d.Ref)
			cancel()
		}
		if ok && err != nil && d.Attempts < maxDeleteTries {
			slog.Info("provider media deletion failed; will retry", "err", err)
			continue // the lease brings it back
		}
		if err := store.FinishMediaDeletion(ctx, b.pool, d.ID); err != nil {
			return 0, err
		}
	}
	return len(due), nil
}

// SightingsJanitorOnce keeps sightings tidy (cmd schedules it): drafts
// silent for longer than flowTimeout become incomplete tips
// (docs/design.md, rule 7) and provider copies of attachments are deleted.
func (b *Bot) SightingsJanitorOnce(ctx context.Context, flowTimeout time.Duration) error {
	now := b.clock.Now()
	if _, err := store.AbandonStaleDrafts(ctx, b.pool, now.Add(-flowTimeout), now); err != nil {
		return err
	}
	for {
		n, err := b.DeleteProviderMedia(ctx)
		if err != nil || n < deletionBatch {
			return err
		}
	}
}
