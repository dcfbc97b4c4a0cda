package password

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLimiterBoundsConcurrency: however many callers arrive at once, no
// more than the limiter's slots run together, and every caller runs.
func TestLimiterBoundsConcurrency(t *testing.T) {
	l := newLimiter(3)
	var running, peak, done atomic.Int32
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if err := l.acquire(context.Background()); err != nil {
				t.Error(err)
				return
			}
			n := running.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			running.Add(-1)
			done.Add(1)
			l.release()
		})
	}
	wg.Wait()
	if peak.Load() > 3 || done.Load() != 50 {
		t.Fatalf("peak %d of 3 slots, %d of 50 done", peak.Load(), done.Load())
	}
}

// TestVerifyWaitsForASlot: with every slot taken, VerifyContext gives up
// with ErrBusy when its context ends, and works once a slot is free.
func TestVerifyWaitsForASlot(t *testing.T) {
	h, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	for range MaxConcurrent() {
		if err := slots.acquire(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := VerifyContext(ctx, h, "correct horse battery"); !errors.Is(err, ErrBusy) {
		t.Errorf("all slots taken: got %v, want ErrBusy", err)
	}
	if err := VerifyDummy(ctx, "x"); !errors.Is(err, ErrBusy) {
		t.Errorf("the dummy check does not go through the slots: %v", err)
	}
	for range MaxConcurrent() {
		slots.release()
	}
	if ok, err := VerifyContext(context.Background(), h, "correct horse battery"); !ok || err != nil {
		t.Fatalf("after release: %v %v", ok, err)
	}
}

// TestSlotsFitTheBudget: the slots' working memory stays within the
// budget, and there is always at least one.
func TestSlotsFitTheBudget(t *testing.T) {
	if n := MaxConcurrent(); n < 1 || n*memoryKiB<<10 > hashBudget {
		t.Fatalf("%d slots of %d KiB exceed the %d-byte budget", n, memoryKiB, hashBudget)
	}
}

// TestDummyHashMatchesParameters: the dummy costs what a real hash costs.
func TestDummyHashMatchesParameters(t *testing.T) {
	h, err := Hash("x")
	if err != nil {
		t.Fatal(err)
	}
	prefix := func(s string) string { return s[:len("$argon2id$v=19$m=19456,t=2,p=1$")] }
	if prefix(h) != prefix(dummyHash) {
		t.Fatalf("dummy %q, new hashes %q", prefix(dummyHash), prefix(h))
	}
	if err := VerifyDummy(context.Background(), "x"); err != nil {
		t.Fatal(err)
	}
}
