package outbox

import (
	"container/heap"
	"context"
	"encoding/hex"
	"strings"
	"sync"
	"time"

	"tipline"
	"tipline/store"
)

// Rate-limit timing (docs/design.md, section 2: within the providers' limits, also
// with several instances sending). A send leaves at its reserved slot: the
// attempt is recorded first and then the slot waited for. A slot further
// than waitUpTo away puts the row back, due lead before its slot, and the
// worker wakes for it; a row whose slot passed more than lateBy ago
// reserves a new one. Slots are spaced with lateBy to spare, so that even a
// late send leaves no second above the limit.
const (
	lateBy   = 50 * time.Millisecond
	lead     = 50 * time.Millisecond
	waitUpTo = 100 * time.Millisecond
	spare    = 1 + float64(lateBy)/float64(time.Second)
)

// reserve books the send's slot for every limit at once. wait reports that
// the row was put back until its slot.
func (w *Worker) reserve(ctx context.Context, c store.Claimed, p tipline.Provider, to string, r tipline.Reply, now time.Time) (time.Time, bool, error) {
	if c.SlotAt != nil && !now.After(c.SlotAt.Add(lateBy)) {
		return *c.SlotAt, false, nil
	}
	slot, err := w.reserveAt(ctx, p, to, r, now, c.SlotAt)
	if err != nil {
		return now, true, err
	}
	if slot.Sub(now) > waitUpTo {
		due := slot.Add(-lead)
		w.slots.add(due)
		return slot, true, store.Reschedule(ctx, w.Pool, c.ID, due, &slot, "", "")
	}
	return slot, false, nil
}

// reserveAt books the earliest slot at or after now that fits every limit,
// giving back missed, the slot this send booked before and missed, where
// nobody booked after it.
func (w *Worker) reserveAt(ctx context.Context, p tipline.Provider, to string, r tipline.Reply, now time.Time, missed *time.Time) (time.Time, error) {
	limits := p.Limits(to, r)
	if len(limits) == 0 {
		return now, nil
	}
	reqs := make([]store.RateRequest, len(limits))
	for i, l := range limits {
		reqs[i] = store.RateRequest{Key: w.rateKey(l.Key), Units: l.Units * spare, Rate: l.PerSecond}
	}
	return store.ReserveRates(ctx, w.Pool, reqs, now, missed)
}

// onTime waits for slot. When the worker wakes more than lateBy after it
// (an overloaded machine), it books one new slot rather than send late and
// crowd the next second, and then goes at that slot, late or not: a
// machine too slow to keep any slot must still deliver.
func (w *Worker) onTime(ctx context.Context, p tipline.Provider, to string, r tipline.Reply, slot time.Time) error {
	if err := w.sleepUntil(ctx, slot); err != nil {
		return err
	}
	now := w.Clock.Now()
	if !now.After(slot.Add(lateBy)) {
		return nil
	}
	slot, err := w.reserveAt(ctx, p, to, r, now, &slot)
	if err != nil {
		return err
	}
	return w.sleepUntil(ctx, slot)
}

// sleepUntil waits until t by the worker's clock.
func (w *Worker) sleepUntil(ctx context.Context, t time.Time) error {
	d := t.Sub(w.Clock.Now())
	if d <= 0 {
		return nil
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// slotQueue holds the future slots rows were put back for, so that an idle
// worker wakes when the next one comes due instead of at its next poll.
type slotQueue struct {
	mu      sync.Mutex
	h       timeHeap
	changed chan struct{}
}

func (q *slotQueue) add(t time.Time) {
	q.mu.Lock()
	heap.Push(&q.h, t)
	ch := q.changedLocked()
	q.mu.Unlock()
	select {
	case ch <- struct{}{}:
	default:
	}
}

// changes receives when a slot was added (an idle worker may have to wake
// sooner than it planned).
func (q *slotQueue) changes() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.changedLocked()
}

func (q *slotQueue) changedLocked() chan struct{} {
	if q.changed == nil {
		q.changed = make(chan struct{}, 1)
	}
	return q.changed
}

// wait returns how long an idle worker may sleep: until the next slot, at
// most poll. Slots already due are dropped.
func (q *slotQueue) wait(now time.Time, poll time.Duration) time.Duration {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.h.Len() > 0 && !q.h[0].After(now) {
		heap.Pop(&q.h)
	}
	if q.h.Len() == 0 {
		return poll
	}
	return min(q.h[0].Sub(now), poll)
}

// timeHeap is a min-heap of times (container/heap).
type timeHeap []time.Time

// Len implements heap.Interface.
func (h timeHeap) Len() int { return len(h) }

// Less implements heap.Interface.
func (h timeHeap) Less(i, j int) bool { return h[i].Before(h[j]) }

// Swap implements heap.Interface.
func (h timeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }

// Push implements heap.Interface.
func (h *timeHeap) Push(x any) { *h = append(*h, x.(time.Time)) }

// Pop implements heap.Interface.
func (h *timeHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	*h = old[:len(old)-1]
	return t
}

// rateKey keeps identifiers out of the rate_limits table: a per-recipient
// key ("telegram:chat:<chat id>") is stored with the recipient replaced by
// its keyed hash.
func (w *Worker) rateKey(k string) string {
	i := strings.Index(k, ":")
	if i < 0 {
		return k
	}
	j := strings.Index(k[i+1:], ":")
	if j < 0 || w.Keys == nil {
		return k
	}
	head := k[:i+1+j+1]
	return head + hex.EncodeToString(w.Keys.Hash("rate", k[len(head):])[:12])
}
