package store_test

import (
	"context"
	"testing"
	"time"

	"tipline/store"
	"tipline/testdb"
)

// A send that missed its booked slot gets a new one; where nobody booked
// after it, its old booking is given back first (no gap of a whole step),
// and where somebody did, the new slot comes after theirs.
func TestReserveRatesGivesBackAMissedSlot(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	t0 := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	chat := []store.RateRequest{{Key: "telegram:chat:a", Units: 1.05, Rate: 1}}
	reserve := func(now time.Time, missed *time.Time) time.Time {
		t.Helper()
		at, err := store.ReserveRates(ctx, pool, chat, now, missed)
		if err != nil {
			t.Fatal(err)
		}
		return at.UTC()
	}
	if got := reserve(t0, nil); !got.Equal(t0) {
		t.Fatalf("first booking at %v, want %v", got, t0)
	}
	step := 1050 * time.Millisecond
	second := reserve(t0, nil)
	if !second.Equal(t0.Add(step)) {
		t.Fatalf("second booking at %v, want %v", second, t0.Add(step))
	}
	// The second send wakes 300 ms after its slot: it may go now, since
	// nobody booked after it.
	late := second.Add(300 * time.Millisecond)
	if got := reserve(late, &second); !got.Equal(late) {
		t.Fatalf("late send rebooked at %v, want %v (its own booking given back)", got, late)
	}
	// The next booking keeps a whole step after the late send.
	if got := reserve(late, nil); !got.Equal(late.Add(step)) {
		t.Fatalf("next booking at %v, want %v", got, late.Add(step))
	}
	// A missed slot that is no longer the last booking is not given back.
	old := t0
	if got := reserve(late, &old); !got.Equal(late.Add(2 * step)) {
		t.Fatalf("booking after others at %v, want %v", got, late.Add(2*step))
	}
}
