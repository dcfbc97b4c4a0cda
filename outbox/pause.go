package outbox

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"tipline"
	"tipline/store"
)

// Provider pauses (docs/design.md, section 2). A 429 with Retry-After,
// Telegram's retry_after, a 5xx or no answer at all pauses the provider
// account for every message on every instance (store.PauseProvider): no
// row of that channel is claimed until the pause ends. Then one send at a
// time probes the provider; its success ends the pause, its failure renews
// it. So an outage costs about one failed call per pause (one a second
// with Retry-After: 1), however many messages wait.
const (
	// probeLease is how long a probe holds the provider: longer than a
	// provider call may take (the clients time out after 10 s).
	probeLease = 20 * time.Second
	// probeWait is how soon a row held back by another's probe is due
	// again (it is not claimed while the probe is under way).
	probeWait = 250 * time.Millisecond
	// maxPauseBackoff bounds the pause when the provider named no wait:
	// 1 s, 2 s, 4 s, then 8 s while it keeps failing.
	maxPauseBackoff = 8 * time.Second
	// maxNamedPause bounds a wait the provider named.
	maxNamedPause = time.Hour
)

// Accounter is what a provider implements to name the account it sends
// from, so that two accounts of one channel pause apart. Without it the
// channel is one account.
type Accounter interface {
	Account() string
}

// pauseKey names the provider account a send goes through.
func pauseKey(p tipline.Provider) store.PauseKey {
	k := store.PauseKey{Channel: p.Channel()}
	if a, ok := p.(Accounter); ok {
		k.Account = a.Account()
	}
	return k
}

// pausing reports whether a failure pauses the whole provider account:
// every temporary failure does (429, retry_after, 5xx, no answer). A
// permanent one is about the message or the person, and an answer.
func pausing(se *tipline.SendError) bool {
	return se.Failure == tipline.SendTemporary || se.Failure == tipline.SendRetryAfter
}

// localPauses is what this worker knows of the pauses, so that sends
// already past the database's gate (waiting for their rate-limit slot)
// do not go to a provider another send of this worker just saw fail.
type localPauses struct {
	mu    sync.Mutex
	until map[store.PauseKey]time.Time
}

func (l *localPauses) set(k store.PauseKey, until time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.until == nil {
		l.until = map[store.PauseKey]time.Time{}
	}
	if until.After(l.until[k]) {
		l.until[k] = until
	}
}

func (l *localPauses) clear(k store.PauseKey) {
	l.mu.Lock()
	delete(l.until, k)
	l.mu.Unlock()
}

// held returns when k's pause ends, if it has not ended by now.
func (l *localPauses) held(k store.PauseKey, now time.Time) (time.Time, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	u, ok := l.until[k]
	return u, ok && u.After(now)
}

// recheckLead: a send whose rate-limit slot is further away than this
// after it passed the gate asks the database again, this long before its
// slot, whether another instance paused the provider meanwhile (and still
// leaves at its slot).
const recheckLead = 10 * time.Millisecond

// pausedMeanwhile waits until just before slot and reports whether the
// provider was paused meanwhile by another instance, and until when. A
// send whose slot is near goes without asking.
func (w *Worker) pausedMeanwhile(ctx context.Context, key store.PauseKey, slot time.Time) (time.Time, bool, error) {
	if slot.Sub(w.Clock.Now()) <= 2*recheckLead {
		return time.Time{}, false, nil
	}
	if err := w.sleepUntil(ctx, slot.Add(-recheckLead)); err != nil {
		return time.Time{}, false, err
	}
	now := w.Clock.Now()
	until, paused, probing, err := store.ProviderPaused(ctx, w.Pool, key, now)
	if err != nil || !paused {
		return time.Time{}, false, err
	}
	if probing {
		until = now.Add(probeWait)
	}
	return until, true, nil
}

// holdBack puts a row back untouched until its provider's pause ends
// (attempted: its attempt was recorded and is taken back).
func (w *Worker) holdBack(ctx context.Context, c store.Claimed, at time.Time, attempted bool) error {
	w.count(c, "paused")
	w.slots.add(at)
	return store.HoldBack(ctx, w.Pool, c.ID, at, attempted)
}

// gated is the gate's answer when the send may not go: the row is held
// back until the pause ends, or briefly while another send probes.
func (w *Worker) gated(ctx context.Context, c store.Claimed, key store.PauseKey, g store.Gate, now time.Time) error {
	at := g.Until
	if g.Probing || !at.After(now) {
		at = now.Add(probeWait)
	} else {
		w.local.set(key, at)
		w.Metrics.Paused.WithLabelValues(string(key.Channel)).Set(1)
	}
	return w.holdBack(ctx, c, at, false)
}

// pause is a provider pause a failed send began or renewed.
type pause struct {
	until   time.Time
	renewed bool // the provider was paused already: an outage goes on
}

// pauseProvider pauses the account after a failure that says the provider
// cannot take messages now, and returns when the pause ends.
func (w *Worker) pauseProvider(ctx context.Context, key store.PauseKey, se *tipline.SendError) (pause, error) {
	wait := time.Duration(0)
	if se.Failure == tipline.SendRetryAfter {
		wait = min(max(se.RetryAfter, time.Millisecond), maxNamedPause)
	}
	// This worker's other sends stop at once, not after the round trip
	// (slow under load) that records the pause for every instance.
	w.local.set(key, w.Clock.Now().Add(max(wait, time.Second)))
	until, fresh, err := store.PauseProvider(ctx, w.Pool, key, w.Clock.Now(), wait, maxPauseBackoff, se.Code)
	if err != nil {
		return pause{}, err
	}
	w.local.set(key, until)
	ch := string(key.Channel)
	w.Metrics.Paused.WithLabelValues(ch).Set(1)
	w.Metrics.PauseFailures.WithLabelValues(ch, se.Failure.String()).Inc()
	if fresh {
		w.Metrics.Pauses.WithLabelValues(ch, se.Failure.String()).Inc()
		slog.Warn("provider paused for every message", "channel", ch, "code", se.Code, "until", until)
	}
	return pause{until: until, renewed: !fresh}, nil
}

// resumed ends the account's pause after its probe got an answer.
func (w *Worker) resumed(ctx context.Context, key store.PauseKey) error {
	w.local.clear(key)
	w.Metrics.Paused.WithLabelValues(string(key.Channel)).Set(0)
	slog.Info("provider resumed", "channel", key.Channel)
	return store.ClearPause(ctx, w.Pool, key)
}
