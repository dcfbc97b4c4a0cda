package faulttest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"tipline/bench"
	"tipline/pgcluster"
	"tipline/testdb"
)

// needBalancer skips unless the fault tests run and HAProxy or nginx is
// installed (.ci/run installs haproxy).
func needBalancer(t *testing.T) {
	t.Helper()
	if !on() {
		t.Skip("fault test: run with -faulttest or TIPLINE_FAULTTEST=1 (.ci/run does)")
	}
	if !bench.HaveBalancer() {
		t.Skip("no load balancer: apt-get install -y haproxy (or nginx)")
	}
}

// TestBenchThreeInstances runs `tipline bench --spawn --instances 3`
// briefly: one instance, then three behind the balancer; both runs keep
// every accepted message once and send every reply once, and the report
// carries the balancer's configuration and the ratio.
func TestBenchThreeInstances(t *testing.T) {
	needBalancer(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	r, _ := benchReport(ctx, t, "--spawn", "--instances", "3", "--messages", "400",
		"--senders", "60", "--concurrency", "6", "--think", "100ms")
	if r.Instances != 3 || r.Balancer == nil || !strings.Contains(r.Balancer.Config, "roundrobin") &&
		!strings.Contains(r.Balancer.Config, "upstream") {
		t.Fatalf("report without three instances behind a balancer: %d instances, %+v", r.Instances, r.Balancer)
	}
	if r.OneInstance == nil || r.Scale == nil || r.Scale.Rate <= 0 {
		t.Fatalf("report without the one-instance run and its ratio: %+v", r.Scale)
	}
	for name, run := range map[string]*bench.Report{"three instances": &r, "one instance": r.OneInstance} {
		c := run.Check
		if c == nil {
			t.Fatalf("%s: no check", name)
		}
		t.Logf("%s: %.0f msg/s; check %+v", name, run.Rate, *c)
		if !run.CheckOK || c.Lost != 0 || c.StoredTwice != 0 || c.Doubled != 0 || c.Accepted < 400 {
			t.Errorf("%s: %d accepted, %d lost, %d stored twice, %d doubled (check ok: %v)",
				name, c.Accepted, c.Lost, c.StoredTwice, c.Doubled, run.CheckOK)
		}
	}
	t.Logf("ratio: %+v", *r.Scale)
}

// benchReport runs `tipline bench` with args as JSON and returns its
// report and what it printed on stderr. A run that failed is an error of
// t; no PostgreSQL server binaries skip t.
func benchReport(ctx context.Context, t *testing.T, args ...string) (bench.Report, string) {
	t.Helper()
	cmd := exec.CommandContext(ctx, binary, append(append([]string{"bench"}, args...), "--json", "--progress=false")...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var r bench.Report
	if jerr := json.Unmarshal(out.Bytes(), &r); jerr != nil {
		if strings.Contains(errOut.String(), "no PostgreSQL server binaries") {
			t.Skip("no PostgreSQL server binaries for a private cluster")
		}
		t.Fatalf("tipline bench: %v (%v)\n%s", err, jerr, errOut.String())
	}
	if err != nil {
		t.Errorf("tipline bench: %v\n%s", err, errOut.String())
	}
	return r, errOut.String()
}

// TestKillOneBehindBalancer kills one of three instances behind the
// balancer mid-load and starts it again: the balancer answers what the
// dead instance held with an error, the load tool retries as providers do,
// and nothing is lost or doubled.
func TestKillOneBehindBalancer(t *testing.T) {
	needBalancer(t)
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	st, err := bench.StartStack(ctx, bench.StackConfig{Binary: binary, Instances: 3, Balancer: true,
		Database: testdb.DurableURL(t), Settings: fast})
	if errors.Is(err, pgcluster.ErrNoBinaries) {
		t.Skip("no PostgreSQL server binaries")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(st.Close)
	bg := context.Background()
	ld := bench.NewLoad(bg, st, bench.Options{Concurrency: 8, Senders: 50, NewShare: 0.2, DupShare: 0.05,
		Think: 100 * time.Millisecond, Seed: 19})
	ld.Warm(bg)
	done := make(chan struct{})
	go func() {
		ld.Run(bg, 900)
		close(done)
	}()
	waitUnique(t, ld, 300, done)
	svc := st.Services[1]
	svc.Kill()
	t.Logf("killed instance 2 after %d accepted messages", ld.Stats().Unique)
	time.Sleep(2 * time.Second) // the balancer's health check marks it down
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	<-done
	t.Logf("load: %+v", ld.Stats())
	c := verify(t, st, ld, 3*time.Minute)
	if c.Accepted < 900 {
		t.Errorf("only %d messages accepted", c.Accepted)
	}
}
