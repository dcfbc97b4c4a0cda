package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"tipline/bot"
	"tipline/config"
	"tipline/directory"
	"tipline/flows"
	"tipline/schedule"
	"tipline/seal"
	"tipline/server"
	"tipline/store"
)

// app is what wire builds: the routes to mount and the background loops to
// run (delivery workers, pollers, schedules) until shutdown.
type app struct {
	routes  []server.Route
	runners []func(ctx context.Context)
	jobs    []schedule.Job // periodic jobs, run by one scheduler (wireSchedule)
	bot     *bot.Bot
	worker  *bot.Worker
	keys    *seal.Keys
	// requireStaff is the dashboard's login middleware (set by wireStaff,
	// which runs before wireSim); nil keeps /sim/ unmounted outside dev.
	requireStaff func(http.Handler) http.Handler
}

// wire builds every part from the configuration. It is the one place that
// knows all the packages.
func wire(ctx context.Context, cfg *config.Config, pool *pgxpool.Pool, reg *prometheus.Registry, dev bool) (*app, error) {
	keys, err := seal.ParseKeys(cfg.SecretKey, cfg.PrevKeys)
	if err != nil {
		return nil, fmt.Errorf("TIPLINE_SECRET_KEY: %w", err)
	}
	if err := store.SeedResourcesIfEmpty(ctx, pool); err != nil {
		return nil, err
	}
	if err := directory.Preload(); err != nil {
		return nil, err
	}
	dir, err := store.LoadDirectory(ctx, pool)
	if err != nil {
		return nil, err
	}
	engine := &flows.Engine{Dir: dir, TZ: cfg.Timezone, Timeout: cfg.FlowTimeout}
	metrics := bot.NewMetrics(reg)
	b := bot.New(pool, keys, engine, nil, metrics)
	b.DashboardURL = cfg.PublicURL
	w := &bot.Worker{Pool: pool, Keys: keys, Metrics: metrics,
		Senders: map[string]bot.Sender{"sim": bot.SimSender{}}, Pages: map[string]string{}}
	a := &app{bot: b, worker: w}
	if cfg.TelegramEnabled() {
		if err := wireTelegram(ctx, a, cfg, pool, dev); err != nil {
			return nil, err
		}
	}
	if cfg.TwilioEnabled() {
		if err := wireTwilio(a, cfg); err != nil {
			return nil, err
		}
	}
	a.keys = keys
	if err := wireSightings(a, cfg); err != nil {
		return nil, err
	}
	if err := wireStaff(a, cfg, pool, dev); err != nil {
		return nil, err
	}
	if err := wireSim(a, cfg, pool, dev); err != nil {
		return nil, err
	}
	if err := wirePrivacy(a, cfg, pool); err != nil {
		return nil, err
	}
	wireSchedule(a, pool)
	if wireBench(a) {
		return a, nil // TIPLINE_DELIVERY=off: no delivery worker (tipline bench)
	}
	a.runners = append(a.runners, func(ctx context.Context) { w.Run(ctx, b.Wake(), time.Second) })
	return a, nil
}
