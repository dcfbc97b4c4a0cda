package bench

import (
	"strings"
	"time"
)

// Arrival is one accepted send as a fake stamped it: when it reached the
// fake and its rate units (Twilio segments, Telegram messages).
type Arrival struct {
	At    time.Time
	Units int
}

// Arrivals returns the accepted sends on channel ("telegram" or "sms") in
// the order the fake stamped them, for checks of a provider's limits that
// need more than a count per window (faulttest's rate-limit test).
func (f *Fakes) Arrivals(channel string) []Arrival {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Arrival, len(f.times[channel]))
	for i, s := range f.times[channel] {
		out[i] = Arrival{At: s.at, Units: s.units}
	}
	return out
}

// RecipientArrivals returns, for each recipient on channel, when each of
// its accepted sends reached the fake, in order.
func (f *Fakes) RecipientArrivals(channel string) map[string][]time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := map[string][]time.Time{}
	for k, ss := range f.sends {
		to, ok := strings.CutPrefix(k, channel+":")
		if !ok {
			continue
		}
		for _, s := range ss {
			out[to] = append(out[to], s.at)
		}
	}
	return out
}
