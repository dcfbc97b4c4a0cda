package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
	"tipline/directory"
	"tipline/directory/hsds"
	"tipline/schedule"
	"tipline/store"
)

// wireHSDS schedules the pull from an Open Referral HSDS 3.0 API when
// HSDS_API_URL is set (docs/design.md "The directory"): a shared job, so
// one instance at a time runs it (the job's advisory lock) and once per
// HSDS_SYNC_EVERY across all instances. New and changed records wait for
// a staff member's verification; records closed or removed upstream are
// hidden at once; each run's status shows on the dashboard.
func wireHSDS(a *app, cfg *config.Config, pool *pgxpool.Pool) {
	if !cfg.HSDS.Enabled() {
		return
	}
	a.jobs = append(a.jobs, hsdsJob(cfg.HSDS, pool))
}

// hsdsJob is the scheduled sync.
func hsdsJob(h config.HSDS, pool *pgxpool.Pool) schedule.Job {
	client := &hsds.Client{BaseURL: h.URL, Token: h.Token}
	fetch := func(ctx context.Context) ([]directory.Resource, error) {
		rs, warnings, err := client.Resources(ctx)
		if len(warnings) > 0 {
			slog.Info("hsds sync: services read with warnings (closed, or fields Tipline does not model)", "count", len(warnings))
		}
		return rs, err
	}
	return schedule.Job{Name: "hsds-sync", Every: h.Every, Run: func(ctx context.Context, now time.Time) error {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
		defer cancel()
		b, err := store.RunSync(ctx, pool, h.URL, fetch, now)
		if err != nil {
			slog.Warn("hsds sync failed", "batch", b.ID, "err", err)
			return err
		}
		c := b.Counts
		slog.Info("hsds sync done", "batch", b.ID, "listed", c.Fetched, "new", c.New, "changed", c.Changed,
			"unchanged", c.Unchanged, "hidden", c.Hidden, "skipped", c.Skipped)
		return nil
	}}
}
