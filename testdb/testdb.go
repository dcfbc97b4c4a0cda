// Package testdb gives each test a fresh, migrated PostgreSQL database of
// its own (a copy of a template database migrated once, see create) and
// drops it when the test ends. The server is, in order:
// TEST_DATABASE_URL, DATABASE_URL, the server on 127.0.0.1:5432 (user
// postgres), or a private cluster started from the machine's binaries.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
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

// URL creates a fresh empty database (no migrations: the caller migrates)
// and returns its connection URL; the database is dropped when t ends.
func URL(t testing.TB) string {
	t.Helper()
	return create(t, false, false)
}

// MigratedURL creates a fresh database with every migration applied and
// returns its connection URL; the database is dropped when t ends.
func MigratedURL(t testing.TB) string {
	t.Helper()
	return create(t, true, false)
}

// DurableURL is MigratedURL for a database whose commits wait for the disk
// (synchronous_commit on), as in production: for fault tests that kill
// the service or the server and count what was kept, and for the load
// tool, which refuses a database without durable commits.
func DurableURL(t testing.TB) string {
	t.Helper()
	return create(t, true, true)
}

// New returns a pool on a fresh database with every migration applied.
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	return NewWithMigrations(t, true)
}

// NewWithMigrations returns a pool on a fresh database, migrated or empty.
func NewWithMigrations(t testing.TB, migrate bool) *pgxpool.Pool {
	t.Helper()
	pool, err := store.Open(context.Background(), create(t, migrate, false))
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// testPrefix starts the name of every test database, followed by its
// creation time (Unix seconds), so leftovers of killed runs can be found.
const testPrefix = "tipline_test_"

// create makes a database for t, migrated or empty, and returns its URL.
// A migrated one is a copy of a template database migrated once for all
// the test binaries that share the server (CREATE DATABASE … TEMPLATE),
// which costs a fraction of applying the migrations. Test databases commit
// without waiting for the disk (synchronous_commit off): a crash of the
// server may lose their last commits, which no test survives anyway
// (DurableURL keeps them durable for the fault tests).
func create(t testing.TB, migrated, durable bool) string {
	t.Helper()
	admin, err := server()
	if err != nil {
		t.Fatalf("testdb: no PostgreSQL: %v", err)
	}
	ctx := context.Background()
	name := fmt.Sprintf("%s%d_%s", testPrefix, time.Now().Unix(), randomHex(4))
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		t.Fatalf("testdb: connect: %v", err)
	}
	defer conn.Close(ctx)
	if migrated && useTemplate() {
		err = createFromTemplate(ctx, conn, admin, name)
	} else {
		_, err = conn.Exec(ctx, "CREATE DATABASE "+ident(name))
	}
	if err != nil {
		t.Fatalf("testdb: create database: %v", err)
	}
	t.Cleanup(func() { drop(admin, name) })
	if !durable {
		if _, err := conn.Exec(ctx, "ALTER DATABASE "+ident(name)+" SET synchronous_commit = off"); err != nil {
			t.Fatalf("testdb: %v", err)
		}
	}
	u := withDB(admin, name)
	if migrated && !useTemplate() {
		migrate(t, u)
	}
	return u
}

// migrate applies every migration to the database at u.
func migrate(t testing.TB, u string) {
	t.Helper()
	ctx := context.Background()
	pool, err := store.Open(ctx, u)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	defer pool.Close()
	ms, err := store.LoadMigrations(migrations.FS)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	if _, err := store.Migrate(ctx, pool, ms); err != nil {
		t.Fatalf("testdb: migrate: %v", err)
	}
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
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident(name)+" WITH (FORCE)"); err != nil {
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
