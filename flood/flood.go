// Package flood is the per-sender flood guard: a token bucket per contact
// that bounds how many of one sender's messages are answered (Burst at
// once, then PerMinute a minute). A flooding sender's messages are still
// kept; only the replies pause, and the sender is told once. Buckets live
// in memory per instance: a cheap guard that never blocks other senders.
package flood

import (
	"sync"
	"time"
)

// Defaults of Guard.
const (
	DefaultPerMinute = 20
	DefaultBurst     = 12
)

// Guard holds the buckets. The zero value uses the defaults.
type Guard struct {
	// PerMinute and Burst bound how many messages one sender has answered:
	// Burst at once, then PerMinute a minute. Defaults 20 and 12.
	PerMinute, Burst int

	mu      sync.Mutex
	senders map[int64]*bucket
	sweptAt time.Time
}

// bucket is one sender's token bucket.
type bucket struct {
	tokens float64
	at     time.Time
	told   bool // told once that replies pause
}

// Over takes one message of a sender from their bucket. over means the
// sender is flooding: the message is kept but not answered; tell is true
// for the first such message of a flood.
func (g *Guard) Over(contactID int64, now time.Time) (over, tell bool) {
	perMin, burst := g.PerMinute, g.Burst
	if perMin <= 0 {
		perMin = DefaultPerMinute
	}
	if burst <= 0 {
		burst = DefaultBurst
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.senders == nil {
		g.senders = map[int64]*bucket{}
	}
	g.sweep(now, float64(burst), float64(perMin))
	bk := g.senders[contactID]
	if bk == nil {
		bk = &bucket{tokens: float64(burst), at: now}
		g.senders[contactID] = bk
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
func (g *Guard) sweep(now time.Time, burst, perMin float64) {
	if now.Sub(g.sweptAt) < time.Minute {
		return
	}
	g.sweptAt = now
	for id, bk := range g.senders {
		if bk.tokens+now.Sub(bk.at).Minutes()*perMin >= burst {
			delete(g.senders, id)
		}
	}
}
