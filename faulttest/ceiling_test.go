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
// once.
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
	if strings.Count(stderr, "bench: round ") != 3 {
		t.Errorf("progress without its three rounds:\n%s", stderr)
	}
	t.Logf("end to end %.0f msg/s, ceiling %.0f msg/s (%.0f%%)", r.EndToEnd.Rate, r.Ceiling.Rate, 100*r.CeilingRatio)
}
