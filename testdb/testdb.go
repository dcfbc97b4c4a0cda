// Package testdb gives each test a fresh, migrated PostgreSQL database of
// its own and drops it when the test ends. The server is, in order:
// TEST_DATABASE_URL, DATABASE_URL, the server on 127.0.0.1:5432 (user
// postgres), or a private cluster started from the machine's binaries.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/migrations"
	"tipline/pgcluster"
	"tipline/store"
)

var (
	adminOnce sync.Once
	adminURL  string
	adminErr  error
)

// server returns the admin URL of the server tests use.
func server() (string, error) {
	adminOnce.Do(func() {
		for _, k := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
			if v := os.Getenv(k); v != "" {
				adminURL = v
				return
			}
		}
		local := "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable&connect_timeout=5"
		if c, err := net.DialTimeout("tcp", "127.0.0.1:5432", time.Second); err == nil {
			c.Close()
			if conn, err := pgx.Connect(context.Background(), local); err == nil {
				conn.Close(context.Background())
				adminURL = local
				return
			}
		}
		dir := filepath.Join(os.TempDir(), "tipline-testdb")
		cl, err := pgcluster.Start(context.Background(), dir)
		if err != nil {
			adminErr = err
			return
		}
		adminURL = cl.URL("postgres")
	})
	return adminURL, adminErr
}

// URL creates a fresh migrated database and returns its connection URL;
// the database is dropped when t ends.
func URL(t testing.TB) string {
	t.Helper()
	admin, err := server()
	if err != nil {
		t.Fatalf("testdb: no PostgreSQL: %v", err)
	}
	ctx := context.Background()
	name := "tipline_test_" + randomHex(6)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("testdb: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		t.Fatalf("testdb: create database: %v", err)
	}
	t.Cleanup(func() { drop(admin, name) })
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("testdb: parse admin URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

// New returns a pool on a fresh database with every migration applied.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return NewWithMigrations(t, true)
}

// NewWithMigrations returns a pool on a fresh database, migrated or empty.
func NewWithMigrations(t testing.TB, migrate bool) *pgxpool.Pool {
	t.Helper()
	ctx := context.Background()
	pool, err := store.Open(ctx, URL(t))
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(pool.Close)
	if migrate {
		ms, err := store.LoadMigrations(migrations.FS)
		if err != nil {
			t.Fatalf("testdb: %v", err)
		}
		if _, err := store.Migrate(ctx, pool, ms); err != nil {
			t.Fatalf("testdb: migrate: %v", err)
		}
	}
	return pool
}

func drop(admin, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		fmt.Fprintf(os.Stderr, "testdb: drop %s: %v\n", name, err)
		return
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)"); err != nil {
		fmt.Fprintf(os.Stderr, "testdb: drop %s: %v\n", name, err)
	}
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
