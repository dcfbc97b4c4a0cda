package faulttest

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestBenchCeilingRounds runs `tipline bench --spawn --ceiling` briefly:
// the timed run and the ceiling take turns in three rounds on their own
// databases, the ceiling sends as many messages as the run accepted, and
// the run still keeps every accepted message once and sends every reply
// once. The ceiling writes the run's own replies and states, so their
// average sizes are within a fifth of the run's.
func TestBenchCeilingRounds(t *testing.T) {
	if !on() {
		t.Skip("fault test: run with -faulttest or TIPLINE_FAULTTEST=1 (.ci/run does)")
	}
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	r, stderr := benchReport(ctx, t, "--spawn", "--ceiling", "--duration", "6s",
		"--senders", "60", "--concurrency", "6", "--think", "100ms")
	if r.CeilingRounds != 3 || r.Ceiling == nil || r.EndToEnd == nil {
		t.Fatalf("report without three rounds of the run and the ceiling: rounds %d, ceiling %+v", r.CeilingRounds, r.Ceiling)
	}
	if r.Ceiling.Messages != r.Messages || r.Messages == 0 || r.CeilingRatio <= 0 {
		t.Errorf("the ceiling sent %d messages for the run's %d (ratio %.2f)", r.Ceiling.Messages, r.Messages, r.CeilingRatio)
	}
	if c := r.Check; c == nil || !r.CheckOK || c.Lost != 0 || c.StoredTwice != 0 || c.Doubled != 0 {
		t.Errorf("check: %+v (ok: %v)", c, r.CheckOK)
	}
	if a, b := r.Ceiling.Rows, r.Ceiling.RunRows; a == nil || b == nil {
		t.Errorf("report without the row sizes of the ceiling and the run")
	} else if !near(a.Reply, b.Reply) || !near(a.State, b.State) {
		t.Errorf("the ceiling wrote other rows than the run: a reply %.0f bytes and a state %.0f, the run's %.0f and %.0f",
			a.Reply, a.State, b.Reply, b.State)
	} else {
		t.Logf("rows: a reply %.0f bytes and a state %.0f, the run's %.0f and %.0f", a.Reply, a.State, b.Reply, b.State)
	}
	if strings.Count(stderr, "bench: round ") != 3 {
		t.Errorf("progress without its three rounds:\n%s", stderr)
	}
	t.Logf("end to end %.0f msg/s, ceiling %.0f msg/s (%.0f%%)", r.EndToEnd.Rate, r.Ceiling.Rate, 100*r.CeilingRatio)
}

// near says whether a is within a fifth of b.
func near(a, b float64) bool {
	return b > 0 && a >= 0.8*b && a <= 1.2*b
}
