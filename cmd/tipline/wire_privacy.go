package main

import (
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
	"tipline/privacy"
)

// wirePrivacy schedules the retention purge and the provider-copy
// redaction: every instance schedules them, and the schedule's lock lets
// one of them work at a time.
func wirePrivacy(a *app, cfg *config.Config, pool *pgxpool.Pool) error {
	jobs := privacy.Jobs{Pool: pool, Retention: privacy.RetentionFrom(cfg)}
	for _, p := range a.providers {
		if p.Traits().KeepsBodies {
			jobs.Redactor = p // one such channel today: SMS
		}
	}
	a.jobs = append(a.jobs, jobs.Schedule()...)
	return nil
}
