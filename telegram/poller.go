package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"strings"
	"time"

	"tipline"
)

// Locker is a lock shared by every instance (for example a PostgreSQL
// advisory lock), so that one bot is long-polled by one process at a time.
// TryLock does not wait: ok=false means another holder has it. release
// gives it back and must be safe to call once.
type Locker interface {
	TryLock(ctx context.Context) (release func(), ok bool, err error)
}

// PollerConfig configures a Poller. Zero values take the defaults.
type PollerConfig struct {
	// Timeout is the long-poll wait of each getUpdates call; 30s by default.
	Timeout time.Duration
	// AllowedUpdates filters update kinds; DefaultAllowedUpdates by default.
	AllowedUpdates []string
	// LockRetry is how often to try the lock while another instance has
	// it; 10s by default.
	LockRetry time.Duration
	// MinBackoff and MaxBackoff bound the growing delay (doubling from Min)
	// after a failed getUpdates or a failed handler; 1s and 1m by default.
	// A 429's retry_after is honoured when longer.
	MinBackoff, MaxBackoff time.Duration
	// WebhookRetry is how long to wait before polling again after
	// getUpdates answered 409 because the bot has a webhook; 1m by default.
	WebhookRetry time.Duration
	// OnMember handles KindBlocked and KindUnblocked. When nil those
	// updates count as ignored.
	OnMember func(ctx context.Context, u Update) error
	// Now stamps Inbound.ReceivedAt; time.Now when nil.
	Now func() time.Time
	// Sleep waits d or until ctx ends (then returns ctx.Err()); a real
	// timer when nil. Tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger receives failures (update ids and errors, never content).
	Logger *slog.Logger
}

// Poller is Tipline's own getUpdates loop: the library's GetUpdatesChan
// confirms updates before they are handled, which could lose a message.
type Poller struct {
	c    *Client
	lock Locker
	cfg  PollerConfig
}

// NewPoller builds a poller for the client's bot. lock is required.
func NewPoller(c *Client, lock Locker, cfg PollerConfig) (*Poller, error) {
	if c == nil || lock == nil {
		return nil, errors.New("telegram: poller needs a client and a lock")
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.Timeout, 30*time.Second)
	def(&cfg.LockRetry, 10*time.Second)
	def(&cfg.MinBackoff, time.Second)
	def(&cfg.MaxBackoff, time.Minute)
	def(&cfg.WebhookRetry, time.Minute)
	if cfg.AllowedUpdates == nil {
		cfg.AllowedUpdates = DefaultAllowedUpdates
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	return &Poller{c: c, lock: lock, cfg: cfg}, nil
}

// Run polls until ctx ends, and then returns ctx.Err(). It never gives up
// on Telegram: nothing is asked before the first getUpdates, so a bot API
// that is down, or a webhook set on the bot, delays polling but never
// stops it (nor the service that runs it).
//
// It polls only while holding the lock, trying again every LockRetry
// while another instance holds it. A failed getUpdates is retried with
// growing delays. A 409 Conflict from getUpdates means the bot has a
// webhook: polling would take its updates from the webhook, so the poller
// never deletes it; it logs ErrWebhookSet at error level and asks again
// every WebhookRetry, resuming once the webhook is gone. Updates are
// handled one at a time, in update_id order: handle gets each message; the
// offset moves past an update only after handle returned nil, and a
// failing update is retried with growing delays, never skipped. ignored
// (optional) is told the id of each update that is acknowledged without
// handling: other kinds, malformed ones, and blocked/unblocked when
// OnMember is nil.
func (p *Poller) Run(ctx context.Context, handle func(ctx context.Context, in tipline.Inbound) error,
	ignored func(updateID int)) error {
	if handle == nil {
		return errors.New("telegram: poller needs a handler")
	}
	for {
		release, ok, err := p.lock.TryLock(ctx)
		if err != nil {
			p.log(ctx, "telegram poller: lock failed", slog.String("err", err.Error()))
		}
		if err == nil && ok {
			err = p.poll(ctx, handle, ignored)
			release()
			return err
		}
		if err := p.cfg.Sleep(ctx, p.cfg.LockRetry); err != nil {
			return err
		}
	}
}

// poll is the loop run while holding the lock.
func (p *Poller) poll(ctx context.Context, handle func(context.Context, tipline.Inbound) error,
	ignored func(int)) error {
	offset, failures := 0, 0
	for ctx.Err() == nil {
		raws, err := p.c.GetUpdates(ctx, offset, p.cfg.Timeout, p.cfg.AllowedUpdates...)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			wait := p.cfg.WebhookRetry
			if webhookConflict(err) {
				p.logAt(ctx, slog.LevelError, "telegram poller: "+ErrWebhookSet.Error()+"; polling again later",
					slog.Duration("retry_in", wait))
			} else {
				failures++
				wait = p.backoff(failures, err)
				p.log(ctx, "telegram poller: getUpdates failed", slog.String("err", err.Error()))
			}
			if err := p.cfg.Sleep(ctx, wait); err != nil {
				return err
			}
			continue
		}
		failures = 0
		before := offset
		for _, raw := range raws {
			next, err := p.one(ctx, raw, handle, ignored)
			if err != nil {
				return err
			}
			offset = max(offset, next)
		}
		if len(raws) > 0 && offset == before {
			// Only updates without a usable id: do not spin on them.
			if err := p.cfg.Sleep(ctx, p.cfg.MinBackoff); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}

// one handles one raw update and returns the offset that confirms it (0 if
// it has no usable id). It fails only when ctx ends.
func (p *Poller) one(ctx context.Context, raw json.RawMessage,
	handle func(context.Context, tipline.Inbound) error, ignored func(int)) (int, error) {
	u, err := ParseUpdate(raw)
	if err != nil {
		id, ok := peekID(raw)
		p.log(ctx, "telegram poller: malformed update ignored", slog.Int64("update_id", id))
		if !ok {
			return 0, nil
		}
		u = Update{ID: id}
	}
	var fn func(context.Context) error
	switch {
	case u.Kind == KindMessage:
		u.Inbound.ReceivedAt = p.cfg.Now()
		fn = func(ctx context.Context) error { return handle(ctx, u.Inbound) }
	case (u.Kind == KindBlocked || u.Kind == KindUnblocked) && p.cfg.OnMember != nil:
		u.Inbound.ReceivedAt = p.cfg.Now()
		fn = func(ctx context.Context) error { return p.cfg.OnMember(ctx, u) }
	default:
		if ignored != nil {
			ignored(int(u.ID))
		}
		return confirm(u.ID), nil
	}
	for attempt := 1; ; attempt++ {
		err := fn(ctx)
		if err == nil {
			return confirm(u.ID), nil
		}
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		p.log(ctx, "telegram poller: handler failed, will retry", slog.Int64("update_id", u.ID),
			slog.Int("attempt", attempt), slog.String("err", err.Error()))
		if err := p.cfg.Sleep(ctx, p.backoff(attempt, err)); err != nil {
			return 0, err
		}
	}
}

// backoff is the delay after the n-th consecutive failure: MinBackoff
// doubled n-1 times, capped at MaxBackoff, and at least a 429's retry_after.
func (p *Poller) backoff(n int, err error) time.Duration {
	d := p.cfg.MinBackoff
	for i := 1; i < n && d < p.cfg.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, p.cfg.MaxBackoff)
	var se *SendError
	if errors.As(err, &se) && se.RetryAfter > d {
		d = se.RetryAfter
	}
	return d
}

func (p *Poller) log(ctx context.Context, msg string, attrs ...slog.Attr) {
	p.logAt(ctx, slog.LevelWarn, msg, attrs...)
}

func (p *Poller) logAt(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if p.cfg.Logger != nil {
		p.cfg.Logger.LogAttrs(ctx, level, msg, attrs...)
	}
}

// webhookConflict recognises getUpdates' 409 "can't use getUpdates method
// while webhook is active".
func webhookConflict(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Code == 409 && strings.Contains(strings.ToLower(se.Description), "webhook")
}

// confirm is the offset that confirms update id (0 if it cannot be said).
func confirm(id int64) int {
	if id < 0 || id >= math.MaxInt {
		return 0
	}
	return int(id) + 1
}

// peekID extracts update_id from an update Parse rejected, if it has one.
func peekID(raw []byte) (int64, bool) {
	var w struct {
		UpdateID *int64 `json:"update_id"`
	}
	if json.Unmarshal(raw, &w) != nil || w.UpdateID == nil || *w.UpdateID < 0 {
		return 0, false
	}
	return *w.UpdateID, true
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
