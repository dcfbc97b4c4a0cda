package store_test

import (
	"context"
	"slices"
	"strconv"
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

// A send under two limits (its chat's and the bot's) gets the first time
// free on both, and moves each past it by its own step; concurrent
// bookings on a shared key never come closer than that key's step.
func TestReserveRatesFitsEveryLimit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	t0 := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC)
	bot := store.RateRequest{Key: "telegram:bot", Units: 1, Rate: 10} // a step of 100 ms
	req := func(chat string) []store.RateRequest {
		return []store.RateRequest{{Key: "telegram:chat:" + chat, Units: 1, Rate: 1}, bot}
	}
	reserve := func(chat string) time.Time {
		t.Helper()
		at, err := store.ReserveRates(ctx, pool, req(chat), t0, nil)
		if err != nil {
			t.Fatal(err)
		}
		return at.UTC()
	}
	if got := reserve("a"); !got.Equal(t0) {
		t.Fatalf("first booking at %v, want %v", got, t0)
	}
	// Chat b is free at once, the bot only after its step.
	if got, want := reserve("b"), t0.Add(100*time.Millisecond); !got.Equal(want) {
		t.Fatalf("other chat booked at %v, want %v (the bot's step)", got, want)
	}
	// Chat a again: its own step of a second is the longer wait.
	if got, want := reserve("a"), t0.Add(time.Second); !got.Equal(want) {
		t.Fatalf("same chat booked at %v, want %v (the chat's step)", got, want)
	}

	const n = 40
	slots := make(chan time.Time, n)
	errs := make(chan error, n)
	for i := range n {
		go func() {
			at, err := store.ReserveRates(ctx, pool, req("c"+strconv.Itoa(i)), t0, nil)
			slots <- at
			errs <- err
		}()
	}
	var got []time.Time
	for range n {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		got = append(got, <-slots)
	}
	slices.SortFunc(got, time.Time.Compare)
	for i := 1; i < n; i++ {
		if d := got[i].Sub(got[i-1]); d < 100*time.Millisecond {
			t.Fatalf("two concurrent bookings %v apart on the bot's limit (step 100ms)", d)
		}
	}
}
