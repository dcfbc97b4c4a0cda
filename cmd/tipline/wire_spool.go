package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"tipline/bot"
	"tipline/config"
	"tipline/seal"
	"tipline/spool"
)

// wireSpool builds the degraded path (docs/design.md rule 16): the spool
// in SPOOL_DIR, the fallback the webhooks call when a turn finds the
// database unreachable (a.degraded.Answer), and the loop that replays the
// spool when the database returns and purges it by the youth retention.
// It runs before the channels are wired.
func wireSpool(a *app, cfg *config.Config, reg prometheus.Registerer) error {
	sp, err := openSpool(cfg, a.keys)
	if err != nil {
		return err
	}
	a.degraded = bot.NewDegraded(a.bot, sp, reg)
	retention := time.Duration(cfg.RetentionYouthDays) * 24 * time.Hour
	a.runners = append(a.runners, func(ctx context.Context) { a.degraded.Run(ctx, retention) })
	return nil
}

// openSpool opens SPOOL_DIR; unset, it says what that means and returns
// nil (nothing is kept).
func openSpool(cfg *config.Config, keys *seal.Keys) (*spool.Spool, error) {
	if cfg.SpoolDir == "" {
		slog.Warn("SPOOL_DIR is unset: while PostgreSQL is unreachable, danger messages are still answered " +
			"in the webhook response, but no message is kept for replay; the others rely on the providers' retries")
		return nil, nil
	}
	sp, err := spool.Open(cfg.SpoolDir, keys, 0)
	if err != nil {
		return nil, fmt.Errorf("SPOOL_DIR: %w", err)
	}
	return sp, nil
}

// rotateSpool re-seals this host's spool under the current key (`tipline
// keys rotate`; each instance's spool is on its own disk). Nothing to do
// when SPOOL_DIR is unset.
func rotateSpool(out io.Writer, cfg *config.Config, keys *seal.Keys) error {
	if cfg.SpoolDir == "" {
		return nil
	}
	sp, err := spool.Open(cfg.SpoolDir, keys, 0)
	if err != nil {
		return fmt.Errorf("SPOOL_DIR: %w", err)
	}
	rep, err := sp.Rotate()
	fmt.Fprintf(out, "spool %s: %d re-sealed, %d already current, %d unreadable\n",
		cfg.SpoolDir, rep.Resealed, rep.Current, rep.Failed)
	if err == nil && rep.Failed > 0 {
		err = fmt.Errorf("spool: %d entries open under no key: keep TIPLINE_PREVIOUS_KEYS", rep.Failed)
	}
	return err
}

// purgeSpool deletes entries this host's spool kept longer than the youth
// retention (`tipline purge`; serve does it hourly).
func purgeSpool(out io.Writer, cfg *config.Config, now time.Time) error {
	if cfg.SpoolDir == "" {
		return nil
	}
	sp, err := spool.Open(cfg.SpoolDir, nil, 0)
	if err != nil {
		return fmt.Errorf("SPOOL_DIR: %w", err)
	}
	n, err := sp.Purge(now.Add(-time.Duration(cfg.RetentionYouthDays) * 24 * time.Hour))
	fmt.Fprintf(out, "spool: %d purged\n", n)
	return err
}
