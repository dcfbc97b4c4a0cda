package faulttest

import (
	"context"
	"testing"
	"time"

	"tipline/bench"
)

// TestRateLimitsWithTwoInstances: two instances deliver from one queue
// with the real Telegram limits (30 messages a second per bot, one a second
// per chat) and TWILIO_MPS=10. No window of one second may hold more than
// the limit at the provider, whichever instance sent (an SMS of several
// segments counted as Twilio's queue sends them, one segment per 1/MPS s).
func TestRateLimitsWithTwoInstances(t *testing.T) {
	timingSensitive(t)
	t.Parallel()
	const mps = 10
	st := stack(t, false, 2, map[string]string{"TWILIO_MPS": "10"})
	ctx := context.Background()
	ld := bench.NewLoad(ctx, st, bench.Options{Concurrency: 8, Senders: 0, NewShare: 0.5, DupShare: 0,
		Think: 0, Seed: 5})
	ld.Run(ctx, 240)
	if err := st.Drain(ctx, 2*time.Minute); err != nil {
		t.Fatal(err)
	}
	tg := st.Fakes.MaxPerWindow("telegram", time.Second, 0)
	sms := st.Fakes.MaxPerWindow("sms", time.Second, time.Second/mps)
	gap, ok := st.Fakes.MinRecipientGap("telegram")
	t.Logf("busiest second: %d Telegram messages, %d SMS segments; shortest gap in one chat %v (%v)",
		tg, sms, gap, ok)
	if tg > 30 {
		t.Errorf("%d Telegram messages in one second, limit 30", tg)
	}
	if sms > mps {
		t.Errorf("%d SMS segments in one second, TWILIO_MPS %d", sms, mps)
	}
	if ok && gap < time.Second {
		t.Errorf("two messages to one chat %v apart, limit one a second", gap)
	}
	if st.Fakes.Total("telegram") < 100 || st.Fakes.Total("sms") < 100 {
		t.Errorf("too few sends to judge: %d Telegram, %d SMS", st.Fakes.Total("telegram"), st.Fakes.Total("sms"))
	}
	verify(t, st, ld, time.Minute)
}
