package schedule_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/schedule"
	"tipline/store"
	"tipline/testdb"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// counter is a job body that counts its runs and fails while fail is set.
type counter struct {
	runs atomic.Int32
	fail atomic.Bool
}

func (c *counter) run(context.Context, time.Time) error {
	c.runs.Add(1)
	if c.fail.Load() {
		return errors.New("boom")
	}
	return nil
}

// TestSharedJobOncePerIntervalAcrossInstances: two instances share the
// job's "last run" row: one runs it, the other skips it until Every has
// passed; a failed run is retried at the next turn.
func TestSharedJobOncePerIntervalAcrossInstances(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t)
	ctx := context.Background()
	now := t0
	var c counter
	job := schedule.Job{Name: "purge", Every: time.Hour, Run: c.run}
	a := &schedule.Scheduler{Pool: pool, Jobs: []schedule.Job{job}, Now: func() time.Time { return now }}
	b := &schedule.Scheduler{Pool: pool, Jobs: []schedule.Job{job}, Now: func() time.Time { return now }}
	step := func(s *schedule.Scheduler, wantRan bool, wantRuns int32) {
		t.Helper()
		ran, err := s.RunJob(ctx, job)
		if ran != wantRan || c.runs.Load() != wantRuns {
			t.Fatalf("at %s: ran %v (want %v), runs %d (want %d), err %v", now, ran, wantRan, c.runs.Load(), wantRuns, err)
		}
	}
	step(a, true, 1)
	now = t0.Add(30 * time.Minute)
	step(b, false, 1)
	now = t0.Add(61 * time.Minute)
	c.fail.Store(true)
	step(b, true, 2)
	step(a, true, 3) // the failure wrote no row: retried
	c.fail.Store(false)
	step(a, true, 4)
	step(b, false, 4)
	if last, err := schedule.LastRun(ctx, pool, "purge"); err != nil || !last.Equal(now) {
		t.Fatalf("last run %s, %v; want %s", last, err, now)
	}
}

// TestSharedLockExcludes: a job whose lock another instance holds (here a
// job sharing that lock) does not run, and runs once the lock is free.
func TestSharedLockExcludes(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t)
	ctx := context.Background()
	var c counter
	job := schedule.Job{Name: "redact", Lock: "privacy", Every: time.Minute, Run: c.run}
	s := &schedule.Scheduler{Pool: pool, Jobs: []schedule.Job{job}}
	release, ok, err := store.AdvisoryLock{Pool: pool, Key: schedule.LockKey("privacy")}.TryLock(ctx)
	if err != nil || !ok {
		t.Fatal("lock", ok, err)
	}
	if ran, err := s.RunDue(ctx); ran != 0 || err != nil {
		t.Fatalf("ran %d while the lock was held (%v)", ran, err)
	}
	release()
	if ran, err := s.RunDue(ctx); ran != 1 || err != nil || c.runs.Load() != 1 {
		t.Fatalf("ran %d (%v) once the lock was free", ran, err)
	}
}

// TestPerInstanceJobAlwaysRuns: a per-instance job runs at every turn on
// every instance, and Run stops when its context ends.
func TestPerInstanceJobAlwaysRuns(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t)
	var c counter
	job := schedule.Job{Name: "reload", Every: 10 * time.Millisecond, PerInstance: true, Run: c.run}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		(&schedule.Scheduler{Pool: pool, Jobs: []schedule.Job{job}}).Run(ctx)
		close(done)
	}()
	deadline := time.Now().Add(10 * time.Second)
	for c.runs.Load() < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	if c.runs.Load() < 3 {
		t.Fatalf("per-instance job ran %d times", c.runs.Load())
	}
	if last, err := schedule.LastRun(context.Background(), pool, "reload"); err != nil || !last.IsZero() {
		t.Fatalf("per-instance job wrote a last-run row: %s %v", last, err)
	}
}

// TestHoldWaits: Hold waits while another holder has the lock and gives
// up when its context ends.
func TestHoldWaits(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t)
	ctx := context.Background()
	release, err := schedule.Hold(ctx, pool, "privacy")
	if err != nil {
		t.Fatal(err)
	}
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	if _, err := schedule.Hold(short, pool, "privacy"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second Hold: %v, want a deadline", err)
	}
	release()
	again, err := schedule.Hold(ctx, pool, "privacy")
	if err != nil {
		t.Fatal(err)
	}
	again()
}

// TestManySharedJobsCannotStarveThePool: more shared jobs than the pool
// has connections, all due at once and each using the pool while it holds
// its lock, all run; the pool still serves others afterwards. (Before the
// scheduler bounded its jobs, every lock took a connection and every job
// then waited forever for one more.)
func TestManySharedJobsCannotStarveThePool(t *testing.T) {
	t.Parallel()
	cfg, err := pgxpool.ParseConfig(testdb.MigratedURL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 4
	ctx := context.Background()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	var runs atomic.Int32
	var jobs []schedule.Job
	for i := range 10 {
		jobs = append(jobs, schedule.Job{Name: fmt.Sprintf("job-%d", i), Every: time.Hour,
			Run: func(ctx context.Context, _ time.Time) error {
				time.Sleep(20 * time.Millisecond) // every job holds its lock a while
				_, err := store.GetKV(ctx, pool, "anything")
				runs.Add(1)
				return err
			}})
	}
	s := &schedule.Scheduler{Pool: pool, Jobs: jobs}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Go(func() {
			if _, err := s.RunJob(ctx, j); err != nil {
				t.Errorf("%s: %v", j.Name, err)
			}
		})
	}
	wg.Wait()
	if got := runs.Load(); got != 10 {
		t.Fatalf("%d of 10 jobs ran", got)
	}
	if _, err := store.GetKV(ctx, pool, "anything"); err != nil {
		t.Fatalf("the pool no longer serves: %v", err)
	}
}
