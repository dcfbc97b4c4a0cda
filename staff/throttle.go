package staff

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// Login slowdown (DESIGN rule 13): failures are counted per account and
// per client address over a window; from the third failure on, every
// attempt from that account or address waits, twice as long each time, up
// to a ceiling. A correct password after the wait still signs in: nothing
// is ever locked.
const (
	failureWindow = 15 * time.Minute
	freeFailures  = 2
	firstDelay    = 500 * time.Millisecond
	maxDelay      = 20 * time.Second
)

// loginDelay is the wait before checking a password, after n failures.
func loginDelay(n int) time.Duration {
	if n <= freeFailures {
		return 0
	}
	d := firstDelay << min(n-freeFailures-1, 10)
	return min(d, maxDelay)
}

// throttleKeys are the keys failures are counted under. Addresses are
// hashed so the table holds no raw client address.
func throttleKeys(email, addr string) []string {
	sum := sha256.Sum256([]byte(addr))
	return []string{"acct:" + strings.ToLower(strings.TrimSpace(email)), "addr:" + hex.EncodeToString(sum[:12])}
}

// slowDown waits as long as the worse of the account's and the address's
// failure counts asks, and returns the delay it applied.
func (db *Dashboard) slowDown(ctx context.Context, keys []string, now time.Time) time.Duration {
	worst := 0
	for _, k := range keys {
		n, err := db.store.LoginFailures(ctx, k, now.Add(-failureWindow))
		if err == nil && n > worst {
			worst = n
		}
	}
	d := loginDelay(worst)
	if d > 0 {
		db.d.Sleep(ctx, d)
	}
	return d
}

// recordFailure counts a failed attempt under every key.
func (db *Dashboard) recordFailure(ctx context.Context, keys []string, now time.Time) {
	for _, k := range keys {
		_ = db.store.RecordLoginFailure(ctx, k, now, now.Add(-failureWindow))
	}
}

// clearFailures forgets the account's failures after a good login (the
// address keeps its count: one good account does not clear a spray).
func (db *Dashboard) clearFailures(ctx context.Context, keys []string) {
	_ = db.store.ClearLoginFailures(ctx, keys[0])
}
