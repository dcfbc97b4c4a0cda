package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/store"
	"tipline/testdb"
)

// watch starts a DirectoryWatch on pool and returns the channel on which
// each reload reports the counter it saw.
func watch(t *testing.T, pool *pgxpool.Pool, poll time.Duration) <-chan int64 {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reloads := make(chan int64, 100)
	w := &store.DirectoryWatch{Pool: pool, Poll: poll, Reload: func(ctx context.Context) error {
		v, err := store.DirectoryVersion(ctx, pool)
		reloads <- v
		return err
	}}
	done := make(chan struct{})
	go func() { defer close(done); w.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	select {
	case <-reloads: // the first load
	case <-time.After(10 * time.Second):
		t.Fatal("no first load")
	}
	return reloads
}

func exec(t *testing.T, pool *pgxpool.Pool, sql string) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), sql); err != nil {
		t.Fatal(err)
	}
}

// reloaded waits for the next reload.
func reloaded(t *testing.T, reloads <-chan int64, what string) int64 {
	t.Helper()
	select {
	case v := <-reloads:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("no reload after %s", what)
		return 0
	}
}

// TestDirectoryWatchReloadsOnNotify: with the poll out of the picture, an
// insert, an edit stamped earlier than every other row (a skewed clock)
// and a delete each reload the directory at once, by notification.
func TestDirectoryWatchReloadsOnNotify(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t)
	exec(t, pool, `INSERT INTO resources (id, name, updated_at) VALUES ('late', 'Late', now() + interval '1 hour')`)
	reloads := watch(t, pool, time.Hour)
	for _, sql := range []string{
		`INSERT INTO resources (id, name) VALUES ('a', 'A')`,
		`UPDATE resources SET name = 'A2', updated_at = now() - interval '1 day' WHERE id = 'a'`,
		`DELETE FROM resources WHERE id = 'a'`,
	} {
		start := time.Now()
		exec(t, pool, sql)
		reloaded(t, reloads, sql)
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s reached the watch after %v", sql, d)
		}
	}
}

// TestDirectoryVersionMovesOnCommit: the counter moves with every change,
// and a change not yet committed (or rolled back) is not seen.
func TestDirectoryVersionMovesOnCommit(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t)
	ctx := context.Background()
	v0, err := store.DirectoryVersion(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `INSERT INTO resources (id, name) VALUES ('b', 'B')`); err != nil {
		t.Fatal(err)
	}
	if v, _ := store.DirectoryVersion(ctx, pool); v != v0 {
		t.Errorf("an uncommitted change moved the counter to %d from %d", v, v0)
	}
	_ = tx.Rollback(ctx)
	exec(t, pool, `INSERT INTO resources (id, name) VALUES ('b', 'B')`)
	if v, _ := store.DirectoryVersion(ctx, pool); v != v0+1 {
		t.Errorf("counter %d after one change from %d", v, v0)
	}
}

// TestDirectoryWatchSurvivesLostConnection: the listening connection is
// killed; a change made meanwhile is loaded once the watch is back, and
// notifications work again after.
func TestDirectoryWatchSurvivesLostConnection(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t)
	reloads := watch(t, pool, time.Hour)
	exec(t, pool, `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND query = 'LISTEN `+store.DirectoryChannel+`'`)
	exec(t, pool, `INSERT INTO resources (id, name) VALUES ('c', 'C')`)
	reloaded(t, reloads, "a change while the connection was lost")
	time.Sleep(200 * time.Millisecond) // let LISTEN take effect again
	exec(t, pool, `UPDATE resources SET name = 'C2' WHERE id = 'c'`)
	reloaded(t, reloads, "a change after the reconnect")
}

// TestDirectoryWatchPollsForMissedChanges: a change whose notification
// never came (here the counter moved without one) is found by the poll.
func TestDirectoryWatchPollsForMissedChanges(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t)
	reloads := watch(t, pool, 200*time.Millisecond)
	exec(t, pool, `UPDATE directory_version SET version = version + 1`)
	v := reloaded(t, reloads, "a silent change")
	exec(t, pool, `SELECT 1`)
	select {
	case again := <-reloads:
		t.Errorf("reloaded again at %d (from %d) with nothing changed", again, v)
	case <-time.After(time.Second):
	}
}
