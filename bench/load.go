package bench

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"tipline/telegram"
	"tipline/twilio"
)

// loader drives the webhooks: Concurrency workers, each sending one
// delivery at a time and retrying it, as the providers do, until it gets a
// 200 (or RetryFor passes).
type loader struct {
	opts    *Options
	abort   context.Context // ends retries too (an interrupt), unlike a run's end
	targets []string        // base URLs; worker i posts to targets[i%len]
	mix     *traffic

	sent       atomic.Int64 // deliveries answered 200 (unique and duplicate)
	unique     atomic.Int64 // unique messages answered 200
	dups       atomic.Int64 // duplicate deliveries answered 200
	non200     atomic.Int64 // answers other than 200
	netErrs    atomic.Int64 // requests without an answer
	abandoned  atomic.Int64 // deliveries given up on
	mu         sync.Mutex
	firstErr   string // the first failed answer, for the report
	latencies  []time.Duration
	acceptedTG []string // Telegram update_ids answered 200
	acceptedSM []string // Twilio MessageSids answered 200
}

func newLoader(abort context.Context, o *Options, targets []string, mix *traffic) *loader {
	return &loader{opts: o, abort: abort, targets: targets, mix: mix}
}

// run sends until limit unique messages were accepted or ctx ends, with
// Concurrency workers.
func (l *loader) run(ctx context.Context, limit int) {
	var wg sync.WaitGroup
	for w := range l.opts.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newWire(l.targets[w%len(l.targets)])
			defer c.close()
			lat := make([]time.Duration, 0, 4096)
			for ctx.Err() == nil {
				m := l.mix.next(limit)
				if m == nil {
					break
				}
				lat = l.deliver(c, m, lat)
			}
			l.mu.Lock()
			l.latencies = append(l.latencies, lat...)
			l.mu.Unlock()
		}()
	}
	wg.Wait()
}

// sendAll delivers a fixed list of messages (the warm-up), untimed.
func (l *loader) sendAll(ctx context.Context, ms []*message) {
	ch := make(chan *message)
	var wg sync.WaitGroup
	for w := range l.opts.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newWire(l.targets[w%len(l.targets)])
			defer c.close()
			for m := range ch {
				if ctx.Err() == nil {
					l.deliver(c, m, nil)
				}
			}
		}()
	}
	for _, m := range ms {
		ch <- m
	}
	close(ch)
	wg.Wait()
}

// deliver posts m until it is answered 200, and appends the latency of
// the answered attempt to lat (when lat is not nil).
func (l *loader) deliver(c *wire, m *message, lat []time.Duration) []time.Duration {
	deadline := time.Now().Add(l.opts.RetryFor)
	backoff := 50 * time.Millisecond
	for {
		start := time.Now()
		status := l.post(c, m)
		if status == http.StatusOK {
			if lat != nil {
				lat = append(lat, time.Since(start))
			}
			l.accept(m)
			return lat
		}
		if status == 0 {
			l.netErrs.Add(1)
		} else {
			l.non200.Add(1)
		}
		// Retry even after ctx ended: what got no 200 must be delivered
		// again, as a provider would, or the loss check would be unfair.
		if time.Now().After(deadline) || sleep(l.abort, backoff) != nil {
			l.abandoned.Add(1)
			l.mix.done(m, false)
			return lat
		}
		backoff = min(backoff*2, 2*time.Second)
	}
}

func (l *loader) accept(m *message) {
	l.sent.Add(1)
	l.mix.done(m, true)
	if m.dup {
		l.dups.Add(1)
		return
	}
	l.unique.Add(1)
	l.mu.Lock()
	if m.channel == chTelegram {
		l.acceptedTG = append(l.acceptedTG, m.id)
	} else {
		l.acceptedSM = append(l.acceptedSM, m.id)
	}
	l.mu.Unlock()
}

// sleep waits d unless ctx ends first.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// post makes one attempt and returns the status (0: no answer). It runs
// to its end even after the run's time is up: a request cut short would
// be a loss the service did not cause.
func (l *loader) post(c *wire, m *message) int {
	path := "/webhooks/twilio"
	if m.channel == chTelegram {
		path = "/webhooks/telegram"
	}
	req, err := http.NewRequestWithContext(l.abort, http.MethodPost, c.base+path, strings.NewReader(m.body))
	if err != nil {
		return 0
	}
	if m.channel == chTelegram {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(telegram.SecretHeader, l.opts.TelegramSecret)
	} else {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set(twilio.SignatureHeader, m.sig)
	}
	code, status, err := c.do(req)
	if err != nil {
		l.noteErr(path + ": " + err.Error())
		return 0
	}
	if code != http.StatusOK {
		l.noteErr(path + ": " + status)
	}
	return code
}

// snapshot is the loader's counters at one moment.
type snapshot struct {
	unique, dups, non200, netErrs, abandoned int64
	senders                                  int
}

func (l *loader) snapshot() snapshot {
	l.mix.mu.Lock()
	senders := l.mix.nextNew
	l.mix.mu.Unlock()
	return snapshot{unique: l.unique.Load(), dups: l.dups.Load(), non200: l.non200.Load(),
		netErrs: l.netErrs.Load(), abandoned: l.abandoned.Load(), senders: senders}
}

func (l *loader) noteErr(e string) {
	l.mu.Lock()
	if l.firstErr == "" {
		l.firstErr = e
	}
	l.mu.Unlock()
}
