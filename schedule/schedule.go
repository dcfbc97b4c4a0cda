package schedule

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/store"
)

// DefaultCheck is how often a shared job's turn is checked when its
// interval is longer (a job is then at most this late after a restart).
const DefaultCheck = time.Minute

// Job is one periodic job.
type Job struct {
	Name        string        // unique; names the "last run" row
	Every       time.Duration // the interval between runs, across instances for a shared job
	Lock        string        // jobs sharing a Lock never overlap; "" means Name
	PerInstance bool          // run on every instance, with no lock and no "last run" row
	Run         func(ctx context.Context, now time.Time) error
}

func (j Job) lock() string {
	if j.Lock == "" {
		return j.Name
	}
	return j.Lock
}

// check is how often the job's turn comes up on this instance.
func (j Job) check() time.Duration {
	if j.PerInstance || j.Every < DefaultCheck {
		return j.Every
	}
	return DefaultCheck
}

// Scheduler runs a set of jobs until its context ends.
type Scheduler struct {
	Pool *pgxpool.Pool
	Jobs []Job
	Now  func() time.Time // nil means time.Now
}

func (s *Scheduler) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Run checks every job on its own goroutine (a slow job delays no other)
// until ctx ends.
func (s *Scheduler) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, j := range s.Jobs {
		if j.Every <= 0 || j.Run == nil {
			slog.Error("schedule: job without interval or function", "job", j.Name)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.loop(ctx, j)
		}()
	}
	wg.Wait()
}

func (s *Scheduler) loop(ctx context.Context, j Job) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(j.check()):
		}
		if _, err := s.RunJob(ctx, j); err != nil && ctx.Err() == nil {
			slog.Warn("scheduled job failed; will retry", "job", j.Name, "err", err)
		}
	}
}

// RunDue gives every job one turn now, in order, and reports how many
// ran; it stops at the first error.
func (s *Scheduler) RunDue(ctx context.Context) (ran int, err error) {
	for _, j := range s.Jobs {
		ok, err := s.RunJob(ctx, j)
		if ok {
			ran++
		}
		if err != nil {
			return ran, fmt.Errorf("%s: %w", j.Name, err)
		}
	}
	return ran, nil
}

// RunJob gives j one turn: a per-instance job runs; a shared job runs when
// this instance gets its lock and no instance ran it within Every. ran
// says whether it ran.
func (s *Scheduler) RunJob(ctx context.Context, j Job) (ran bool, err error) {
	if j.PerInstance {
		return true, j.Run(ctx, s.now())
	}
	release, ok, err := store.AdvisoryLock{Pool: s.Pool, Key: LockKey(j.lock())}.TryLock(ctx)
	if err != nil || !ok {
		return false, err
	}
	defer release()
	now := s.now()
	last, err := LastRun(ctx, s.Pool, j.Name)
	if err != nil {
		return false, err
	}
	if !last.IsZero() && now.Sub(last) < j.Every && !last.After(now) {
		return false, nil
	}
	if err := j.Run(ctx, now); err != nil {
		return true, err
	}
	return true, MarkRun(ctx, s.Pool, j.Name, now)
}

// LockKey is the advisory lock key of a lock name (FNV-1a, 64 bits, over
// a prefix that keeps it apart from the fixed keys in store).
func LockKey(lock string) int64 {
	h := fnv.New64a()
	h.Write([]byte("tipline/schedule/" + lock))
	return int64(h.Sum64())
}

// kvKey names a job's "last run" row in the kv table.
func kvKey(job string) string { return "schedule_last_run:" + job }

// LastRun is when job last ran successfully on any instance (zero when
// never, or when the row is unreadable: the job then runs).
func LastRun(ctx context.Context, db store.DBTX, job string) (time.Time, error) {
	v, err := store.GetKV(ctx, db, kvKey(job))
	if err != nil || v == "" {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return time.Time{}, nil
	}
	return t, nil
}

// MarkRun records that job ran at t, as a run outside the scheduler (an
// operator's `tipline purge`) does so that no instance repeats it soon.
func MarkRun(ctx context.Context, db store.DBTX, job string, t time.Time) error {
	return store.SetKV(ctx, db, kvKey(job), t.UTC().Format(time.RFC3339Nano))
}

// Hold takes the lock named lock, retrying every second while another
// instance holds it, until ctx ends. The caller must call release.
func Hold(ctx context.Context, pool *pgxpool.Pool, lock string) (release func(), err error) {
	for {
		release, ok, err := store.AdvisoryLock{Pool: pool, Key: LockKey(lock)}.TryLock(ctx)
		if err != nil || ok {
			return release, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}
