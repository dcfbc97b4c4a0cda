package staff

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"tipline/store"
)

// Login slowdown (docs/design.md rule 13): failures are counted per
// account and per client address over a window; from the third failure
// on, the next attempt from that account or address is refused, without
// hashing, until a delay after the latest failure has passed, twice as
// long each time, up to a ceiling. A correct password after the wait
// still signs in: nothing is ever locked.
//
// The attempt is counted before its password is hashed (issue 15), so
// parallel guesses each see the ones before them and cannot all slip
// through on the same count; a correct password gives its count back.
const (
	failureWindow = 15 * time.Minute
	freeFailures  = 2
	firstDelay    = 500 * time.Millisecond
	maxDelay      = 20 * time.Second
	// hashWait is how long a login waits for a hashing slot
	// (password.MaxConcurrent) before it is told to try again.
	hashWait = 5 * time.Second
	// loginConcurrency is how many sign-ins (password or TOTP) do their
	// database work at once: half the store's smallest pool (8), so a
	// flood of logins queued on one account's row lock can never take
	// every connection from the webhooks.
	loginConcurrency = 4
)

// loginGate admits loginConcurrency sign-ins at a time, process-wide.
var loginGate = make(chan struct{}, loginConcurrency)

// enterLogin waits (up to hashWait) for a place at the gate; leave gives
// it back. false: the caller answers "busy".
func enterLogin(ctx context.Context) (leave func(), ok bool) {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case loginGate <- struct{}{}:
		return func() { <-loginGate }, true
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, false
}

// loginDelay is the wait after the latest of n failures.
func loginDelay(n int) time.Duration {
	if n <= freeFailures {
		return 0
	}
	d := firstDelay << min(n-freeFailures-1, 10)
	return min(d, maxDelay)
}

// throttleKeys are the keys failures are counted under: the account first,
// then the address. Addresses are hashed so the table holds no raw client
// address.
func throttleKeys(email, addr string) []string {
	sum := sha256.Sum256([]byte(addr))
	return []string{"acct:" + strings.ToLower(strings.TrimSpace(email)), "addr:" + hex.EncodeToString(sum[:12])}
}

// reserve counts the attempt under every key, or says (Wait) how long
// the caller must still wait, nothing counted. A database error lets the
// attempt through uncounted rather than locking everybody out.
func (db *Dashboard) reserve(ctx context.Context, keys []string, now time.Time) store.LoginReservation {
	r, err := db.store.ReserveLogin(ctx, keys, now, now.Add(-failureWindow), loginDelay)
	if err != nil {
		return store.LoginReservation{}
	}
	return r
}

// release gives back the attempt r reserved under every key (its
// password was never checked).
func (db *Dashboard) release(ctx context.Context, r store.LoginReservation, keys []string) {
	for _, k := range keys {
		_ = db.store.ReleaseLogin(ctx, r, k)
	}
}

// clearFailures forgets the account's failures after a good login and
// gives back the address's reservation (the address keeps its earlier
// failures: one good account does not clear a spray).
func (db *Dashboard) clearFailures(ctx context.Context, r store.LoginReservation, keys []string) {
	_ = db.store.ClearLoginFailures(ctx, keys[0])
	_ = db.store.ReleaseLogin(ctx, r, keys[1])
}
