package main

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"tipline/config"
	"tipline/server"
)

// app is what wire builds: the routes to mount and the background loops to
// run (delivery workers, pollers, schedules) until shutdown.
type app struct {
	routes  []server.Route
	runners []func(ctx context.Context)
}

// wire builds every part from the configuration. It is the one place that
// knows all the packages.
func wire(ctx context.Context, cfg *config.Config, pool *pgxpool.Pool, reg *prometheus.Registry, dev bool) (*app, error) {
	a := &app{}
	return a, nil
}
