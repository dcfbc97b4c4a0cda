package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline/config"
	"tipline/password"
	"tipline/pgcluster"
	"tipline/seal"
	"tipline/store"
)

// devDir holds everything dev keeps between runs (git-ignored).
const devDir = ".tipline"

func runDev(ctx context.Context, args []string, e env) error {
	if len(args) > 0 {
		fmt.Fprintln(e.stderr, "usage: tipline dev (no options; settings from the environment are honoured)")
		return errUsage
	}
	cfg, err := config.Load(e.getenv, config.ModeDev)
	if err != nil {
		return err
	}
	setupLogging(e.stderr, cfg)
	if err := os.MkdirAll(devDir, 0o755); err != nil {
		return err
	}
	lock, err := lockDev()
	if err != nil {
		return err
	}
	defer lock.release()
	p := &progress{w: e.stdout, start: time.Now()}
	if cfg.DatabaseURL == "" {
		url, release, err := acquireDevCluster(ctx, p.step)
		if err != nil {
			return err
		}
		defer func() {
			if stopped, err := release(); err != nil {
				fmt.Fprintln(e.stderr, err)
			} else if stopped {
				fmt.Fprintln(e.stdout, "dev: private PostgreSQL stopped")
			}
		}()
		cfg.DatabaseURL = url
	}
	if cfg.SecretKey == "" {
		if cfg.SecretKey, err = devSecretKey(); err != nil {
			return err
		}
	}
	if cfg.PublicURL == "" {
		cfg.PublicURL = "http://" + strings.Replace(cfg.ListenAddr, "0.0.0.0", "127.0.0.1", 1)
	}
	login, err := prepareDevData(ctx, cfg, p)
	if err != nil {
		return err
	}
	done := p.step("starting the service (resource directory, geocoder, channels)")
	return serve(ctx, cfg, e, true, func(addr string) {
		done()
		lock.write(addr)
		printBanner(e, addr, login, time.Since(p.start))
	})
}

// acquireDevCluster starts (or joins) the private PostgreSQL under
// ./.tipline/postgres, makes sure the tipline database exists and returns
// its URL; release stops the server unless another process of this folder
// still uses it. step (may be nil) reports the slow steps.
func acquireDevCluster(ctx context.Context, step pgcluster.Progress) (string, func() (bool, error), error) {
	cl, release, err := pgcluster.Acquire(ctx, filepath.Join(devDir, "postgres"), step)
	if err != nil {
		return "", nil, err
	}
	if err := ensureDevDatabase(ctx, cl); err != nil {
		_, _ = release()
		return "", nil, err
	}
	return cl.URL("tipline"), release, nil
}

// startDevCluster starts the private PostgreSQL under ./.tipline/postgres
// and makes sure the tipline database exists.
func startDevCluster(ctx context.Context) (*pgcluster.Cluster, error) {
	cl, err := pgcluster.Start(ctx, filepath.Join(devDir, "postgres"))
	if err != nil {
		return nil, err
	}
	if err := ensureDevDatabase(ctx, cl); err != nil {
		_ = cl.Stop()
		return nil, err
	}
	return cl, nil
}

// ensureDevDatabase creates the tipline database on first use.
func ensureDevDatabase(ctx context.Context, cl *pgcluster.Cluster) error {
	conn, err := pgx.Connect(ctx, cl.URL("postgres"))
	if err != nil {
		return fmt.Errorf("connect to the private PostgreSQL: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'tipline')`).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		if _, err := conn.Exec(ctx, `CREATE DATABASE tipline`); err != nil {
			return fmt.Errorf("create database: %w", err)
		}
	}
	return nil
}

// devSecretKey reads ./.tipline/secret.key, creating it on first use.
func devSecretKey() (string, error) {
	p := filepath.Join(devDir, "secret.key")
	if b, err := os.ReadFile(p); err == nil {
		return strings.TrimSpace(string(b)), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return "", err
	}
	k := seal.GenerateKey()
	return k, os.WriteFile(p, []byte(k+"\n"), 0o600)
}

// devLogin is the staff login dev reports.
type devLogin struct {
	email, password string // password empty when it was printed on an earlier run
}

// prepareDevData migrates and seeds: demo cases and the first staff login.
func prepareDevData(ctx context.Context, cfg *config.Config, p *progress) (devLogin, error) {
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return devLogin{}, err
	}
	defer pool.Close()
	ms, err := store.LoadMigrations(migrationsFS)
	if err != nil {
		return devLogin{}, err
	}
	done := p.step("applying migrations")
	if _, err := store.Migrate(ctx, pool, ms); err != nil {
		return devLogin{}, err
	}
	done()
	done = p.step("seeding the demo cases and the first staff login")
	defer done()
	if err := seedDemo(ctx, pool); err != nil {
		return devLogin{}, err
	}
	return ensureDevLogin(ctx, pool)
}

const devEmail = "admin@tipline.local"

func ensureDevLogin(ctx context.Context, db store.DBTX) (devLogin, error) {
	if _, err := store.StaffByEmail(ctx, db, devEmail); err == nil {
		return devLogin{email: devEmail}, nil
	}
	pw := password.Generate()
	hash, err := password.Hash(pw)
	if err != nil {
		return devLogin{}, err
	}
	if _, err := store.CreateStaff(ctx, db, devEmail, store.RoleAdmin, hash); err != nil {
		return devLogin{}, err
	}
	return devLogin{email: devEmail, password: pw}, nil
}

func seedDemo(ctx context.Context, db store.DBTX) error {
	n, err := store.CountCases(ctx, db)
	if err != nil || n > 0 {
		return err
	}
	age14, age16 := 14, 16
	seen := time.Now().Add(-72 * time.Hour).Truncate(time.Hour)
	demo := []store.Case{
		{Number: "DEMO-1001", DisplayName: "Jordan (demo)", Age: &age14, Sex: "F", Public: true,
			Description: "Demo case for training: 5'2\", dark curly hair, purple backpack.", LastSeenPlace: "Port Authority Bus Terminal, New York, NY", LastSeenAt: &seen},
		{Number: "DEMO-1002", DisplayName: "Alex (demo)", Age: &age16, Sex: "M", Public: true,
			Description: "Demo case for training: tall, red hoodie, skateboard.", LastSeenPlace: "Downtown Houston, TX", LastSeenAt: &seen},
		{Number: "DEMO-1003", DisplayName: "Private demo", Age: &age14, Sex: "F", Public: false,
			Description: "Demo of a private case: tipsters who name it get the same answer as for an unknown case."},
	}
	for _, c := range demo {
		if _, err := store.CreateCase(ctx, db, c); err != nil {
			return err
		}
	}
	return nil
}

func printBanner(e env, addr string, login devLogin, took time.Duration) {
	base := "http://" + addr
	fmt.Fprintf(e.stdout, "\nTipline is running (dev mode, ready in %s)\n", took.Round(100*time.Millisecond))
	fmt.Fprintf(e.stdout, "  dashboard: %s/staff/\n  simulator: %s/sim/\n  health:    %s/healthz\n", base, base, base)
	if login.password != "" {
		fmt.Fprintf(e.stdout, "  staff login (shown once): %s  password: %s\n", login.email, login.password)
	} else {
		fmt.Fprintf(e.stdout, "  staff login: %s (its password was shown on the first run; make another with 'tipline staff add')\n", login.email)
	}
	fmt.Fprintln(e.stdout, "Press Ctrl-C to stop.")
}
