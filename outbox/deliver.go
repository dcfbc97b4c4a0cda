// Package outbox delivers the replies a turn queued as rows: it claims due
// rows (SKIP LOCKED, so any number of workers on any number of instances
// may run; crisis replies and pages first), books each send a slot within
// the channel's rate limits, sends it through the channel's
// tipline.Provider, and settles the row: sent, retried later (until its
// deadline), failed, or reconciled after a crash left its outcome unknown.
// A provider that answers 429, 5xx or nothing is paused for every message
// on every instance and probed one send at a time (docs/design.md,
// section 2).
package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/paging"
	"tipline/seal"
	"tipline/store"
)

// DefaultBatch is how many rows a worker claims at once unless
// Worker.Batch says otherwise.
const DefaultBatch = 16

// FlightBatches is how many batches a worker may have under way at once:
// Run claims more while earlier rows are still being sent, up to
// FlightBatches*Batch deliveries. At four (64 rows), the bench's delivery
// fell behind its inbound by up to 1.3 s in a 10 s round: with the flight
// full, each freed place waited for a claim, and the queue was then
// drained after the load stopped (docs/benchmarks.md, issue 19, tenth
// part). Rows waiting for a provider's rate slot are put back when the
// slot is more than waitUpTo away, so this bounds the sends under way, not
// the provider's rate.
const FlightBatches = 8

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
	Batch     int                                  // rows claimed at once; default DefaultBatch
	Metrics   *Metrics
	// MaxTries is a safety net only: a row is retried until its deadline
	// (deadline.go), and a provider pause (pause.go) costs no tries.
	// Default 1000.
	MaxTries int
	// Pager names the staff destinations and the dashboard link for the
	// page sent when a crisis reply misses its deadline (nil: none).
	Pager *paging.Pager
	// Failpoint, when set, is called at "before_send" and "after_send"; a
	// non-nil result stops the delivery there, as a crash would.
	Failpoint func(point string, id int64) error
	// Gather: under load (deliveries still under way), a wake claims no
	// sooner than this after the last claim that took everything due, so
	// that one claim takes the rows of several turns instead of each
	// turn's one (zero: every wake claims at once). Urgent ends the wait.
	Gather time.Duration
	// Urgent receives when a crisis reply or a staff page was queued: it
	// wakes Run like its wake channel, and claims at once, gathering or not.
	Urgent <-chan struct{}

	slots slotQueue   // rate-limit slots rows were put back for
	local localPauses // provider pauses this worker knows of
}

func (w *Worker) defaults() {
	if w.Clock == nil {
		w.Clock = tipline.SystemClock{}
	}
	if w.Lease == 0 {
		w.Lease = 60 * time.Second
	}
	if w.Batch == 0 {
		w.Batch = DefaultBatch
	}
	if w.MaxTries == 0 {
		w.MaxTries = 1000
	}
	if w.Metrics == nil {
		w.Metrics = NewMetrics(nil)
	}
}

// Run delivers until ctx ends. It claims more rows while others are still
// being delivered (up to FlightBatches batches in flight), so that a row waiting
// for its rate-limit slot or a slow provider holds up no other. It wakes
// on wake or Urgent, when a row put back for its slot comes due, when it
// had no room and a delivery ended, or every poll interval; under load,
// it gathers (Gather) before claiming again. When it returns, every
// delivery it started has ended.
func (w *Worker) Run(ctx context.Context, wake <-chan struct{}, poll time.Duration) {
	w.defaults()
	f := &flight{slots: make(chan struct{}, FlightBatches*w.Batch), room: make(chan struct{}, 1)}
	defer f.wg.Wait()
	for {
		claimed := time.Now()
		full, err := w.claimAndStart(ctx, f)
		if err != nil && ctx.Err() == nil {
			slog.Warn("delivery round failed", "err", err)
		}
		if full && err == nil {
			continue // more may be due
		}
		select {
		case <-ctx.Done():
			return
		case <-w.Urgent:
			continue
		case <-wake:
		case <-f.room:
		case <-w.slots.changes():
		case <-time.After(w.slots.wait(w.Clock.Now(), poll)):
		}
		if !w.gather(ctx, f, claimed) {
			return
		}
	}
}

// gather waits, while deliveries are under way, until Gather has passed
// since the last claim, or an urgent row is queued. It reports false when
// ctx ended.
func (w *Worker) gather(ctx context.Context, f *flight, claimed time.Time) bool {
	d := w.Gather - time.Since(claimed)
	if d <= 0 || len(f.slots) == 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-w.Urgent:
	case <-t.C:
	}
	return true
}

// flight is what Run has under way.
type flight struct {
	slots chan struct{} // one per delivery in flight
	room  chan struct{} // signalled when a full flight frees a place
	wg    sync.WaitGroup
}

// claimAndStart claims as many due rows as there is room for and starts
// delivering them. full reports that it took as many as it asked for: more
// may be due. Otherwise everything due was taken, and Run waits for a wake
// (a turn committed, a slot came due, room freed, the poll) instead of
// claiming again at once for nothing: a claim is the outbox's costliest
// statement.
func (w *Worker) claimAndStart(ctx context.Context, f *flight) (full bool, err error) {
	free := cap(f.slots) - len(f.slots)
	if free == 0 {
		return false, nil
	}
	limit := min(w.Batch, free)
	claimed, err := store.ClaimOutbound(ctx, w.Pool, w.Clock.Now(), w.Lease, limit)
	if err != nil {
		return false, err
	}
	urgentDone := urgentFirst(claimed)
	for _, c := range claimed {
		f.slots <- struct{}{}
		f.wg.Add(1)
		go func() {
			defer f.wg.Done()
			w.deliverAfter(ctx, c, urgentDone)
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
	return len(claimed) == limit, nil
}

// RunOnce claims one batch of due rows and delivers them, concurrently
// across conversations. It returns how many rows it handled.
func (w *Worker) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	claimed, err := store.ClaimOutbound(ctx, w.Pool, w.Clock.Now(), w.Lease, w.Batch)
	if err != nil {
		return 0, err
	}
	urgentDone := urgentFirst(claimed)
	var wg sync.WaitGroup
	for _, c := range claimed {
		wg.Go(func() { w.deliverAfter(ctx, c, urgentDone) })
	}
	wg.Wait()
	return len(claimed), nil
}

// batchGate holds a claimed batch's ordinary rows back until its crisis
// replies and pages are delivered (or put back), so that these reach the
// provider first, also as the probe when a pause ends.
type batchGate struct {
	wg   sync.WaitGroup // the urgent rows under way
	done chan struct{}  // closed when none is left
}

// urgentFirst makes the gate of a claimed batch.
func urgentFirst(claimed []store.Claimed) *batchGate {
	g := &batchGate{done: make(chan struct{})}
	for _, c := range claimed {
		if c.Urgent {
			g.wg.Add(1)
		}
	}
	go func() {
		g.wg.Wait()
		close(g.done)
	}()
	return g
}

// deliverAfter delivers c: at once when it is urgent, otherwise once the
// batch's urgent rows are done.
func (w *Worker) deliverAfter(ctx context.Context, c store.Claimed, g *batchGate) {
	if c.Urgent {
		defer g.wg.Done()
	} else {
		select {
		case <-g.done:
		case <-ctx.Done():
			return
		}
	}
	w.deliverLogged(ctx, c)
}

func (w *Worker) deliverLogged(ctx context.Context, c store.Claimed) {
	if err := w.deliver(ctx, c); err != nil && !errors.Is(err, ErrCrash) {
		slog.Warn("delivery failed", "message_id", c.ID, "err", err)
	}
}

// deliver takes one claimed row to a final or rescheduled state.
func (w *Worker) deliver(ctx context.Context, c store.Claimed) error {
	now := w.Clock.Now()
	if now.After(deadline(c)) {
		return w.expire(ctx, c)
	}
	if done, err := w.pageAnswered(ctx, c); done || err != nil {
		return err
	}
	p, ok := w.Providers[c.Channel]
	if !ok {
		return w.final(ctx, c, "failed", "no_channel", "channel not configured")
	}
	var reply tipline.Reply
	if err := json.Unmarshal(c.Reply, &reply); err != nil {
		return w.final(ctx, c, "failed", "bad_reply", "stored reply unreadable")
	}
	to, err := w.recipient(c)
	if err != nil {
		return w.final(ctx, c, "failed", "no_recipient", err.Error())
	}
	key := pauseKey(p)
	if until, held := w.local.held(key, now); held {
		return w.holdBack(ctx, c, until, false)
	}
	if done, err := w.reconcile(ctx, c, p, key, to, reply); done || err != nil {
		return err
	}
	slot, wait, err := w.reserve(ctx, c, p, to, reply, now)
	if err != nil || wait {
		return err
	}
	return w.send(ctx, c, p, key, to, reply, slot)
}

// recipient opens the sealed identifier, or looks up a page target.
func (w *Worker) recipient(c store.Claimed) (string, error) {
	if c.Kind == tipline.MessagePage {
		if to, ok := w.Pages[c.Target]; ok && to != "" {
			return to, nil
		}
		return "", errors.New("page target not configured")
	}
	if len(c.IDSealed) == 0 {
		return "", errors.New("the sender's identifier is no longer kept")
	}
	plain, err := w.Keys.Open(c.IDSealed, "contact:"+string(c.Channel))
	if err != nil {
		return "", errors.New("the sender's identifier cannot be opened with the configured keys")
	}
	return string(plain), nil
}

// reconcile settles a send whose outcome a crash left unknown, where the
// provider can tell; otherwise the send is repeated (at least once).
func (w *Worker) reconcile(ctx context.Context, c store.Claimed, p tipline.Provider, key store.PauseKey, to string, r tipline.Reply) (bool, error) {
	if !c.UnknownOutcome || !p.Traits().Reconciles || c.AttemptedAt == nil {
		return false, nil
	}
	id, found, err := p.Reconcile(ctx, to, r, c.AttemptedAt.Add(-5*time.Second))
	if err != nil {
		return false, w.failed(ctx, c, key, false, tipline.AsSendError(err))
	}
	if found {
		// The newest match may be an identical reply sent just before,
		// already recorded on another row: then this one never went out.
		taken, err := store.ProviderMessageTaken(ctx, w.Pool, id, c.ID)
		if err != nil {
			return false, err
		}
		found = !taken
	}
	if !found {
		return false, nil
	}
	w.count(c, "reconciled")
	return true, w.sent(ctx, c, id)
}

// send records the attempt (unless the provider is paused: then the row
// waits), waits for the slot and sends. A send that probes a paused
// provider ends the pause when it gets through.
func (w *Worker) send(ctx context.Context, c store.Claimed, p tipline.Provider, key store.PauseKey, to string, r tipline.Reply, slot time.Time) error {
	if err := w.failpoint("before_send", c.ID); err != nil {
		return err
	}
	now := w.Clock.Now()
	g, err := store.BeginSend(ctx, w.Pool, c.ID, key, now, probeLease)
	if err != nil {
		return err
	}
	if !g.Go {
		return w.gated(ctx, c, key, g, now)
	}
	if !g.Probe {
		w.Metrics.Paused.WithLabelValues(string(key.Channel)).Set(0) // the provider is not paused (any more)
		if until, held, err := w.pausedMeanwhile(ctx, key, slot); err != nil || held {
			if err != nil {
				return err
			}
			return w.holdBack(ctx, c, until, true) // another instance paused the provider
		}
	}
	if err := w.onTime(ctx, p, to, r, slot); err != nil { // the recorded attempt is reconciled if this never wakes
		return err
	}
	if until, held := w.local.held(key, w.Clock.Now()); held && !g.Probe {
		return w.holdBack(ctx, c, until, true) // another send of this worker just saw the provider fail
	}
	var validity time.Duration
	if c.ExpiresAt != nil {
		validity = tipline.YouthValidity
	}
	id, err := p.Send(ctx, to, r, tipline.SendOptions{MessageID: c.ID, Validity: validity})
	if err != nil {
		return w.failed(ctx, c, key, g.Probe, tipline.AsSendError(err))
	}
	if g.Probe {
		if err := w.resumed(ctx, key); err != nil {
			return err
		}
	}
	if err := w.failpoint("after_send", c.ID); err != nil {
		return err
	}
	w.count(c, "sent")
	return w.sent(ctx, c, id)
}

func (w *Worker) sent(ctx context.Context, c store.Claimed, providerID string) error {
	if err := store.MarkSent(ctx, w.Pool, c.ID, providerID, w.Clock.Now()); err != nil {
		return err
	}
	return w.afterSend(ctx, c)
}

// afterSend erases the sender once DELETE's confirmation is out (or can
// never go out): first the chat messages on the user's device where the
// channel allows (Telegram, 48 hours), then everything we hold (rule 6).
func (w *Worker) afterSend(ctx context.Context, c store.Claimed) error {
	if c.AfterSend != store.AfterSendErase || c.ConversationID == nil {
		return nil
	}
	if p, ok := w.Providers[c.Channel]; ok && p.Traits().ErasesChat {
		if to, err := w.recipient(c); err == nil {
			since := w.Clock.Now().Add(-p.Traits().EraseWindow)
			refs, err := store.ChatRefs(ctx, w.Pool, *c.ConversationID, c.Channel, since)
			if err == nil {
				if err := p.EraseChat(ctx, to, refs); err != nil {
					slog.Info("some chat messages could not be deleted", "err", err)
				}
			}
		}
	}
	return store.EraseConversationNow(ctx, w.Pool, *c.ConversationID)
}

func (w *Worker) final(ctx context.Context, c store.Claimed, status, code, detail string) error {
	w.count(c, status)
	if err := store.MarkFinal(ctx, w.Pool, c.ID, status, code, detail); err != nil {
		return err
	}
	return w.afterSend(ctx, c)
}

func (w *Worker) failpoint(point string, id int64) error {
	if w.Failpoint == nil {
		return nil
	}
	return w.Failpoint(point, id)
}

func (w *Worker) count(c store.Claimed, outcome string) {
	w.Metrics.Sends.WithLabelValues(string(c.Channel), outcome).Inc()
}
