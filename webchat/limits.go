package webchat

import (
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"
)

// Limits are the web chat's rate limits, per instance. A session is held
// to a person's pace; an address is generous, because a shelter's, a
// school's or a library's Wi-Fi puts many people behind one address, and
// none of them may be locked out by the others (docs/design.md section 9).
type Limits struct {
	// SessionBurst messages at once, then one per SessionEvery, per session.
	SessionBurst int
	SessionEvery time.Duration
	// AddressBurst messages at once, then one per AddressEvery, per client
	// address (an IPv6 address counts by its /64).
	AddressBurst int
	AddressEvery time.Duration
	// NewSessionBurst sessions at once, then one per NewSessionEvery, per
	// client address.
	NewSessionBurst int
	NewSessionEvery time.Duration
	// StreamsPerSession is how many reply streams one session may hold
	// open at once (tabs of the same session).
	StreamsPerSession int
}

// DefaultLimits: 8 messages at once then 20 a minute per session; 200 at
// once then 300 a minute per address; 60 new sessions at once then 2 a
// minute per address; 4 streams per session.
var DefaultLimits = Limits{
	SessionBurst: 8, SessionEvery: 3 * time.Second,
	AddressBurst: 200, AddressEvery: 200 * time.Millisecond,
	NewSessionBurst: 60, NewSessionEvery: 30 * time.Second,
	StreamsPerSession: 4,
}

// bucket is a token bucket: up to burst tokens, one more every every.
type bucket struct {
	tokens float64
	at     time.Time
}

// buckets are token buckets by key, forgotten once full again.
type buckets struct {
	mu    sync.Mutex
	burst float64
	every time.Duration
	m     map[string]*bucket
	swept time.Time
}

func newBuckets(burst int, every time.Duration) *buckets {
	return &buckets{burst: float64(burst), every: every, m: map[string]*bucket{}}
}

// take takes one token of key at now; false when there is none.
func (b *buckets) take(key string, now time.Time) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sweep(now)
	k, ok := b.m[key]
	if !ok {
		k = &bucket{tokens: b.burst, at: now}
		b.m[key] = k
	}
	k.tokens = min(b.burst, k.tokens+float64(now.Sub(k.at))/float64(b.every))
	k.at = now
	if k.tokens < 1 {
		return false
	}
	k.tokens--
	return true
}

// sweep forgets, at most once a minute, the buckets that are full again.
func (b *buckets) sweep(now time.Time) {
	if now.Sub(b.swept) < time.Minute {
		return
	}
	b.swept = now
	full := time.Duration(b.burst * float64(b.every))
	for key, k := range b.m {
		if now.Sub(k.at) >= full {
			delete(b.m, key)
		}
	}
}

// limiter applies Limits.
type limiter struct {
	session, address, newSession *buckets
	mu                           sync.Mutex
	streams                      map[string]int
	maxStreams                   int
}

func newLimiter(l Limits) *limiter {
	return &limiter{
		session:    newBuckets(l.SessionBurst, l.SessionEvery),
		address:    newBuckets(l.AddressBurst, l.AddressEvery),
		newSession: newBuckets(l.NewSessionBurst, l.NewSessionEvery),
		streams:    map[string]int{}, maxStreams: l.StreamsPerSession,
	}
}

// send reports whether a message of session (its keyed hash) from addr
// may go now. The session is asked first, so a quick sender uses up its
// own allowance and not its neighbours'.
func (l *limiter) send(session, addr string, now time.Time) bool {
	return l.session.take(session, now) && l.address.take(addr, now)
}

// openStream counts a stream of session; false when it has too many.
func (l *limiter) openStream(session string) (ok bool, done func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.streams[session] >= l.maxStreams {
		return false, nil
	}
	l.streams[session]++
	return true, func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		if l.streams[session]--; l.streams[session] <= 0 {
			delete(l.streams, session)
		}
	}
}

// clientAddr is the address a request came from: the peer, unless the
// peer is a trusted proxy, in which case X-Forwarded-For is read from the
// right up to the first address that is not a trusted proxy. An IPv6
// address counts by its /64 (one household or site).
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	peer, ok := parseAddr(r.RemoteAddr)
	if !ok {
		return "unknown"
	}
	isTrusted := func(a netip.Addr) bool {
		for _, p := range trusted {
			if p.Contains(a) {
				return true
			}
		}
		return false
	}
	if isTrusted(peer) {
		var hops []string
		for _, v := range r.Header.Values("X-Forwarded-For") {
			hops = append(hops, strings.Split(v, ",")...)
		}
		for i := len(hops) - 1; i >= 0; i-- {
			a, ok := parseAddr(strings.TrimSpace(hops[i]))
			if !ok {
				break
			}
			peer = a
			if !isTrusted(a) {
				break
			}
		}
	}
	if peer.Is6() {
		p, _ := peer.Prefix(64)
		return p.String()
	}
	return peer.String()
}

// parseAddr reads "ip", "ip:port" or "[ipv6]:port".
func parseAddr(s string) (netip.Addr, bool) {
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	if a, err := netip.ParseAddr(strings.Trim(s, "[]")); err == nil {
		return a.Unmap(), true
	}
	return netip.Addr{}, false
}
