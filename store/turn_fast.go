package store

import (
	"bytes"
	"context"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// The fast way through a group (store/turn_group.go): when its turns are
// of different conversations, all their starts go in one round trip with
// BEGIN, their fns run one after the other, each turn's queued writes go
// with the next statement any later turn runs at once (Turn.Exec and
// Turn.QueryRow send them first, in the same round trip, so that a turn
// sees what the turns before it wrote, as it would one turn after the
// other), and the rest with COMMIT. The group's Telegram updates are
// announced in flight in the first round trip, committed before BEGIN
// (queueAnnounce). A group of n turns then costs two round trips and a
// commit, plus the statements its fns need at once,
// instead of a savepoint, a start and a release per turn.
//
// There is no savepoint to roll one turn back to, so anything that fails
// (a start, a fn's error, such as a Telegram update stepping back for an
// earlier one, or a write) rolls the whole transaction back, and the
// group runs again the careful way: one savepoint per turn.

// fastFallbacks counts the groups that went the careful way after the
// fast way failed.
var fastFallbacks atomic.Int64

// fastable says whether group may go the fast way: no two turns of one
// sender (a later turn must see the earlier one's state), no identifier
// being rehashed.
func fastable(group []*turnReq) bool {
	for i, r := range group {
		if len(r.s.OldHashes) > 0 {
			return false
		}
		if i > 0 && r.s.Channel == group[i-1].s.Channel && bytes.Equal(r.s.IDHash, group[i-1].s.IDHash) {
			return false // sorted: one sender's turns are next to each other
		}
	}
	return true
}

// fast runs group the fast way and reports whether it committed. When it
// did not, the transaction may still be open (the caller rolls it back).
func fast(ctx context.Context, conn *pgxpool.Conn, group []*turnReq) bool {
	b := &pgx.Batch{}
	queueAnnounce(b, group)
	b.Queue("begin")
	starts := make([]startTurn, len(group))
	for i, r := range group {
		starts[i].queue(b, r.s)
	}
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return false
	}
	type started struct {
		c        Conversation
		msgID    int64
		inserted bool
	}
	st := make([]started, len(group))
	for i, r := range group {
		c, id, ins, err := starts[i].again(ctx, conn, r.s) // a first message: its upsert
		if err != nil {
			return false
		}
		st[i] = started{c, id, ins}
	}
	pending := &pgx.Batch{}
	for i, r := range group {
		t := &Turn{conn: conn, pending: pending, ctx: ctx}
		if err := callTurn(r.fn, t, st[i].c, st[i].msgID, st[i].inserted); err != nil {
			return false
		}
		if conn.Conn().PgConn().TxStatus() != 'T' {
			return false // a statement failed and fn went on
		}
		pending = t.pending
	}
	pending.Queue("commit").Exec(func(tag pgconn.CommandTag) error {
		if tag.String() == "ROLLBACK" {
			return pgx.ErrTxCommitRollback
		}
		return nil
	})
	return conn.SendBatch(ctx, pending).Close() == nil
}
