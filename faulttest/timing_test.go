package faulttest

import (
	"slices"
	"testing"
	"time"

	"tipline/bench"
)

// Judging a provider's rate limit from the fakes' arrival stamps.
//
// The outbox books each send a slot in PostgreSQL (store.ReserveRates)
// spaced by the limit with 5% to spare, and sends at that slot: a slot is
// kept when the worker wakes at most 50 ms after it (outbox/rate.go). The
// fake stamps a send later still: after the wake, the HTTP request, and its
// own handler, each delayed by the scheduler on a busy machine (measured
// with four busy loops on the 2 cores: up to 50 ms late waking, up to 75 ms
// in the request, 100 ms in all). So arrivals jitter around the booked
// slots. Counting them in a sliding second (the old check) charges that
// jitter to the booking: a send 60 ms late followed by its neighbours on
// time puts 11 segments in some second against TWILIO_MPS 10, though the
// slots never did. That is how the test failed once under load.
//
// A provider does not count that way either. Twilio queues what exceeds
// the sender's rate and releases segments one per 1/MPS; Telegram polices
// its limits over time, not to the millisecond. held models the provider
// as that queue (the virtual-scheduling form of the generic cell rate
// algorithm): it returns the longest any send would have waited in it.
// Sending on booked slots, a send waits at most the machine's jitter; a
// sender over the limit (two instances that do not share their bookings,
// say) makes the wait grow by a second for every second it overruns, and
// a second message to a chat within a second waits nearly a second. The
// test allows jitterTolerance of waiting: half the per-chat interval, five
// times the 99 ms measured with the test built with -race and four busy
// loops beside it, as long as the test process only plays the providers
// meanwhile (it stalled a send over 500 ms once while also sending the
// load: TestRateLimitsWithTwoInstances therefore judges a backlog drained
// after the load).
const jitterTolerance = 500 * time.Millisecond

// held returns the longest that a provider releasing one unit every
// `every` would have held a send back: a send that arrives while the
// provider is still releasing earlier units waits until they are out.
func held(arrivals []bench.Arrival, every time.Duration) time.Duration {
	arrivals = slices.Clone(arrivals)
	slices.SortStableFunc(arrivals, func(a, b bench.Arrival) int { return a.At.Compare(b.At) })
	var free time.Time // when the provider can release the next unit
	var worst time.Duration
	for _, a := range arrivals {
		if free.After(a.At) {
			worst = max(worst, free.Sub(a.At))
		} else {
			free = a.At
		}
		free = free.Add(time.Duration(max(a.Units, 1)) * every)
	}
	return worst
}

// heldPerRecipient is held for a per-recipient limit of one message every
// `every` (Telegram: one a second per chat).
func heldPerRecipient(byRecipient map[string][]time.Time, every time.Duration) time.Duration {
	var worst time.Duration
	for _, ts := range byRecipient {
		as := make([]bench.Arrival, len(ts))
		for i, t := range ts {
			as[i] = bench.Arrival{At: t, Units: 1}
		}
		worst = max(worst, held(as, every))
	}
	return worst
}

// TestHeldSeparatesJitterFromOverrun: sends booked at the limit but
// arriving with up to 100 ms of jitter wait at most that jitter, though a
// sliding second holds 11 of them; a sender at twice the limit makes the
// wait grow past the tolerance within seconds; a long message's segments
// take their time in the queue.
func TestHeldSeparatesJitterFromOverrun(t *testing.T) {
	t0 := time.Date(2026, 3, 14, 18, 0, 0, 0, time.UTC)
	const every = 100 * time.Millisecond // TWILIO_MPS 10
	var onSlots, twice []bench.Arrival
	for i := range 100 {
		slot := t0.Add(time.Duration(i) * every * 105 / 100)
		late := time.Duration(i%7) * 15 * time.Millisecond // 0 to 90 ms, unevenly
		onSlots = append(onSlots, bench.Arrival{At: slot.Add(late), Units: 1})
		twice = append(twice, bench.Arrival{At: t0.Add(time.Duration(i) * every / 2), Units: 1})
	}
	if n := busiestSecond(onSlots); n != 11 {
		t.Fatalf("the jittered sends put %d in the busiest second; the case wants the old check's 11", n)
	}
	if w := held(onSlots, every); w > 100*time.Millisecond {
		t.Errorf("jittered sends on booked slots held %v, want at most the jitter", w)
	}
	if w := held(twice, every); w < 4*time.Second || w <= jitterTolerance {
		t.Errorf("a sender at twice the limit for 5 s held only %v", w)
	}
	long := []bench.Arrival{{At: t0, Units: 3}, {At: t0.Add(150 * time.Millisecond), Units: 1}}
	if w := held(long, every); w != 150*time.Millisecond {
		t.Errorf("a send behind a 3-segment message held %v, want 150ms", w)
	}
	chats := map[string][]time.Time{"a": {t0, t0.Add(time.Second)}, "b": {t0, t0.Add(10 * time.Millisecond)}}
	if w := heldPerRecipient(chats, time.Second); w != 990*time.Millisecond {
		t.Errorf("two messages to a chat 10 ms apart held %v, want 990ms", w)
	}
}

// busiestSecond counts the most units stamped in any sliding second.
func busiestSecond(as []bench.Arrival) int {
	best, lo, sum := 0, 0, 0
	for _, a := range as {
		sum += a.Units
		for a.At.Sub(as[lo].At) >= time.Second {
			sum -= as[lo].Units
			lo++
		}
		best = max(best, sum)
	}
	return best
}
