package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/store"
)

// page records a staff page and queues it for every staff destination in
// the turn's transaction, throttled per destination so a burst is
// summarised instead of flooding the staff group. One page per turn: a
// message that both hits the danger screen and marks a tip urgent pages
// once. The page holds no message text and no identifier, only a link.
func (t *turnBatch) page(ctx context.Context, tx pgx.Tx, reason string) error {
	if t.conv.Simulated || t.tip.paged {
		return nil // simulator conversations never page anyone
	}
	t.tip.paged = true
	convID := t.conv.ID
	var tipID *int64
	path := "chats/" + t.conv.PublicID
	if t.tip.id != 0 {
		tipID = &t.tip.id
		path = "tips/" + strconv.FormatInt(t.tip.id, 10)
	}
	store.QueuePage(t.batch, reason, &convID, tipID, t.now)
	for _, target := range t.b.PageTargets {
		err := store.QueueThrottledPage(ctx, tx, store.PageMessage{
			Target: target, Channel: pageChannel(target), Body: "page:" + reason,
			Reply: tipline.Reply{Text: t.b.pageText(reason, path)}, Summary: t.b.pageSummary,
		}, t.now, t.b.Sightings.pageInterval())
		if err != nil {
			return err
		}
	}
	return nil
}

// pageSummary is the page that stands for n pages folded together.
func (b *Bot) pageSummary(n int) (string, any) {
	what := "1 more urgent alert"
	if n != 1 {
		what = strconv.Itoa(n) + " more urgent alerts"
	}
	text := fmt.Sprintf("Tipline alert. %s (urgent sighting tips or high-risk chats) since the last page. Open: %s/staff/tips",
		what, strings.TrimRight(b.DashboardURL, "/"))
	return "page:summary:" + strconv.Itoa(n), tipline.Reply{Text: text}
}

func (s *Sightings) pageInterval() time.Duration {
	if s.PageInterval > 0 {
		return s.PageInterval
	}
	return defaultPageInterval
}

func pageChannel(target string) tipline.Channel {
	if target == "telegram" {
		return tipline.ChannelTelegram
	}
	return tipline.ChannelSMS
}

// bucket is one sender's token bucket.
type bucket struct {
	tokens float64
	at     time.Time
	told   bool // told once that replies pause
}

// overLimit takes one message of a sender from their bucket. over means
// the sender is flooding: the message is kept but not answered; tell is
// true for the first such message of a flood. Buckets live in memory per
// instance: a cheap guard that never blocks other senders.
func (s *Sightings) overLimit(contactID int64, now time.Time) (over, tell bool) {
	perMin, burst := s.PerMinute, s.Burst
	if perMin <= 0 {
		perMin = 20
	}
	if burst <= 0 {
		burst = 12
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.senders == nil {
		s.senders = map[int64]*bucket{}
	}
	s.sweep(now, float64(burst), float64(perMin))
	bk := s.senders[contactID]
	if bk == nil {
		bk = &bucket{tokens: float64(burst), at: now}
		s.senders[contactID] = bk
	}
	if dt := now.Sub(bk.at).Minutes(); dt > 0 {
		bk.tokens = min(float64(burst), bk.tokens+dt*float64(perMin))
		bk.at = now
	}
	if bk.tokens >= 1 {
		bk.tokens--
		bk.told = false
		return false, false
	}
	tell = !bk.told
	bk.told = true
	return true, tell
}

// sweep forgets, once a minute, buckets that have refilled.
func (s *Sightings) sweep(now time.Time, burst, perMin float64) {
	if now.Sub(s.sweptAt) < time.Minute {
		return
	}
	s.sweptAt = now
	for id, bk := range s.senders {
		if bk.tokens+now.Sub(bk.at).Minutes()*perMin >= burst {
			delete(s.senders, id)
		}
	}
}
