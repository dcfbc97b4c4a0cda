package flood

import (
	"testing"
	"time"
)

// TestBurstThenPerMinute: a sender gets Burst answers at once, then one
// per 60/PerMinute seconds; the first unanswered message of a flood says
// so, the next ones do not; other senders are not held up.
func TestBurstThenPerMinute(t *testing.T) {
	g := &Guard{PerMinute: 6, Burst: 3}
	t0 := time.Date(2026, 3, 14, 18, 0, 0, 0, time.UTC)
	for i := range 3 {
		if over, _ := g.Over(1, t0); over {
			t.Fatalf("message %d of the burst held back", i+1)
		}
	}
	if over, tell := g.Over(1, t0); !over || !tell {
		t.Fatalf("4th message: over %v, tell %v; want held back and told", over, tell)
	}
	if over, tell := g.Over(1, t0.Add(time.Second)); !over || tell {
		t.Fatalf("5th message: over %v, tell %v; want held back silently", over, tell)
	}
	if over, _ := g.Over(2, t0); over {
		t.Fatal("another sender was held back")
	}
	if over, _ := g.Over(1, t0.Add(12*time.Second)); over {
		t.Fatal("no answer 12 s later at 6 a minute")
	}
	if over, tell := g.Over(1, t0.Add(12*time.Second)); !over || !tell {
		t.Fatalf("after the refill, a new flood: over %v, tell %v", over, tell)
	}
}

// TestRefilledBucketsForgotten: buckets that refilled are dropped once a
// minute, so memory follows the senders of the last minutes only.
func TestRefilledBucketsForgotten(t *testing.T) {
	g := &Guard{}
	t0 := time.Date(2026, 3, 14, 18, 0, 0, 0, time.UTC)
	for id := range int64(100) {
		g.Over(id, t0)
	}
	g.Over(1000, t0.Add(2*time.Minute))
	if n := len(g.senders); n != 1 {
		t.Fatalf("%d buckets kept, want 1", n)
	}
}
