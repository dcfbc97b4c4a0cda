package faulttest

import (
	"context"
	"testing"
	"time"

	"tipline/bench"
)

// TestKillAndRestartUnderLoad kills the service with SIGKILL in the middle
// of a load and starts it again; the load tool retries what got no 200, as
// the providers do. Afterwards every accepted message is stored once and
// every reply was sent once, or repeated only where a send's outcome was
// unknown (docs/design.md rule 8). Replies the dead process had claimed come back
// when their lease ends (60 s).
func TestKillAndRestartUnderLoad(t *testing.T) {
	t.Parallel()
	st := stack(t, false, 1, fast)
	ctx := context.Background()
	ld := bench.NewLoad(ctx, st, bench.Options{Concurrency: 8, Senders: 50, NewShare: 0.2, DupShare: 0.05,
		Think: 100 * time.Millisecond, Seed: 7})
	ld.Warm(ctx)
	done := make(chan struct{})
	go func() {
		ld.Run(ctx, 1200)
		close(done)
	}()
	for _, at := range []int{300, 700} {
		waitUnique(t, ld, at, done)
		svc := st.Services[0]
		svc.Kill()
		t.Logf("killed after %d accepted messages", ld.Stats().Unique)
		time.Sleep(300 * time.Millisecond) // requests in the meantime get no answer
		if err := svc.Start(ctx); err != nil {
			t.Fatal(err)
		}
	}
	<-done
	s := ld.Stats()
	t.Logf("load: %+v", s)
	if s.NoAnswer == 0 {
		t.Error("no request went unanswered: the kill did not land mid-load")
	}
	c := verify(t, st, ld, 3*time.Minute)
	if c.Accepted < 1200 {
		t.Errorf("only %d messages accepted", c.Accepted)
	}
}

// waitUnique waits until ld has n unique messages accepted.
func waitUnique(t *testing.T, ld *bench.Load, n int, done <-chan struct{}) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for ld.Stats().Unique < n {
		select {
		case <-done:
			t.Fatalf("the load ended before %d messages", n)
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d messages after 2 minutes (%s)", ld.Stats().Unique, n, ld.FirstError())
		}
	}
}
