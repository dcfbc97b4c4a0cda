package pgcluster

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestStartStopStartAgain(t *testing.T) {
	if _, err := Binaries(); err != nil {
		t.Skip("no PostgreSQL server binaries on this machine")
	}
	dir, err := os.MkdirTemp("", "tipline-pgcluster-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ctx := context.Background()
	base := filepath.Join(dir, "pg")
	for round := 0; round < 2; round++ {
		c, err := Start(ctx, base)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if c.Port == 5432 {
			t.Fatal("private cluster took the system port")
		}
		conn, err := pgx.Connect(ctx, c.URL("postgres"))
		if err != nil {
			t.Fatalf("round %d: connect: %v", round, err)
		}
		var addr string
		if err := conn.QueryRow(ctx, `SELECT current_setting('listen_addresses')`).Scan(&addr); err != nil || addr != "127.0.0.1" {
			t.Errorf("listens on %q (%v), want loopback only", addr, err)
		}
		conn.Close(ctx)
		if err := c.Stop(); err != nil {
			t.Fatalf("round %d: stop: %v", round, err)
		}
	}
}

func TestReuseRunningServer(t *testing.T) {
	if _, err := Binaries(); err != nil {
		t.Skip("no PostgreSQL server binaries on this machine")
	}
	dir, err := os.MkdirTemp("", "tipline-pgcluster-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ctx := context.Background()
	base := filepath.Join(dir, "pg")
	a, err := Start(ctx, base)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Stop()             //nolint:errcheck
	b, err := Start(ctx, base) // a previous run left it running
	if err != nil {
		t.Fatal(err)
	}
	if a.Port != b.Port {
		t.Fatalf("second start moved the server from %d to %d", a.Port, b.Port)
	}
}
