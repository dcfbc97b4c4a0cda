package main

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
	"tipline/privacy"
)

// wirePrivacy adds the retention schedule (purge) and provider-copy
// redaction to the service: every instance runs the scheduler, and the
// purge advisory lock lets one of them work at a time.
func wirePrivacy(a *app, cfg *config.Config, pool *pgxpool.Pool) error {
	s := &privacy.Scheduler{Pool: pool, Retention: privacy.RetentionFrom(cfg)}
	if cfg.TwilioEnabled() {
		client, err := newTwilioClient(cfg)
		if err != nil {
			return err
		}
		s.Redactor = client
	}
	a.runners = append(a.runners, s.Run)
	return nil
}
