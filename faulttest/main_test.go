package faulttest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"tipline/bench"
	"tipline/pgcluster"
	"tipline/testdb"
)

var (
	enabled = flag.Bool("faulttest", false, "run the fault tests (they take minutes; also TIPLINE_FAULTTEST=1)")
	long    = flag.Bool("faulttest.long", false, "also run the long and timing-sensitive variants (a 30 s provider outage)")
)

// on says whether the fault tests run: `go test ./...` skips them (they
// take minutes); .ci/run asks for them.
func on() bool { return *enabled || *long || os.Getenv("TIPLINE_FAULTTEST") == "1" }

// fast lifts the provider rate limits (bench settings) so that delivery
// keeps up with the load.
var fast = map[string]string{"TWILIO_MPS": "1000", "TIPLINE_BENCH_TELEGRAM_RATE": "1000"}

// binary is the tipline binary the tests run, built once by TestMain.
var binary string

// TestMain builds the tipline binary the tests start, once, when the
// fault tests run.
func TestMain(m *testing.M) {
	flag.Parse()
	if !on() {
		os.Exit(m.Run()) // every test skips in stack
	}
	dir, err := os.MkdirTemp("", "tipline-faulttest-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "tipline")
	build := exec.Command("go", "build", "-o", binary, "tipline/cmd/tipline")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "faulttest: build tipline:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// stack starts instances of tipline serve on a fresh database of the
// shared test server (testdb), or on a private cluster of the test's own.
func stack(t *testing.T, private bool, instances int, settings map[string]string) *bench.Stack {
	t.Helper()
	if !on() {
		t.Skip("fault test: run with -faulttest or TIPLINE_FAULTTEST=1 (.ci/run does)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cfg := bench.StackConfig{Binary: binary, Instances: instances, Settings: settings}
	if !private {
		cfg.Database = testdb.DurableURL(t)
	}
	st, err := bench.StartStack(ctx, cfg)
	if errors.Is(err, pgcluster.ErrNoBinaries) {
		t.Skip("no PostgreSQL server binaries for a private cluster")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	return st
}

// verify drains the queue and checks the database and the providers.
func verify(t *testing.T, st *bench.Stack, ld *bench.Load, drain time.Duration) bench.Check {
	t.Helper()
	ctx := context.Background()
	if s := ld.Stats(); s.Abandoned > 0 {
		t.Errorf("%d deliveries never got a 200 (first failure: %s)", s.Abandoned, ld.FirstError())
	}
	if err := st.Drain(ctx, drain); err != nil {
		t.Fatal(err)
	}
	c, err := st.Check(ctx, ld)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("check: %+v", c)
	if c.Lost != 0 || c.StoredTwice != 0 {
		t.Errorf("%d accepted messages lost, %d stored twice", c.Lost, c.StoredTwice)
	}
	if c.Unanswered != 0 || c.Failed != 0 || c.Expired != 0 || c.Pending != 0 {
		t.Errorf("%d turns without a reply; %d replies failed, %d expired, %d pending", c.Unanswered, c.Failed, c.Expired, c.Pending)
	}
	if c.Doubled != 0 || c.NotReceived != 0 {
		t.Errorf("%d sends doubled beyond rule 8, %d recorded sent but never received", c.Doubled, c.NotReceived)
	}
	return c
}
