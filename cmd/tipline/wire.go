package main

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"tipline"
	"tipline/bot"
	"tipline/config"
	"tipline/directory"
	"tipline/flows"
	"tipline/outbox"
	"tipline/schedule"
	"tipline/seal"
	"tipline/server"
	"tipline/store"
)

// deliveryGather is how long the delivery worker lets replies gather
// between claims while earlier ones are still being sent: at hundreds of
// replies a second, claims of many rows instead of three or four (11.6
// on average at 20 ms), for at most this much more wait before an
// ordinary reply goes out.
// Crisis replies and pages end the wait (bot.UrgentWake); an idle worker
// claims at once. 40 ms rather than 20: the worker's claims and grouped
// statements are fuller, and end to end the machine spent about a tenth
// less CPU per message (docs/benchmarks.md, issue 19, ninth part); 80 ms
// was slower.
const deliveryGather = 40 * time.Millisecond

// app is what wire builds: the routes to mount and the background loops to
// run (delivery workers, pollers, schedules) until shutdown.
type app struct {
	routes  []server.Route
	runners []func(ctx context.Context)
	jobs    []schedule.Job // periodic jobs, run by one scheduler (wireSchedule)
	bot     *bot.Bot
	worker  *outbox.Worker
	keys    *seal.Keys
	// providers are the wired channels' providers, shared by the turn and
	// the outbox (addProvider).
	providers map[tipline.Channel]tipline.Provider
	// requireStaff is the dashboard's login middleware (set by wireStaff,
	// which runs before wireSim); nil keeps /sim/ unmounted outside dev.
	requireStaff func(http.Handler) http.Handler
	// degraded answers webhooks while the database is unreachable
	// (wireSpool, docs/design.md rule 16).
	degraded *bot.Degraded
}

// wire builds every part from the configuration. It is the one place that
// knows all the packages.
func wire(ctx context.Context, cfg *config.Config, pool *pgxpool.Pool, reg *prometheus.Registry, dev bool) (*app, error) {
	keys, err := seal.ParseKeys(cfg.SecretKey, cfg.PrevKeys)
	if err != nil {
		return nil, fmt.Errorf("TIPLINE_SECRET_KEY: %w", err)
	}
	// Every audit row this process writes is chained and signed.
	store.UseAuditKeys(store.NewAuditKeys(keys))
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
	b.Pager.DashboardURL = cfg.PublicURL
	b.Hours = cfg.StaffHours
	providers := map[tipline.Channel]tipline.Provider{}
	b.Providers = providers
	w := &outbox.Worker{Pool: pool, Keys: keys, Metrics: outbox.NewMetrics(reg),
		Providers: providers, Pages: map[string]string{}, Pager: &b.Pager,
		Gather: deliveryGather, Urgent: b.UrgentWake()}
	a := &app{bot: b, worker: w, keys: keys, providers: providers}
	if err := wireSpool(a, cfg, reg); err != nil {
		return nil, err
	}
	if err := wireChannels(ctx, a, cfg, pool, dev); err != nil {
		return nil, err
	}
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
	wireHSDS(a, cfg, pool)
	wireGallery(a, cfg, pool)
	wireSchedule(a, pool)
	if wireBench(a) {
		return a, nil // TIPLINE_DELIVERY=off: no delivery worker (tipline bench)
	}
	a.runners = append(a.runners, func(ctx context.Context) { w.Run(ctx, b.Wake(), time.Second) })
	return a, nil
}

// channels names the wired channels, sorted (for the outbox metrics).
func (a *app) channels() []string {
	var out []string
	for c := range a.providers {
		out = append(out, string(c))
	}
	slices.Sort(out)
	return out
}
