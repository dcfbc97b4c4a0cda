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

// DefaultConcurrency is how many shared jobs one scheduler runs at once.
const DefaultConcurrency = 2

// Scheduler runs a set of jobs until its context ends.
//
// A shared job holds a pooled connection for its lock while it reads its
// "last run" row and runs, which take more connections of the same pool.
// Were every job to take its lock at once (they all start together, and
// all retry together after a database outage), the locks could hold every
// connection of the pool while each job waited for one more: the pool,
// and with it every webhook and the outbox, would stop for good. So no
// more than Concurrency shared jobs hold a lock at a time, and each job's
// first turn is spread over its interval.
type Scheduler struct {
	Pool *pgxpool.Pool
	Jobs []Job
	Now  func() time.Time // nil means time.Now
	// Concurrency bounds the shared jobs under way at once (default
	// DefaultConcurrency); keep it well under the pool's size.
	Concurrency int

	once  sync.Once
	slots chan struct{}
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
	wait := spread(j)
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = j.check()
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
	if err := s.takeSlot(ctx); err != nil {
		return false, err
	}
	defer s.freeSlot()
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

// takeSlot waits for room to run one more shared job.
func (s *Scheduler) takeSlot(ctx context.Context) error {
	s.once.Do(func() {
		n := s.Concurrency
		if n <= 0 {
			n = DefaultConcurrency
		}
		s.slots = make(chan struct{}, n)
	})
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Scheduler) freeSlot() { <-s.slots }

// spread is how long a job waits before its first turn: a share of its
// check interval fixed by its name, so that jobs started together do not
// come up together.
func spread(j Job) time.Duration {
	h := fnv.New32a()
	h.Write([]byte(j.Name))
	return j.check() * time.Duration(1+h.Sum32()%1000) / 1000
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
