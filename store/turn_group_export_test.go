package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// GroupTurn is one turn of RunTurnGroup.
type GroupTurn struct {
	Start TurnStart
	Fn    func(t *Turn, c Conversation, msgID int64, inserted bool) error
}

// RunTurnGroup runs turns as one group, in one transaction, as a group
// leader would, and returns each turn's outcome.
func RunTurnGroup(ctx context.Context, pool *pgxpool.Pool, turns []GroupTurn) []error {
	group := make([]*turnReq, len(turns))
	for i, t := range turns {
		group[i] = &turnReq{call: newCall(ctx), s: t.Start, fn: t.Fn}
		group[i].state.Store(reqTaken)
	}
	grouperFor(pool).runGroup(group)
	errs := make([]error, len(turns))
	for i, r := range group {
		errs[i] = <-r.done
	}
	return errs
}

// GroupReruns counts the groups that failed as a whole and ran their
// turns again one per transaction.
func GroupReruns() int64 { return groupReruns.Load() }

// FastFallbacks counts the groups that went the careful way after the
// fast way failed.
func FastFallbacks() int64 { return fastFallbacks.Load() }

// RunStmtGroup runs the calls of sql (one args and dest each) as one
// group, as a group's leader would, and returns each call's outcome.
func RunStmtGroup(ctx context.Context, pool *pgxpool.Pool, sql string, args, dests [][]any) []error {
	group := make([]*stmtReq, len(args))
	for i := range args {
		group[i] = &stmtReq{call: newCall(ctx), order: fmt.Sprintf("%08d", i), args: args[i], dest: dests[i]}
		group[i].state.Store(reqTaken)
	}
	g := newStmtGroup(pool, sql)
	g.runGroup(group)
	errs := make([]error, len(group))
	for i, r := range group {
		errs[i] = <-r.done
	}
	return errs
}

// Grouped runs sql as the store's grouped statements do.
func Grouped(ctx context.Context, pool *pgxpool.Pool, sql string, args []any, dest ...any) error {
	return grouped(ctx, pool, sql, "", args, dest...)
}

// StmtGroupReruns counts the statement groups that failed as a whole.
func StmtGroupReruns() int64 { return stmtGroupReruns.Load() }
