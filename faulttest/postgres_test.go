package faulttest

import (
	"context"
	"sync"
	"testing"
	"time"

	"tipline/bench"
)

// TestPostgresRestartUnderLoad restarts PostgreSQL (a private cluster of the
// test's own) in the middle of a load. /readyz must go unready and come
// back, the service must recover without a restart of its own, and nothing
// acknowledged may be lost: what failed while the database was away got no
// 200 and is delivered again by the load tool, as a provider would.
func TestPostgresRestartUnderLoad(t *testing.T) {
	t.Parallel()
	st := stack(t, true, 1, fast)
	ctx := context.Background()
	pid := st.Services[0].PID()
	ld := bench.NewLoad(ctx, st, bench.Options{Concurrency: 8, Senders: 50, NewShare: 0.2, DupShare: 0.05,
		Think: 200 * time.Millisecond, Seed: 11})
	ld.Warm(ctx)
	watch := watchReady(ctx, st)
	done := make(chan struct{})
	go func() {
		ld.Run(ctx, 800)
		close(done)
	}()
	waitUnique(t, ld, 300, done)
	if err := st.DB.Restart(ctx, 2*time.Second); err != nil {
		t.Fatal(err)
	}
	t.Logf("PostgreSQL restarted after %d accepted messages", ld.Stats().Unique)
	<-done
	time.Sleep(2 * time.Second) // /readyz is polled every 50 ms
	transitions := watch()
	t.Logf("load: %+v; /readyz: %v", ld.Stats(), transitions)
	if len(transitions) < 3 || transitions[0] != true || transitions[1] != false || transitions[len(transitions)-1] != true {
		t.Errorf("/readyz went %v, want ready, unready, …, ready", transitions)
	}
	if got := st.Services[0].PID(); got != pid {
		t.Errorf("the service was restarted (pid %d, then %d)", pid, got)
	}
	verify(t, st, ld, 3*time.Minute)
}

// watchReady polls /readyz of the first instance until the returned
// function is called, which returns the distinct states seen in order.
func watchReady(ctx context.Context, st *bench.Stack) func() []bool {
	var mu sync.Mutex
	var seen []bool
	stop := make(chan struct{})
	go func() {
		for {
			r := st.Ready(ctx, 0)
			mu.Lock()
			if len(seen) == 0 || seen[len(seen)-1] != r {
				seen = append(seen, r)
			}
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}()
	return func() []bool {
		close(stop)
		mu.Lock()
		defer mu.Unlock()
		return append([]bool(nil), seen...)
	}
}
