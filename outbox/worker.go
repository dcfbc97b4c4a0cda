// Package outbox delivers the replies a turn queued as rows: it claims due
// rows (SKIP LOCKED, so any number of workers on any number of instances
// may run), books each send a slot within the channel's rate limits,
// sends it through the channel's tipline.Provider, and settles the row:
// sent, retried later, failed, or reconciled after a crash left its
// outcome unknown (docs/design.md, the message path).
package outbox

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/seal"
	"tipline/store"
)

// ErrCrash is what a failpoint returns to make the worker stop on the spot,
// as if the process had died there.
var ErrCrash = errors.New("failpoint: simulated crash")

// Worker delivers queued outbound rows.
type Worker struct {
	Pool      *pgxpool.Pool
	Keys      *seal.Keys
	Clock     tipline.Clock
	Providers map[tipline.Channel]tipline.Provider // by channel
	Pages     map[string]string                    // page target ("telegram", "sms:0") → recipient
	Lease     time.Duration                        // how long a claim holds; default 60s
	Batch     int                                  // rows claimed at once; default 16
	Metrics   *Metrics
	MaxTries  int // temporary failures before giving up; default 20
	// Failpoint, when set, is called at "before_send" and "after_send"; a
	// non-nil result stops the delivery there, as a crash would.
	Failpoint func(point string, id int64) error

	slots slotQueue // rate-limit slots rows were put back for
}

func (w *Worker) defaults() {
	if w.Clock == nil {
		w.Clock = tipline.SystemClock{}
	}
	if w.Lease == 0 {
		w.Lease = 60 * time.Second
	}
	if w.Batch == 0 {
		w.Batch = 16
	}
	if w.MaxTries == 0 {
		w.MaxTries = 20
	}
	if w.Metrics == nil {
		w.Metrics = NewMetrics(nil)
	}
}

// Run delivers until ctx ends. It claims more rows while others are still
// being delivered (up to four batches in flight), so that a row waiting
// for its rate-limit slot or a slow provider holds up no other. It wakes
// on wake, when a row put back for its slot comes due, when it had no room
// and a delivery ended, or every poll interval. When it returns, every
// delivery it started has ended.
func (w *Worker) Run(ctx context.Context, wake <-chan struct{}, poll time.Duration) {
	w.defaults()
	f := &flight{slots: make(chan struct{}, 4*w.Batch), room: make(chan struct{}, 1)}
	defer f.wg.Wait()
	for {
		n, err := w.claimAndStart(ctx, f)
		if err != nil && ctx.Err() == nil {
			slog.Warn("delivery round failed", "err", err)
		}
		if n > 0 && err == nil {
			continue
		}
		select {
		case <-ctx.Done():
			return
		case <-wake:
		case <-f.room:
		case <-w.slots.changes():
		case <-time.After(w.slots.wait(w.Clock.Now(), poll)):
		}
	}
}

// flight is what Run has under way.
type flight struct {
	slots chan struct{} // one per delivery in flight
	room  chan struct{} // signalled when a full flight frees a place
	wg    sync.WaitGroup
}

// claimAndStart claims as many due rows as there is room for and starts
// delivering them.
func (w *Worker) claimAndStart(ctx context.Context, f *flight) (int, error) {
	free := cap(f.slots) - len(f.slots)
	if free == 0 {
		return 0, nil
	}
	claimed, err := store.ClaimOutbound(ctx, w.Pool, w.Clock.Now(), w.Lease, min(w.Batch, free))
	if err != nil {
		return 0, err
	}
	for _, c := range claimed {
		f.slots <- struct{}{}
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			w.deliverLogged(ctx, c)
			full := len(f.slots) == cap(f.slots)
			<-f.slots
			if full {
				select {
				case f.room <- struct{}{}:
				default:
				}
			}
		}()
	}
	return len(claimed), nil
}

// RunOnce claims one batch of due rows and delivers them, concurrently
// across conversations. It returns how many rows it handled.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	claimed, err := store.ClaimOutbound(ctx, w.Pool, w.Clock.Now(), w.Lease, w.Batch)
	if err != nil {
		return 0, err
	}
	var wg sync.WaitGroup
	for _, c := range claimed {
		wg.Go(func() { w.deliverLogged(ctx, c) })
	}
	wg.Wait()
	return len(claimed), nil
}

func (w *Worker) deliverLogged(ctx context.Context, c store.Claimed) {
	if err := w.deliver(ctx, c); err != nil && !errors.Is(err, ErrCrash) {
		slog.Warn("delivery failed", "message_id", c.ID, "err", err)
	}
}
