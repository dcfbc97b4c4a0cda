package pgcluster

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Acquire starts the cluster in dir (or joins the server another process
// of this folder started) and returns it with release, which stops the
// server unless another process still uses it: the last user stops it.
//
// Users hold a shared flock on dir/use.lock; starting, and deciding to
// stop, happen under an exclusive flock on dir/start.lock, so a process
// never stops a server another one has just joined. The kernel drops the
// locks of a process that dies, so nothing goes stale.
func Acquire(ctx context.Context, dir string, progress Progress) (*Cluster, func() (stopped bool, err error), error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, fmt.Errorf("pgcluster: %w", err)
	}
	start, err := lockFile(ctx, filepath.Join(dir, "start.lock"), syscall.LOCK_EX)
	if err != nil {
		return nil, nil, err
	}
	defer start.Close()
	use, err := lockFile(ctx, filepath.Join(dir, "use.lock"), syscall.LOCK_SH)
	if err != nil {
		return nil, nil, err
	}
	c, err := StartProgress(ctx, dir, progress)
	if err != nil {
		use.Close()
		return nil, nil, err
	}
	return c, func() (bool, error) { return c.release(use) }, nil
}

// release gives up this process's use of the server and stops it when no
// other process uses it.
func (c *Cluster) release(use *os.File) (stopped bool, err error) {
	defer use.Close()
	start, err := lockFile(context.Background(), filepath.Join(c.Dir, "start.lock"), syscall.LOCK_EX)
	if err != nil {
		return false, err
	}
	defer start.Close()
	// Under start.lock nobody can join, so trading our shared lock for an
	// exclusive one succeeds exactly when we are the last user.
	if err := syscall.Flock(int(use.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return false, nil
		}
		return false, fmt.Errorf("pgcluster: %w", err)
	}
	return true, c.Stop()
}

// lockFile opens path and takes a flock of kind on it, polling while
// another process holds a conflicting one, until ctx ends. Closing the
// file releases the lock.
func lockFile(ctx context.Context, path string, kind int) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("pgcluster: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), kind|syscall.LOCK_NB)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("pgcluster: lock %s: %w", path, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}
