package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/config"
	"tipline/privacy"
	"tipline/schedule"
	"tipline/store"
	"tipline/twilio"
)

// runPurge applies the retention rules now (`serve` also does it on a
// schedule) and redacts the provider copies that are due. It waits while
// another instance purges, so the two never delete the same rows.
func runPurge(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("purge", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	wait := fs.Duration("wait", 10*time.Minute, "how long to wait while another instance is purging")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	cfg, err := toolConfig(e)
	if err != nil {
		return err
	}
	pool, err := openCurrent(ctx, cfg)
	if err != nil {
		return err
	}
	defer pool.Close()
	jobs := privacy.Jobs{Pool: pool, Retention: privacy.RetentionFrom(cfg)}
	if cfg.TwilioEnabled() {
		client, err := newTwilioClient(cfg)
		if err != nil {
			return err
		}
		jobs.Redactor = &twilio.Provider{Client: client}
	}
	lctx, cancel := context.WithTimeout(ctx, *wait)
	defer cancel()
	release, err := schedule.Hold(lctx, pool, privacy.Lock)
	if err != nil {
		return fmt.Errorf("another instance is still purging after %s: %w", *wait, err)
	}
	defer release()
	now := time.Now()
	if jobs.Redactor != nil {
		rc, err := jobs.Redact(ctx, now)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "provider copies: %s\n", rc)
	}
	pc, err := jobs.Purge(ctx, now)
	if err != nil {
		return err
	}
	if err := schedule.MarkRun(ctx, pool, privacy.PurgeJob, now); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "purged: %s\n", pc)
	return purgeSpool(e.stdout, cfg, now)
}

// openCurrent opens the pool and refuses a database whose schema is not
// the one this binary knows.
func openCurrent(ctx context.Context, cfg *config.Config) (*pgxpool.Pool, error) {
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	ms, err := store.LoadMigrations(migrationsFS)
	if err != nil {
		pool.Close()
		return nil, err
	}
	_, current, err := store.SchemaStatus(ctx, pool, ms)
	if err == nil && !current {
		err = errors.New("the database schema is not current: run tipline migrate first")
	}
	if err != nil {
		pool.Close()
		return nil, err
	}
	return pool, nil
}

func newTwilioClient(cfg *config.Config) (*twilio.Client, error) {
	return twilio.NewClient(twilio.ClientConfig{AccountSID: cfg.TwilioAccountSID, AuthToken: cfg.TwilioAuthToken,
		From: cfg.TwilioFrom, APIURL: cfg.TwilioAPIURL, Transport: providerTransport})
}
