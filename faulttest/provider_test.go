package faulttest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"tipline/bench"
)

// TestProviderOutage: both providers answer 500 for a while (30 s with
// -faulttest.long, 6 s otherwise). Delivery backs off, then drains once
// they are back, with every reply sent exactly once.
func TestProviderOutage(t *testing.T) {
	t.Parallel()
	outage := 6 * time.Second
	if *long {
		outage = 30 * time.Second
	}
	st := stack(t, false, 1, fast)
	ctx := context.Background()
	ld := bench.NewLoad(ctx, st, bench.Options{Concurrency: 4, Senders: 20, NewShare: 0.3, DupShare: 0.05,
		Think: 200 * time.Millisecond, Seed: 3})
	ld.Warm(ctx)
	if err := st.Drain(ctx, time.Minute); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	st.Fakes.FailFor("telegram", http.StatusInternalServerError, outage)
	st.Fakes.FailFor("sms", http.StatusInternalServerError, outage)
	ld.Run(ctx, 300)
	// The load may end before the worker has tried both channels: wait
	// for the outage to refuse a send of each, while it lasts.
	tg, sms := st.Fakes.Failed("telegram"), st.Fakes.Failed("sms")
	for (tg == 0 || sms == 0) && time.Since(start) < outage {
		time.Sleep(50 * time.Millisecond)
		tg, sms = st.Fakes.Failed("telegram"), st.Fakes.Failed("sms")
	}
	if tg == 0 || sms == 0 {
		t.Fatalf("the outage refused %d Telegram and %d SMS sends: it did not land", tg, sms)
	}
	// Backoff doubles from 1 s: the last attempt inside the outage waits
	// at most about as long again.
	c := verify(t, st, ld, 2*outage+time.Minute)
	t.Logf("outage of %v refused %d Telegram and %d SMS sends; drained %v after it began", outage, tg, sms,
		time.Since(start).Round(time.Second))
	if c.Rule8Repeats != 0 {
		t.Errorf("%d repeated sends: a 500 is a known outcome", c.Rule8Repeats)
	}
}
