package password

import (
	"context"
	"errors"
	"runtime"
)

// hashBudget bounds the working memory argon2id may hold at once. Each
// hash allocates memoryKiB (19 MiB); idKey collects it before its slot is
// given back, so N hashes in flight cost about N×19 MiB over the
// service's own memory. 80 MiB allows at most 4 (76 MiB), which keeps a
// flood of logins, however large, well under the few hundred MB a
// webhook instance is sized for: issue 15 measured 80 unbounded logins
// taking the service from 50 MB to 1.6 GB. Measured with this bound
// (faulttest, 200 concurrent logins): 48 MB before, about 110 MB peak
// with 1 slot, 173 MB with 4.
const hashBudget = 80 << 20

// maxConcurrent is how many hashes run at once: what hashBudget allows,
// and never more than the cores minus one, so that argon2id (pure CPU)
// always leaves a core to the webhooks and the delivery workers.
var maxConcurrent = max(1, min(hashBudget/(memoryKiB<<10), runtime.GOMAXPROCS(0)-1))

// ErrBusy means no hashing slot came free before the context ended: the
// caller should answer "try again shortly" rather than queue for ever.
var ErrBusy = errors.New("password: too many hashes in progress")

// limiter is a counting semaphore over the hashing slots.
type limiter struct{ slots chan struct{} }

func newLimiter(n int) *limiter { return &limiter{slots: make(chan struct{}, n)} }

// slots is the process-wide limiter every Hash and Verify goes through.
var slots = newLimiter(maxConcurrent)

// acquire takes a slot, or returns ErrBusy when ctx ends first.
func (l *limiter) acquire(ctx context.Context) error {
	select {
	case l.slots <- struct{}{}:
		return nil
	default:
	}
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ErrBusy
	}
}

// release gives a slot back.
func (l *limiter) release() { <-l.slots }

// MaxConcurrent reports how many hashes may run at once in this process.
func MaxConcurrent() int { return cap(slots.slots) }
