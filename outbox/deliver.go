// Package outbox delivers the replies a turn queued as rows: it claims due
// rows (SKIP LOCKED, so any number of workers on any number of instances
// may run), books each send a slot within the channel's rate limits,
// sends it through the channel's tipline.Provider, and settles the row:
// sent, retried later, failed, or reconciled after a crash left its
// outcome unknown (docs/design.md, section 2).
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

// deliver takes one claimed row to a final or rescheduled state.
func (w *Worker) deliver(ctx context.Context, c store.Claimed) error {
	now := w.Clock.Now()
	if c.ExpiresAt != nil && now.After(*c.ExpiresAt) {
		w.count(c, "expired")
		return store.MarkFinal(ctx, w.Pool, c.ID, "expired", "expired", "reply older than its validity; dropped")
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
	if done, err := w.reconcile(ctx, c, p, to, reply); done || err != nil {
		return err
	}
	slot, wait, err := w.reserve(ctx, c, p, to, reply, now)
	if err != nil || wait {
		return err
	}
	return w.send(ctx, c, p, to, reply, slot)
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
func (w *Worker) reconcile(ctx context.Context, c store.Claimed, p tipline.Provider, to string, r tipline.Reply) (bool, error) {
	if !c.UnknownOutcome || !p.Traits().Reconciles || c.AttemptedAt == nil {
		return false, nil
	}
	id, found, err := p.Reconcile(ctx, to, r, c.AttemptedAt.Add(-5*time.Second))
	if err != nil {
		return false, w.retry(ctx, c, tipline.AsSendError(err))
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

func (w *Worker) send(ctx context.Context, c store.Claimed, p tipline.Provider, to string, r tipline.Reply, slot time.Time) error {
	if err := w.failpoint("before_send", c.ID); err != nil {
		return err
	}
	if err := store.MarkAttempt(ctx, w.Pool, c.ID, w.Clock.Now()); err != nil {
		return err
	}
	if err := w.onTime(ctx, p, to, r, slot); err != nil { // the recorded attempt is reconciled if this never wakes
		return err
	}
	var validity time.Duration
	if c.ExpiresAt != nil {
		validity = tipline.YouthValidity
	}
	id, err := p.Send(ctx, to, r, tipline.SendOptions{MessageID: c.ID, Validity: validity})
	if err != nil {
		return w.retry(ctx, c, tipline.AsSendError(err))
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

// retry reschedules a temporary failure with backoff (honouring the
// provider's Retry-After) or records a permanent one.
func (w *Worker) retry(ctx context.Context, c store.Claimed, se *tipline.SendError) error {
	blocked := se.Failure == tipline.SendBlocked || se.Failure == tipline.SendOptedOut
	if blocked && c.ConversationID != nil {
		if err := store.MarkBlocked(ctx, w.Pool, *c.ConversationID, se.Failure == tipline.SendOptedOut); err != nil {
			return err
		}
	}
	if se.Permanent() || c.Attempts+1 >= w.MaxTries {
		return w.final(ctx, c, "failed", se.Code, "provider refused the message")
	}
	delay := se.RetryAfter
	if se.Failure != tipline.SendRetryAfter || delay <= 0 {
		delay = time.Second << min(c.Attempts, 8) // 1s, 2s, 4s … 256s
	}
	w.count(c, "retry")
	return store.Reschedule(ctx, w.Pool, c.ID, w.Clock.Now().Add(delay), nil, se.Code, "temporary failure; will retry")
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
