package password

import (
	"context"
	"errors"
	"runtime"
)

// hashBudget bounds the memory argon2id may hold at once. Each hash
// allocates memoryKiB (19 MiB) of working memory, and Go's collector lets
// the heap grow to about twice its live size before it collects
// (GOGC=100), so N hashes in flight cost up to about 2×N×19 MiB of
// resident memory. With a budget of 80 MiB (at most 4 hashes, about 150 MiB
// resident at worst) the service stays far below the few hundred MB a
// webhook instance is sized for, however many logins arrive at once
// (issue 15: 80 unbounded logins took the service to 1.6 GB).
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
