package faulttest

import (
	"context"
	"testing"
	"time"

	"tipline/bench"
)

// TestRateLimitsWithTwoInstances: two instances deliver one backlog with
// the real Telegram limits (30 messages a second per bot, one a second per
// chat) and TWILIO_MPS=10. The providers answer 429 while the load is
// sent, so the replies queue up (the providers paused for every instance),
// and then both instances drain the backlog at once against the same
// limits: the hardest case for sharing them, and the test process, which
// plays the providers, sends no load meanwhile, so the scheduler delays it
// adds to the fakes' stamps stay small. Judged as the providers see it,
// whichever instance sent: no send would have waited in a provider's queue
// longer than the machine's jitter allows (held, faulttest/timing_test.go),
// for Twilio's segments per second, Telegram's messages per second and
// each chat's messages.
func TestRateLimitsWithTwoInstances(t *testing.T) {
	t.Parallel()
	const mps = 10
	st := stack(t, false, 2, map[string]string{"TWILIO_MPS": "10"})
	ctx := context.Background()
	f := st.Fakes
	channels := []string{"telegram", "sms"}
	for _, ch := range channels {
		f.ThrottleFor(ch, 1, time.Hour)
	}
	ld := bench.NewLoad(ctx, st, bench.Options{Concurrency: 8, Senders: 0, NewShare: 0.5, DupShare: 0,
		Think: 0, Seed: 5})
	ld.Run(ctx, 240)
	released := time.Now()
	for _, ch := range channels {
		f.ThrottleFor(ch, 1, 0)
	}
	if err := st.Drain(ctx, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	smsHeld := held(f.Arrivals("sms"), time.Second/mps)
	tgHeld := held(f.Arrivals("telegram"), time.Second/30)
	chatHeld := heldPerRecipient(f.RecipientArrivals("telegram"), time.Second)
	t.Logf("backlog drained in %v; longest a provider would have held a send: SMS %v, Telegram %v, one chat %v (busiest sliding second: %d segments, %d messages)",
		time.Since(released).Round(time.Millisecond), smsHeld, tgHeld, chatHeld,
		f.MaxPerWindow("sms", time.Second, time.Second/mps), f.MaxPerWindow("telegram", time.Second, 0))
	for _, c := range []struct {
		limit string
		held  time.Duration
	}{{"TWILIO_MPS 10", smsHeld}, {"Telegram's 30 a second", tgHeld}, {"one a second per chat", chatHeld}} {
		if c.held > jitterTolerance {
			t.Errorf("%s: a send came %v ahead of what the limit allows (tolerance %v)", c.limit, c.held, jitterTolerance)
		}
	}
	if f.Total("telegram") < 100 || f.Total("sms") < 100 {
		t.Errorf("too few sends to judge: %d Telegram, %d SMS", f.Total("telegram"), f.Total("sms"))
	}
	verify(t, st, ld, time.Minute)
}
