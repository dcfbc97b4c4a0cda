package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/store"
)

func runMigrate(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	status := fs.Bool("status", false, "list migrations and whether each is applied")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	cfg, err := toolConfig(e)
	if err != nil {
		return err
	}
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	ms, err := store.LoadMigrations(migrationsFS)
	if err != nil {
		return err
	}
	if *status {
		return printStatus(ctx, e, pool, ms)
	}
	n, err := store.Migrate(ctx, pool, ms)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "applied %d migration(s); schema is at version %d\n", n, ms[len(ms)-1].Version)
	return nil
}

func printStatus(ctx context.Context, e env, pool *pgxpool.Pool, ms []store.Migration) error {
	list, current, err := store.SchemaStatus(ctx, pool, ms)
	if err != nil {
		return err
	}
	for _, m := range list {
		mark := "pending"
		if m.Applied {
			mark = "applied"
		}
		fmt.Fprintf(e.stdout, "%04d  %-8s %s\n", m.Version, mark, m.Name)
	}
	if current {
		fmt.Fprintln(e.stdout, "schema is current")
	}
	return nil
}
