// Package flood is the per-sender flood guard: a token bucket per sender
// that bounds how many of one sender's messages are answered (Burst at
// once, then PerMinute a minute). A flooding sender's messages are still
// kept; only the replies pause, and the sender is told once.
//
// The package is the arithmetic only. The buckets live in PostgreSQL
// (store/flood.go), one row per conversation, read and written inside the
// turn's transaction, which already holds the conversation's row lock: so
// every instance sees and takes from the same bucket, N instances allow
// the limit once and not N times, and no other sender ever waits on it.
package flood

import "time"

// Defaults of Guard.
const (
	DefaultPerMinute = 20
	DefaultBurst     = 12
)

// Guard holds the limits. The zero value uses the defaults.
type Guard struct {
	// PerMinute and Burst bound how many messages one sender has answered:
	// Burst at once, then PerMinute a minute. Defaults 20 and 12.
	PerMinute, Burst int
}

// Bucket is one sender's token bucket as stored.
type Bucket struct {
	Tokens float64   // tokens left at At
	At     time.Time // when Tokens was computed
	Told   bool      // told once, in the current flood, that replies pause
}

func (g Guard) limits() (perMin, burst float64) {
	perMin, burst = float64(g.PerMinute), float64(g.Burst)
	if perMin <= 0 {
		perMin = DefaultPerMinute
	}
	if burst <= 0 {
		burst = DefaultBurst
	}
	return perMin, burst
}

// Full returns the bucket of a sender not seen before (or not for
// RefillTime): Burst tokens at now.
func (g Guard) Full(now time.Time) Bucket {
	_, burst := g.limits()
	return Bucket{Tokens: burst, At: now}
}

// RefillTime is how long an emptied bucket takes to fill up again: a
// sender whose previous message is at least this old has a full bucket,
// whatever it held, so the turn need not read it.
func (g Guard) RefillTime() time.Duration {
	perMin, burst := g.limits()
	return time.Duration(burst / perMin * float64(time.Minute))
}

// Take takes one message from the bucket b at now and returns the bucket
// to store. over means the sender is flooding: the message is kept but not
// answered; tell is true for the first such message of a flood. A clock
// that went back (another instance's, a little behind) refills nothing.
func (g Guard) Take(b Bucket, now time.Time) (next Bucket, over, tell bool) {
	perMin, burst := g.limits()
	if dt := now.Sub(b.At).Minutes(); dt > 0 {
		b.Tokens = min(burst, b.Tokens+dt*perMin)
		b.At = now
	}
	if b.Tokens >= 1 {
		b.Tokens--
		b.Told = false
		return b, false, false
	}
	tell = !b.Told
	b.Told = true
	return b, true, tell
}
