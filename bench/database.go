package bench

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/pgcluster"
)

// Database is a fresh database for one run: on a private PostgreSQL
// cluster in a temporary directory, or created on a given server (and
// dropped afterwards).
type Database struct {
	URL     string // the fresh database
	Private bool   // on a private cluster of the run's own
	Cluster *pgcluster.Cluster
	created bool // created by NewDatabase on a server: dropped by Close
	admin   string
	name    string
	dir     string
}

// NewDatabase creates a fresh database on the server at adminURL, or, when
// adminURL is "", on a private cluster started under a temporary directory.
func NewDatabase(ctx context.Context, adminURL string) (*Database, error) {
	d := &Database{name: "tipline_bench_" + randomHex(4), admin: adminURL}
	if adminURL == "" {
		dir, err := os.MkdirTemp("", "tipline-bench-")
		if err != nil {
			return nil, err
		}
		d.dir, d.Private = dir, true
		cl, err := pgcluster.Start(ctx, dir)
		if err != nil {
			_ = os.RemoveAll(dir)
			return nil, err
		}
		d.Cluster, d.admin = cl, cl.SocketURL("postgres")
	}
	if err := d.create(ctx); err != nil {
		d.Close()
		return nil, err
	}
	d.created = !d.Private
	return d, nil
}

// Sibling creates another fresh database on d's server, which its Close
// drops (close it before d).
func (d *Database) Sibling(ctx context.Context, suffix string) (*Database, error) {
	s := &Database{name: d.name + "_" + suffix, admin: d.admin}
	if err := s.create(ctx); err != nil {
		return nil, err
	}
	s.created = true
	return s, nil
}

// create creates the database d.name and sets d.URL.
func (d *Database) create(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, d.admin)
	if err != nil {
		return fmt.Errorf("bench: connect to PostgreSQL: %w", redactURL(err, d.admin))
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{d.name}.Sanitize()); err != nil {
		return fmt.Errorf("bench: create database: %w", err)
	}
	u, err := url.Parse(d.admin)
	if err != nil {
		return err
	}
	u.Path = "/" + d.name
	d.URL = u.String()
	return nil
}

// Close drops the database, and stops and removes a private cluster.
func (d *Database) Close() {
	if d.created {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if conn, err := pgx.Connect(ctx, d.admin); err == nil {
			_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{d.name}.Sanitize()+" WITH (FORCE)")
			conn.Close(ctx)
		}
	}
	if d.Cluster != nil {
		_ = d.Cluster.Stop()
	}
	if d.dir != "" {
		_ = os.RemoveAll(d.dir)
	}
}

// Restart stops a private cluster (fast shutdown: sessions are ended),
// keeps it down for a while, and starts it again on the same port (fault
// tests). It is an error on a shared server.
func (d *Database) Restart(ctx context.Context, down time.Duration) error {
	if d.Cluster == nil {
		return errors.New("bench: only a private cluster may be restarted")
	}
	if err := d.Cluster.Stop(); err != nil {
		return err
	}
	time.Sleep(down)
	return startAgain(ctx, d.Cluster)
}

// Pool opens a small pool on the database.
func (d *Database) Pool(ctx context.Context, size int32) (*pgxpool.Pool, error) {
	return openPool(ctx, d.URL, size)
}

func openPool(ctx context.Context, dbURL string, size int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return nil, errors.New("bench: invalid database URL")
	}
	cfg.MaxConns, cfg.MinConns = size, min(size, 2)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("bench: open pool: %w", redactURL(err, dbURL))
	}
	return pool, nil
}

// durable refuses a server that does not make commits durable: numbers
// without fsync or synchronous_commit are not the numbers of a tip line.
func durable(ctx context.Context, pool *pgxpool.Pool) error {
	var fsync, sync string
	if err := pool.QueryRow(ctx, "SELECT current_setting('fsync'), current_setting('synchronous_commit')").Scan(&fsync, &sync); err != nil {
		return fmt.Errorf("bench: read settings: %w", err)
	}
	if fsync != "on" || sync == "off" {
		return fmt.Errorf("bench: refusing to run with fsync=%s synchronous_commit=%s: commits would not be durable", fsync, sync)
	}
	return nil
}

// serverInfo returns the PostgreSQL version and the postmaster's pid (0
// when the server is not on this machine).
func serverInfo(ctx context.Context, pool *pgxpool.Pool) (version string, postmaster int) {
	var backend int
	if err := pool.QueryRow(ctx, "SELECT current_setting('server_version'), pg_backend_pid()").Scan(&version, &backend); err != nil {
		return "", 0
	}
	if _, _, ppid, ok := procTimes(backend); ok {
		if exe, err := os.Readlink(fmt.Sprintf("/proc/%d/exe", ppid)); err == nil && strings.Contains(exe, "postgres") {
			return version, ppid
		}
	}
	return version, 0
}

// redactURL keeps a connection URL's password out of an error.
func redactURL(err error, dbURL string) error {
	u, perr := url.Parse(dbURL)
	if perr != nil || u.User == nil {
		return err
	}
	if p, ok := u.User.Password(); ok && p != "" {
		return errors.New(strings.ReplaceAll(err.Error(), p, "***"))
	}
	return err
}

// commitProbe returns the median time of a durable one-row commit, alone.
func commitProbe(ctx context.Context, pool *pgxpool.Pool) float64 {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return 0
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "CREATE TABLE IF NOT EXISTS bench_commit_probe (n int)"); err != nil {
		return 0
	}
	ds := make([]time.Duration, 0, 100)
	for i := range 100 {
		start := time.Now()
		if _, err := conn.Exec(ctx, "INSERT INTO bench_commit_probe VALUES ($1)", i); err != nil {
			return 0
		}
		ds = append(ds, time.Since(start))
	}
	_, _ = conn.Exec(ctx, "DROP TABLE bench_commit_probe")
	slices.Sort(ds)
	return ms(ds[len(ds)/2])
}
