package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/bot"
	"tipline/store"
)

// directoryVersion changes whenever a resource row changes.
const directoryVersionSQL = `SELECT count(*)::text || ':' || coalesce(max(updated_at)::text, '') FROM resources`

// reloadDirectory keeps the bot's directory in step with what staff verify
// on the dashboard: every interval it checks whether resources changed and,
// if so, swaps in an engine over the new directory.
func reloadDirectory(pool *pgxpool.Pool, b *bot.Bot, interval time.Duration) func(context.Context) {
	return func(ctx context.Context) {
		var seen string
		_ = pool.QueryRow(ctx, directoryVersionSQL).Scan(&seen)
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(interval):
			}
			var v string
			if err := pool.QueryRow(ctx, directoryVersionSQL).Scan(&v); err != nil || v == seen {
				continue
			}
			dir, err := store.LoadDirectory(ctx, pool)
			if err != nil {
				slog.Warn("directory reload failed", "err", err)
				continue
			}
			next := *b.Engine()
			next.Dir = dir
			b.SetEngine(&next)
			seen = v
			slog.Info("resource directory reloaded")
		}
	}
}
