package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"time"

	"tipline"
	"tipline/store"
)

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
