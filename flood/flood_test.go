package flood

import (
	"testing"
	"time"
)

// buckets stands in for the table: one bucket per sender.
type buckets struct {
	g  Guard
	by map[int64]Bucket
}

func (s *buckets) over(id int64, now time.Time) (over, tell bool) {
	b, ok := s.by[id]
	if !ok {
		b = s.g.Full(now)
	}
	s.by[id], over, tell = s.g.Take(b, now)
	return over, tell
}

// TestBurstThenPerMinute: a sender gets Burst answers at once, then one
// per 60/PerMinute seconds; the first unanswered message of a flood says
// so, the next ones do not; other senders are not held up.
func TestBurstThenPerMinute(t *testing.T) {
	s := &buckets{g: Guard{PerMinute: 6, Burst: 3}, by: map[int64]Bucket{}}
	t0 := time.Date(2026, 3, 14, 18, 0, 0, 0, time.UTC)
	for i := range 3 {
		if over, _ := s.over(1, t0); over {
			t.Fatalf("message %d of the burst held back", i+1)
		}
	}
	if over, tell := s.over(1, t0); !over || !tell {
		t.Fatalf("4th message: over %v, tell %v; want held back and told", over, tell)
	}
	if over, tell := s.over(1, t0.Add(time.Second)); !over || tell {
		t.Fatalf("5th message: over %v, tell %v; want held back silently", over, tell)
	}
	if over, _ := s.over(2, t0); over {
		t.Fatal("another sender was held back")
	}
	if over, _ := s.over(1, t0.Add(12*time.Second)); over {
		t.Fatal("no answer 12 s later at 6 a minute")
	}
	if over, tell := s.over(1, t0.Add(12*time.Second)); !over || !tell {
		t.Fatalf("after the refill, a new flood: over %v, tell %v", over, tell)
	}
}

// TestRefillTime: after RefillTime an emptied bucket is full again, so a
// turn may skip reading it; a clock behind the stored one refills nothing.
func TestRefillTime(t *testing.T) {
	g := Guard{PerMinute: 6, Burst: 3}
	if d := g.RefillTime(); d != 30*time.Second {
		t.Fatalf("RefillTime %v, want 30s", d)
	}
	if d := (Guard{}).RefillTime(); d != 36*time.Second {
		t.Fatalf("default RefillTime %v, want 36s", d)
	}
	t0 := time.Date(2026, 3, 14, 18, 0, 0, 0, time.UTC)
	empty := Bucket{Tokens: 0, At: t0, Told: true}
	b, over, _ := g.Take(empty, t0.Add(g.RefillTime()))
	if over || b.Tokens != 2 || b.Told {
		t.Fatalf("after RefillTime: over %v, bucket %+v; want answered with 2 left", over, b)
	}
	b, over, tell := g.Take(empty, t0.Add(-time.Minute))
	if !over || tell || !b.At.Equal(t0) {
		t.Fatalf("clock behind: over %v, tell %v, bucket %+v; want held back silently, bucket unchanged", over, tell, b)
	}
}
