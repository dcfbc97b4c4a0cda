package pgcluster

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestStartStopStartAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("runs initdb (-short)")
	}
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

// TestAcquireLastUserStops: two users of one folder share the server (the
// second reuses the running one, on the same port, with no slow step);
// the first to release leaves it running for the other, the last stops it.
func TestAcquireLastUserStops(t *testing.T) {
	if testing.Short() {
		t.Skip("runs initdb (-short)")
	}
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
	var steps []string
	a, releaseA, err := Acquire(ctx, base, func(s string) func() { steps = append(steps, s); return func() {} })
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 2 {
		t.Errorf("a cold start reported %q, want initdb and start", steps)
	}
	steps = nil
	b, releaseB, err := Acquire(ctx, base, func(s string) func() { steps = append(steps, s); return func() {} })
	if err != nil {
		t.Fatal(err)
	}
	if len(steps) != 0 {
		t.Errorf("joining a running server reported %q", steps)
	}
	if a.Port != b.Port {
		t.Fatalf("the second user moved the server from %d to %d", a.Port, b.Port)
	}
	if stopped, err := releaseA(); stopped || err != nil {
		t.Fatalf("first release stopped the server in use (%v)", err)
	}
	if !b.running() {
		t.Fatal("server gone while the second user holds it")
	}
	if stopped, err := releaseB(); !stopped || err != nil {
		t.Fatalf("last release left the server running (%v)", err)
	}
}
