package bench

import (
	"context"
	"time"
)

// Load is the load generator, for fault tests that drive a Stack while
// they break things: it sends signed webhook traffic to every instance of
// the stack in turn and retries what got no 200, as the providers do.
type Load struct {
	st   *Stack
	opts *Options
	l    *loader
}

// LoadStats are a Load's counters.
type LoadStats struct {
	Unique    int // unique messages answered 200
	Dups      int // duplicate deliveries answered 200
	Non200    int // answers other than 200 (each retried)
	NoAnswer  int // requests without an answer (each retried)
	Abandoned int // deliveries given up on after RetryFor
}

// NewLoad prepares traffic for st. Of o, the traffic fields are used
// (Concurrency, Senders, NewShare, DupShare, Channel, Think, RetryFor,
// Seed); zero values get the command's defaults.
func NewLoad(ctx context.Context, st *Stack, o Options) *Load {
	if o.Concurrency == 0 {
		o.Concurrency = 8
	}
	if o.Channel == "" {
		o.Channel = "both"
	}
	if o.RetryFor == 0 {
		o.RetryFor = 2 * time.Minute
	}
	o.TelegramSecret, o.TwilioToken, o.PublicURL = st.TelegramSecret, st.Fakes.TwilioToken, st.PublicURL
	targets := make([]string, len(st.Services))
	for i, s := range st.Services {
		targets[i] = s.URL()
	}
	if st.Balancer != nil {
		targets = []string{st.Balancer.URL()} // inbound goes through it
	}
	mix := newTraffic(&o, st.Fakes.TwilioSID)
	return &Load{st: st, opts: &o, l: newLoader(ctx, &o, targets, mix)}
}

// Warm opens o.Senders conversations, one message each.
func (ld *Load) Warm(ctx context.Context) {
	ld.l.sendAll(ctx, ld.l.mix.warmup(ld.opts.Senders))
}

// Run sends n unique messages (and the duplicates the mix adds) and
// returns when each was answered 200 or given up on.
func (ld *Load) Run(ctx context.Context, n int) { ld.l.run(ctx, n) }

// Stats returns the counters so far.
func (ld *Load) Stats() LoadStats {
	s := ld.l.snapshot()
	return LoadStats{Unique: int(s.unique), Dups: int(s.dups), Non200: int(s.non200), NoAnswer: int(s.netErrs),
		Abandoned: int(s.abandoned)}
}

// FirstError is the first failed answer, if any.
func (ld *Load) FirstError() string {
	ld.l.mu.Lock()
	defer ld.l.mu.Unlock()
	return ld.l.firstErr
}

// Drain waits until no reply is queued, claimed or being sent.
func (st *Stack) Drain(ctx context.Context, timeout time.Duration) error {
	_, err := drain(ctx, st.Pool, timeout)
	return err
}

// Check compares what ld had accepted with the database and with what the
// fake providers received.
func (st *Stack) Check(ctx context.Context, ld *Load) (Check, error) {
	ld.l.mu.Lock()
	tg, sms := append([]string(nil), ld.l.acceptedTG...), append([]string(nil), ld.l.acceptedSM...)
	ld.l.mu.Unlock()
	return checker{pool: st.Pool, keys: st.Keys, fakes: st.Fakes}.run(ctx, tg, sms)
}

// Ready reports whether instance i answers /readyz with 200.
func (st *Stack) Ready(ctx context.Context, i int) bool { return ready(ctx, st.Services[i].URL()) }
