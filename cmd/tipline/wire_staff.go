package main

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
)

// wireStaff mounts the dashboard (/staff/) and the JSON API (/api/v1/).
func wireStaff(a *app, cfg *config.Config, pool *pgxpool.Pool, dev bool) error {
	return nil
}
