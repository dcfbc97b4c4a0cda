package main

import (
	"log/slog"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
	"tipline/server"
	"tipline/sim"
)

// wireSim mounts the simulator (/sim/) in dev, or with SIM_ENABLED behind
// a staff login. Its conversations go through the app's bot and are
// delivered by the app's worker (channel "sim").
func wireSim(a *app, cfg *config.Config, pool *pgxpool.Pool, dev bool) error {
	h := simHandler(a, pool, dev)
	switch {
	case dev:
		a.routes = append(a.routes, server.Route{Pattern: "/sim/", Handler: h})
	case !cfg.SimEnabled:
		// not served outside dev unless asked for
	case a.requireStaff == nil:
		slog.Warn("SIM_ENABLED is set but no staff login is available to protect /sim/; the simulator is not served")
	default:
		a.routes = append(a.routes, server.Route{Pattern: "/sim/", Handler: a.requireStaff(h)})
	}
	return nil
}

func simHandler(a *app, pool *pgxpool.Pool, dev bool) http.Handler {
	return sim.NewHandler(sim.Config{Bot: a.bot, DB: pool, Keys: a.keys, SecureCookie: !dev})
}
