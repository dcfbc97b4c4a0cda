package bench

import (
	"net"
	"net/http"
	"sort"
	"sync"
	"time"
)

// Fakes are the provider APIs a spawned service sends its replies to: a
// Telegram Bot API and a Twilio Messages API on loopback, lean enough not to
// steal much of the machine from the service under test. They record every
// accepted send by recipient (for the exactly-once check) and its time (for
// the rate-limit check), and can be told to fail for a while.
type Fakes struct {
	// TelegramURL and TwilioURL are the base URLs to pass as
	// TELEGRAM_API_URL and TWILIO_API_URL.
	TelegramURL, TwilioURL string
	// TelegramToken is the bot token the Telegram fake accepts.
	TelegramToken string
	// TwilioSID and TwilioToken are the account the Twilio fake accepts.
	TwilioSID, TwilioToken string

	servers []*http.Server
	mu      sync.Mutex
	sends   map[string][]send     // by recipient: "telegram:<chat id>" or "sms:<number>"
	times   map[string][]stamp    // by channel: when each send was accepted
	fail    map[string]failWindow // by channel
	failed  map[string]int
	refused map[string][]stamp // by channel: when each refused send was answered
	other   int                // calls other than sends (answerCallbackQuery, setWebhook, lists)
	nextID  int
}

type send struct {
	id   string
	body string
	at   time.Time
}

// stamp is one accepted send: its time and its rate units (Twilio counts
// segments, Telegram messages).
type stamp struct {
	at    time.Time
	units int
}

type failWindow struct {
	status     int
	retryAfter int // seconds, with 429: Twilio's Retry-After header, Telegram's parameters.retry_after
	until      time.Time
}

// StartFakes starts both fake APIs on 127.0.0.1 with fresh credentials.
func StartFakes() (*Fakes, error) {
	f := &Fakes{
		TelegramToken: "4242:" + randomToken(20),
		TwilioSID:     "AC" + randomHex(16),
		TwilioToken:   randomHex(16),
		sends:         map[string][]send{},
		times:         map[string][]stamp{},
		fail:          map[string]failWindow{},
		failed:        map[string]int{},
		refused:       map[string][]stamp{},
		nextID:        1000,
	}
	var err error
	if f.TelegramURL, err = f.serve(http.HandlerFunc(f.telegram)); err != nil {
		return nil, err
	}
	if f.TwilioURL, err = f.serve(http.HandlerFunc(f.twilio)); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

func (f *Fakes) serve(h http.Handler) (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	f.servers = append(f.servers, srv)
	go func() { _ = srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), nil
}

// Close stops both servers.
func (f *Fakes) Close() {
	for _, s := range f.servers {
		_ = s.Close()
	}
}

// FailFor makes sends on channel ("telegram" or "sms") answer status (for
// example 500) for the next d.
func (f *Fakes) FailFor(channel string, status int, d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[channel] = failWindow{status: status, until: time.Now().Add(d)}
}

// ThrottleFor makes sends on channel answer 429 Too Many Requests for the
// next d, asking to wait retryAfter seconds (Twilio's Retry-After header,
// Telegram's parameters.retry_after).
func (f *Fakes) ThrottleFor(channel string, retryAfter int, d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fail[channel] = failWindow{status: http.StatusTooManyRequests, retryAfter: retryAfter, until: time.Now().Add(d)}
}

// failing reports the failure a send on channel must answer now, if any
// (status 0: none), and counts it.
func (f *Fakes) failing(channel string) failWindow {
	f.mu.Lock()
	defer f.mu.Unlock()
	w, ok := f.fail[channel]
	if !ok || time.Now().After(w.until) {
		return failWindow{}
	}
	f.failed[channel]++
	f.refused[channel] = append(f.refused[channel], stamp{at: time.Now(), units: 1})
	return w
}

// RefusedTimes returns when each send on channel the fake refused on
// purpose was answered, in order.
func (f *Fakes) RefusedTimes(channel string) []time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]time.Time, len(f.refused[channel]))
	for i, s := range f.refused[channel] {
		out[i] = s.at
	}
	return out
}

// MaxFailedPerWindow returns the most sends on channel the fake refused on
// purpose inside any window of length w (sliding).
func (f *Fakes) MaxFailedPerWindow(channel string, w time.Duration) int {
	f.mu.Lock()
	ts := append([]stamp(nil), f.refused[channel]...)
	f.mu.Unlock()
	return maxInWindow(ts, w)
}

// record stores an accepted send of units rate units and returns its
// provider id number.
func (f *Fakes) record(channel, to, body, sid string, units int) int {
	now := time.Now()
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	key := channel + ":" + to
	f.sends[key] = append(f.sends[key], send{id: sid, body: body, at: now})
	f.times[channel] = append(f.times[channel], stamp{at: now, units: units})
	return f.nextID
}

func (f *Fakes) countOther() {
	f.mu.Lock()
	f.other++
	f.mu.Unlock()
}

// SendCounts returns how many sends each recipient received.
func (f *Fakes) SendCounts() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[string]int, len(f.sends))
	for k, v := range f.sends {
		out[k] = len(v)
	}
	return out
}

// Total returns the number of accepted sends on a channel.
func (f *Fakes) Total(channel string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.times[channel])
}

// Failed returns how many sends on a channel the fake refused on purpose.
func (f *Fakes) Failed(channel string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.failed[channel]
}

// MaxPerWindow returns the most rate units (Telegram messages, Twilio
// segments) sent on channel inside any window of length w (sliding, not
// calendar seconds). A send of several units is counted as the provider
// sends it: one unit every perUnit (Twilio's queue releases a long SMS's
// segments at the sender's MPS); perUnit 0 counts them all at once.
func (f *Fakes) MaxPerWindow(channel string, w, perUnit time.Duration) int {
	f.mu.Lock()
	var ts []stamp
	for _, s := range f.times[channel] {
		for i := range s.units {
			ts = append(ts, stamp{at: s.at.Add(time.Duration(i) * perUnit), units: 1})
		}
	}
	f.mu.Unlock()
	return maxInWindow(ts, w)
}

// MinRecipientGap returns the shortest time between two sends to one
// recipient on channel (Telegram allows about one a second per chat); ok is
// false when no recipient received two.
func (f *Fakes) MinRecipientGap(channel string) (gap time.Duration, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	prefix := channel + ":"
	for k, ss := range f.sends {
		if len(k) <= len(prefix) || k[:len(prefix)] != prefix {
			continue
		}
		for i := 1; i < len(ss); i++ {
			if d := ss[i].at.Sub(ss[i-1].at); !ok || d < gap {
				gap, ok = d, true
			}
		}
	}
	return gap, ok
}

func maxInWindow(ts []stamp, w time.Duration) int {
	sort.Slice(ts, func(i, j int) bool { return ts[i].at.Before(ts[j].at) })
	best, lo, sum := 0, 0, 0
	for hi := range ts {
		sum += ts[hi].units
		for ts[hi].at.Sub(ts[lo].at) >= w {
			sum -= ts[lo].units
			lo++
		}
		best = max(best, sum)
	}
	return best
}
