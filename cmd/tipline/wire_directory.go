package main

import (
	"context"
	"log/slog"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/bot"
	"tipline/schedule"
	"tipline/store"
)

// directoryWatch keeps this instance's copy of the directory in step with
// what staff verify on the dashboard: each committed change of resources
// is notified to every instance (migration 0015), which loads the
// directory anew and swaps in an engine over it; a slow poll of the change
// counter covers a lost connection (store.DirectoryWatch). Every instance
// keeps its own copy, so every instance watches.
func directoryWatch(pool *pgxpool.Pool, b *bot.Bot) *store.DirectoryWatch {
	return &store.DirectoryWatch{Pool: pool, Reload: func(ctx context.Context) error {
		dir, err := store.LoadDirectory(ctx, pool)
		if err != nil {
			return err
		}
		next := *b.Engine()
		next.Dir = dir
		b.SetEngine(&next)
		slog.Info("resource directory reloaded")
		return nil
	}}
}

// wireSchedule adds the directory watch and one runner for all the
// scheduled jobs; wire calls it before any early return, and the runner
// reads a.jobs when it starts, so jobs added later still run.
func wireSchedule(a *app, pool *pgxpool.Pool) {
	a.runners = append(a.runners, directoryWatch(pool, a.bot).Run)
	a.runners = append(a.runners, func(ctx context.Context) {
		(&schedule.Scheduler{Pool: pool, Jobs: a.jobs}).Run(ctx)
	})
}
