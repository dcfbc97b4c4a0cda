package outbox

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"

	"tipline"
	"tipline/paging"
	"tipline/store"
)

// Deadlines (docs/design.md, section 2): a message is retried until its
// own deadline, not a number of tries. A reply to a youth lives as long as
// its validity (expires_at, tipline.YouthValidity); a staff page and any
// other message (a tipster's reply, a staff message to a tipster) for
// DefaultDeadline.
const DefaultDeadline = 24 * time.Hour

// Backoff between a row's own failed tries: it doubles from 1 s up to
// urgentBackoff for crisis replies and pages, otherwise up to maxBackoff.
// A pause of the provider (pause.go), not this, is what spares a provider
// in an outage; this only keeps one message that keeps failing from
// pausing the provider again and again.
const (
	urgentBackoff = 10 * time.Second
	maxBackoff    = 30 * time.Second
	// lastChance is how long before its deadline a row's last try is
	// placed when the backoff would go past it.
	lastChance = time.Second
)

// deadline is when a row stops being retried.
func deadline(c store.Claimed) time.Time {
	if c.ExpiresAt != nil {
		return *c.ExpiresAt
	}
	return c.CreatedAt.Add(DefaultDeadline)
}

// crisis reports whether a row is the answer to a danger message.
func crisis(c store.Claimed) bool {
	return c.Urgent && c.Kind != tipline.MessagePage && c.ConversationID != nil
}

// nextTry is when a row that failed is tried again: after its backoff and
// after the provider's pause (none: zero), never past its deadline; ok is
// false when no try is left before it. A failure that only renewed a
// pause (the probe of an outage that goes on) adds no backoff of the
// row's own: the row is due when the pause ends, so that crisis replies
// go first then. A failure that began a pause may be the message's own
// fault, and backs off.
func nextTry(c store.Claimed, now time.Time, pz pause) (time.Time, bool) {
	limit := maxBackoff
	if c.Urgent {
		limit = urgentBackoff
	}
	at := now.Add(min(time.Second<<min(c.Attempts, 16), limit))
	if pz.renewed || pz.until.After(at) {
		at = pz.until
	}
	dl := deadline(c)
	if at.After(dl.Add(-lastChance)) {
		at = dl.Add(-lastChance)
	}
	return at, at.After(now)
}

// failed acts on a failed provider call: a temporary failure pauses the
// provider account for every message (pause.go); an answer, even a
// refusal, ends a pause this send was probing. Then the row is retried.
func (w *Worker) failed(ctx context.Context, c store.Claimed, key store.PauseKey, probe bool, se *tipline.SendError) error {
	var pz pause
	if pausing(se) {
		var err error
		if pz, err = w.pauseProvider(ctx, key, se); err != nil {
			return err
		}
	} else if probe {
		if err := w.resumed(ctx, key); err != nil {
			return err
		}
	}
	return w.retry(ctx, c, se, pz)
}

// retry reschedules a temporary failure, after the provider's pause and
// the row's own backoff and before its deadline, or records a permanent
// one (a crisis reply's then pages staff, deadline.go).
func (w *Worker) retry(ctx context.Context, c store.Claimed, se *tipline.SendError, pz pause) error {
	blocked := se.Failure == tipline.SendBlocked || se.Failure == tipline.SendOptedOut
	if blocked && c.ConversationID != nil {
		if err := store.MarkBlocked(ctx, w.Pool, *c.ConversationID, se.Failure == tipline.SendOptedOut); err != nil {
			return err
		}
	}
	if se.Permanent() || c.Attempts+1 >= w.MaxTries {
		return w.missed(ctx, c, "failed", se.Code, "provider refused the message")
	}
	at, ok := nextTry(c, w.Clock.Now(), pz)
	if !ok {
		status := "failed"
		if c.ExpiresAt != nil {
			status = "expired"
		}
		return w.missed(ctx, c, status, se.Code, "not delivered before its deadline")
	}
	w.count(c, "retry")
	return store.Reschedule(ctx, w.Pool, c.ID, at, nil, se.Code, "temporary failure; will retry")
}

// missed ends a row that can no longer be delivered: past its deadline,
// refused for good, or beyond the safety net of tries. A reply to a youth
// past its validity is "expired", anything else "failed". A crisis reply
// flags its chat and pages staff in the same transaction; a page that
// misses is counted and logged (paging staff about a page is no help).
func (w *Worker) missed(ctx context.Context, c store.Claimed, status, code, detail string) error {
	switch {
	case crisis(c):
		w.count(c, "crisis_missed")
		slog.Warn("crisis reply not delivered: chat flagged and staff paged", "message_id", c.ID, "code", code)
		err := store.MissCrisisReply(ctx, w.Pool, store.MissedCrisis{ID: c.ID, ConversationID: *c.ConversationID,
			Status: status, Code: code, Detail: detail, Now: w.Clock.Now(), Pages: w.crisisPages, Interval: w.pageInterval()})
		if err != nil {
			return err
		}
		return w.afterSend(ctx, c)
	case c.Kind == tipline.MessagePage:
		w.count(c, "page_missed")
		slog.Error("staff page not delivered", "message_id", c.ID, "target", c.Target, "code", code)
	}
	return w.final(ctx, c, status, code, detail)
}

// pageAnswered ends a page being retried once staff acknowledged every
// page on the dashboard: a staff page is retried until acknowledged or for
// a day. (A page message stands for one page, a summary for several; they
// are not linked one to one, so only "all acknowledged" is certain.)
func (w *Worker) pageAnswered(ctx context.Context, c store.Claimed) (bool, error) {
	if c.Kind != tipline.MessagePage || c.Attempts == 0 {
		return false, nil
	}
	acked, err := store.PagesAcknowledged(ctx, w.Pool, w.Clock.Now())
	if err != nil || !acked {
		return false, err
	}
	return true, w.final(ctx, c, "expired", "acknowledged", "staff acknowledged the page before it could be delivered")
}

// expire ends a row whose deadline passed before it could go out.
func (w *Worker) expire(ctx context.Context, c store.Claimed) error {
	if c.ExpiresAt != nil {
		return w.missed(ctx, c, "expired", "expired", "reply older than its validity; dropped")
	}
	return w.missed(ctx, c, "failed", "deadline", fmt.Sprintf("not delivered within %v", DefaultDeadline))
}

// crisisPages are the pages for a conversation whose crisis reply could
// not be delivered: to every destination of the Pager (without one, to
// the primary destinations in Pages), with a dashboard link only (no
// text, no identifier; docs/design.md rule 12).
func (w *Worker) crisisPages(conversationPID string) []store.PageMessage {
	base, targets := "", w.primaryTargets()
	if w.Pager != nil {
		base, targets = strings.TrimRight(w.Pager.DashboardURL, "/"), w.Pager.Targets
	}
	text := "Tipline alert. A crisis reply could not be delivered in time: the chat needs a staff member now. Open: " +
		base + "/staff/chats/" + conversationPID
	out := make([]store.PageMessage, 0, len(targets))
	for _, target := range targets {
		ch := tipline.ChannelSMS
		if target == "telegram" {
			ch = tipline.ChannelTelegram
		}
		out = append(out, store.PageMessage{Target: target, Channel: ch, Body: "page:undelivered",
			Reply: tipline.Reply{Text: text}, Summary: func(n int) (string, any) {
				return fmt.Sprintf("page:summary:%d", n), tipline.Reply{Text: fmt.Sprintf(
					"Tipline alert. %d more urgent alerts (urgent sighting tips, high-risk chats or undelivered crisis replies) since the last page. Open: %s/staff/tips",
					n, base)}
			}})
	}
	return out
}

// primaryTargets are the page destinations in Pages other than the
// secondary ones (which only re-pages use), sorted.
func (w *Worker) primaryTargets() []string {
	var out []string
	for t := range w.Pages {
		if t == "telegram" || strings.HasPrefix(t, "sms:") {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out
}

func (w *Worker) pageInterval() time.Duration {
	if w.Pager != nil && w.Pager.Interval > 0 {
		return w.Pager.Interval
	}
	return paging.DefaultInterval
}
