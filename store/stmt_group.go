package store

import (
	"context"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Several delivery statements per commit (docs/design.md, section 2). A
// claimed batch's rows are delivered at the same time, so the worker's
// short per-row statements (the rate reservation, the recorded attempt,
// the sent mark) arrive together. Like turns (turn_group.go), the calls
// of one statement that wait while the previous group of that statement
// runs go as one pipeline: one round trip, one transaction, one commit.
// There is no delay to gather them, and one group of a statement runs at
// a time. The statements run one after the other, in the order of their
// keys (so that two groups lock rows in the same order), exactly as they
// would one by one. A call returns only after its group committed.
//
// A group that fails as a whole (one statement's error, a broken
// connection, a deadlock with another instance) committed nothing; its
// statements then run again one per transaction, so that each caller
// gets its own outcome.
const maxStmtGroup = 64

// stmtReq is one call waiting for, or in, a group.
type stmtReq struct {
	call
	order string // the group runs its calls sorted by this
	args  []any
	dest  []any // where the statement's one row is scanned (none: no row)
	err   error
}

func (r *stmtReq) base() *call { return &r.call }

// stmtGroup gathers the calls of one statement on one pool; one group of
// it runs at a time.
type stmtGroup struct {
	pool *pgxpool.Pool
	sql  string
	line line[*stmtReq]
}

type stmtGroupKey struct {
	pool *pgxpool.Pool
	sql  string
}

var stmtGroups sync.Map // stmtGroupKey → *stmtGroup

// stmtGroupReruns counts the groups whose statements ran again one by one.
var stmtGroupReruns atomic.Int64

// grouped runs sql with args and scans its one row into dest (no dest:
// the statement returns no row). On a pool it joins the other calls of
// the same statement in a group; in a transaction it runs at once.
func grouped(ctx context.Context, db DBTX, sql, order string, args []any, dest ...any) error {
	pool, ok := db.(*pgxpool.Pool)
	if !ok {
		return runAlone(ctx, db, sql, args, dest)
	}
	k := stmtGroupKey{pool, sql}
	v, ok := stmtGroups.Load(k)
	if !ok {
		v, _ = stmtGroups.LoadOrStore(k, newStmtGroup(pool, sql))
	}
	g := v.(*stmtGroup)
	r := &stmtReq{call: newCall(ctx), order: order, args: args, dest: dest}
	return g.line.join(r, g.runGroup, "statement")
}

func newStmtGroup(pool *pgxpool.Pool, sql string) *stmtGroup {
	return &stmtGroup{pool: pool, sql: sql, line: line[*stmtReq]{maxLeaders: 1, maxSize: maxStmtGroup}}
}

func runAlone(ctx context.Context, db DBTX, sql string, args, dest []any) error {
	if len(dest) == 0 {
		_, err := db.Exec(ctx, sql, args...)
		return err
	}
	return db.QueryRow(ctx, sql, args...).Scan(dest...)
}

// runGroup runs one group and answers each of its calls.
func (g *stmtGroup) runGroup(group []*stmtReq) {
	slices.SortStableFunc(group, func(a, b *stmtReq) int { return strings.Compare(a.order, b.order) })
	ctx, cancel := context.WithTimeout(context.WithoutCancel(group[0].ctx), groupTimeout)
	defer cancel()
	if len(group) == 1 {
		group[0].err = runAlone(ctx, g.pool, g.sql, group[0].args, group[0].dest)
	} else if err := g.once(ctx, group); err != nil {
		stmtGroupReruns.Add(1)
		for _, r := range group {
			r.err = runAlone(ctx, g.pool, g.sql, r.args, r.dest)
		}
	}
	for _, r := range group {
		r.done <- r.err
	}
}

// once sends group as one pipeline, which PostgreSQL runs as one
// transaction: on any error, nothing of it was committed.
func (g *stmtGroup) once(ctx context.Context, group []*stmtReq) error {
	b := &pgx.Batch{}
	for _, r := range group {
		q := b.Queue(g.sql, r.args...)
		if len(r.dest) == 0 {
			q.Exec(func(pgconn.CommandTag) error { return nil })
		} else {
			q.QueryRow(func(row pgx.Row) error { return row.Scan(r.dest...) })
		}
	}
	return g.pool.SendBatch(ctx, b).Close()
}
