package store_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"tipline/store"
	"tipline/testdb"
)

// A group is one transaction: its statements see one transaction id, and
// they run in order (the later sees what the earlier wrote).
func TestStmtGroupIsOneTransaction(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t)
	ctx := context.Background()
	const sql = `WITH w AS (INSERT INTO kv (key, value) VALUES ($1, 'x') RETURNING key)
		SELECT txid_current(), (SELECT count(*) FROM kv WHERE key LIKE 'group-%')`
	txids, seen := make([]int64, 4), make([]int64, 4)
	var args, dests [][]any
	for i := range 4 {
		args = append(args, []any{"group-" + strconv.Itoa(i)})
		dests = append(dests, []any{&txids[i], &seen[i]})
	}
	for i, err := range store.RunStmtGroup(ctx, pool, sql, args, dests) {
		if err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	for i := range 4 {
		if txids[i] != txids[0] {
			t.Errorf("call %d ran in transaction %d, call 0 in %d; want one transaction", i, txids[i], txids[0])
		}
		if seen[i] != int64(i) {
			t.Errorf("call %d saw %d rows written before it, want %d", i, seen[i], i)
		}
	}
}

// One failing call fails nobody else: the group committed nothing, its
// calls ran again one per transaction, and each has its own outcome; no
// write is lost or made twice.
func TestStmtGroupFailureGivesEachItsOwnOutcome(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t)
	ctx := context.Background()
	reruns := store.StmtGroupReruns()
	const sql = `INSERT INTO kv (key, value) VALUES ($1, 'x')`
	args := [][]any{{"a"}, {"b"}, {"a"}, {"c"}}
	errs := store.RunStmtGroup(ctx, pool, sql, args, make([][]any, len(args)))
	var pe *pgconn.PgError
	for i, err := range errs {
		if wantFail := i == 2; wantFail != (err != nil) {
			t.Errorf("call %d: %v", i, err)
		}
	}
	if !errors.As(errs[2], &pe) || pe.Code != "23505" {
		t.Errorf("the duplicate's error: %v; want a unique violation", errs[2])
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM kv WHERE key IN ('a', 'b', 'c')`).Scan(&n); err != nil || n != 3 {
		t.Errorf("%d rows stored (%v), want a, b and c once each", n, err)
	}
	if store.StmtGroupReruns() == reruns {
		t.Error("the failed group was not counted as rerun")
	}
}

// Calls made at the same time share transactions, and every one is
// answered with its own row.
func TestStmtGroupsGatherConcurrentCalls(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t)
	ctx := context.Background()
	const n = 100
	const sql = `INSERT INTO kv (key, value) VALUES ($1, $1) RETURNING value, txid_current()`
	values, txids := make([]string, n), make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			key := "k" + strconv.Itoa(i)
			if err := store.Grouped(ctx, pool, sql, []any{key}, &values[i], &txids[i]); err != nil || values[i] != key {
				t.Errorf("call %d: %q, %v", i, values[i], err)
			}
		})
	}
	wg.Wait()
	distinct := map[int64]bool{}
	for _, x := range txids {
		distinct[x] = true
	}
	if len(distinct) >= n/2 {
		t.Errorf("%d calls made at once took %d transactions; want them gathered", n, len(distinct))
	}
}
