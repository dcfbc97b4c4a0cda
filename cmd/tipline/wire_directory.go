package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/bot"
	"tipline/schedule"
	"tipline/store"
)

// directoryVersion changes whenever a resource row changes.
const directoryVersionSQL = `SELECT count(*)::text || ':' || coalesce(max(updated_at)::text, '') FROM resources`

// directoryReloadEvery is how soon a resource staff verify reaches the bot.
const directoryReloadEvery = 30 * time.Second

// directoryJob keeps this instance's copy of the directory in step with
// what staff verify on the dashboard: every interval it checks whether
// resources changed and, if so, swaps in an engine over the new directory.
// Every instance keeps its own copy, so it runs per instance.
func directoryJob(pool *pgxpool.Pool, b *bot.Bot) schedule.Job {
	var seen string
	_ = pool.QueryRow(context.Background(), directoryVersionSQL).Scan(&seen)
	return schedule.Job{Name: "directory-reload", Every: directoryReloadEvery, PerInstance: true,
		Run: func(ctx context.Context, _ time.Time) error {
			var v string
			if err := pool.QueryRow(ctx, directoryVersionSQL).Scan(&v); err != nil || v == seen {
				return err
			}
			dir, err := store.LoadDirectory(ctx, pool)
			if err != nil {
				return err
			}
			next := *b.Engine()
			next.Dir = dir
			b.SetEngine(&next)
			seen = v
			slog.Info("resource directory reloaded")
			return nil
		}}
}

// wireSchedule adds the directory reload to the scheduled jobs and one
// runner for all of them; wire calls it before any early return, and the
// runner reads a.jobs when it starts, so jobs added later still run.
func wireSchedule(a *app, pool *pgxpool.Pool) {
	a.jobs = append(a.jobs, directoryJob(pool, a.bot))
	a.runners = append(a.runners, func(ctx context.Context) {
		(&schedule.Scheduler{Pool: pool, Jobs: a.jobs}).Run(ctx)
	})
}
