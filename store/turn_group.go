package store

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Several turns per commit (docs/design.md, section 2). RunTurn does not
// run its turn alone: it joins the turns waiting for a group, and a group
// leader runs them in one transaction on one connection, one savepoint
// per turn, and commits them together. The batching is natural: there is
// no delay to gather turns; a group is whatever waited while the previous
// groups ran, up to maxGroup turns, and at most groupLeaders groups run at
// once. A turn is answered only after its group commits, so a nil error
// still means the turn is durable (synchronous_commit stays on).
//
// A turn that fails (its start, its fn, or its queued writes) rolls back
// to its savepoint and gets its own error; the others commit. The group's
// conversations are locked in a fixed order (by channel, sender hash,
// then Seq), so two groups cannot deadlock on their turns' starts. If the
// group as a whole fails (its COMMIT, a deadlock or serialization failure
// with another transaction, a broken connection), its turns run again one
// per transaction, so none is lost: a turn whose message did commit is
// then a retried delivery, which changes nothing.
const (
	maxGroup     = 16
	groupTimeout = 30 * time.Second
)

// groupLeaders is how many groups may run at once (each on a connection
// of its own). Measured on 2 cores at concurrency 8 (docs/benchmarks.md):
// with 2 the groups are larger (about 2 turns) but a group runs its
// turns one after the other, and the machine waited on round trips
// (680-730 messages/s); 4 and 8 did 900-1,060 with the same CPU per
// message.
const groupLeaders = 4

// turnFunc is what RunTurn runs on the locked conversation.
type turnFunc func(t *Turn, c Conversation, msgID int64, inserted bool) error

// turnReq is one RunTurn call waiting for, or in, a group.
type turnReq struct {
	call
	s     TurnStart
	fn    turnFunc
	err   error
	final bool // err is the turn's own outcome; the group's failure does not rerun it
}

func (r *turnReq) base() *call { return &r.call }

// grouper gathers the turns of one pool.
type grouper struct {
	pool *pgxpool.Pool
	line line[*turnReq]
}

var groupers sync.Map // *pgxpool.Pool → *grouper

// groupReruns counts the groups whose turns ran again one by one.
var groupReruns atomic.Int64

func grouperFor(pool *pgxpool.Pool) *grouper {
	if g, ok := groupers.Load(pool); ok {
		return g.(*grouper)
	}
	g, _ := groupers.LoadOrStore(pool, &grouper{pool: pool,
		line: line[*turnReq]{maxLeaders: groupLeaders, maxSize: maxGroup}})
	return g.(*grouper)
}

// run queues r and waits for its outcome (line.join).
func (g *grouper) run(r *turnReq) error {
	return g.line.join(r, g.runGroup, "turn")
}

// runGroup runs the turns of one group and answers each.
func (g *grouper) runGroup(group []*turnReq) {
	slices.SortStableFunc(group, func(a, b *turnReq) int {
		if c := bytes.Compare([]byte(a.s.Channel), []byte(b.s.Channel)); c != 0 {
			return c
		}
		if c := bytes.Compare(a.s.IDHash, b.s.IDHash); c != 0 {
			return c
		}
		return cmp.Compare(a.s.Seq, b.s.Seq)
	})
	ctx, cancel := context.WithTimeout(context.WithoutCancel(group[0].ctx), groupTimeout)
	defer cancel()
	if err := g.once(ctx, group); err != nil && len(group) > 1 {
		groupReruns.Add(1)
		for _, r := range group {
			if !r.final {
				_ = g.once(ctx, []*turnReq{r})
			}
		}
	}
	for _, r := range group {
		r.done <- r.err
	}
}

// once runs group in one transaction. It returns an error when the group
// as a whole failed: then every turn not final has that error, and nothing
// of the group was committed.
func (g *grouper) once(ctx context.Context, group []*turnReq) (err error) {
	for _, r := range group {
		if !r.final {
			r.err = nil // from an earlier try of the group
		}
	}
	conn, err := g.pool.Acquire(ctx)
	if err != nil {
		return failGroup(group, fmt.Errorf("store: acquire: %w", err))
	}
	defer func() {
		if conn.Conn().PgConn().TxStatus() != 'I' {
			_, _ = conn.Exec(ctx, "rollback")
		}
		conn.Release()
	}()
	if fastable(group) {
		if fast(ctx, conn, group) { // announces in its first round trip
			for _, r := range group {
				r.final = true
			}
			return nil
		}
		fastFallbacks.Add(1)
		if conn.Conn().PgConn().TxStatus() != 'I' {
			_, _ = conn.Exec(ctx, "rollback")
		}
	}
	if err := announce(ctx, conn, group); err != nil { // again after the fast way: it does nothing twice
		return failGroup(group, err)
	}
	gr := &groupRun{conn: conn, b: &pgx.Batch{}}
	gr.b.Queue("begin")
	for _, r := range group {
		if err := gr.turn(ctx, r); err != nil {
			return failGroup(group, err)
		}
	}
	if err := gr.commit(ctx); err != nil {
		return failGroup(group, err)
	}
	for _, r := range group {
		r.final = true
	}
	return nil
}

// failGroup gives err to every turn of group not already final.
func failGroup(group []*turnReq, err error) error {
	for _, r := range group {
		if !r.final {
			r.err = err
		}
	}
	return err
}

// announce registers the group's Telegram updates as in flight (the
// per-chat ordering, bot/order.go), all in one statement that commits at
// once, so that other groups see them. The fast way sends it in its first
// round trip instead (queueAnnounce).
func announce(ctx context.Context, conn *pgxpool.Conn, group []*turnReq) error {
	b := &pgx.Batch{}
	if !queueAnnounce(b, group) {
		return nil
	}
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("store: announce in-flight updates: %w", err)
	}
	return nil
}

// queueAnnounce adds to b the announcement of the group's Telegram
// updates in a transaction of its own: sent before the group's BEGIN in
// the same round trip, the announcement is committed (and seen by other
// groups) before the group's transaction starts. The table is unlogged,
// so that commit waits for no disk. Its own BEGIN matters: a COMMIT that
// ends the pipeline's implicit transaction instead makes PostgreSQL warn
// "there is no transaction in progress", one server log line per group.
// It reports whether the group had anything to announce.
func queueAnnounce(b *pgx.Batch, group []*turnReq) bool {
	var chats [][]byte
	var seqs []int64
	var now time.Time
	for _, r := range group {
		if r.s.Seq > 0 {
			chats, seqs, now = append(chats, r.s.IDHash), append(seqs, r.s.Seq), r.s.Now
		}
	}
	if len(seqs) == 0 {
		return false
	}
	b.Queue("begin")
	b.Queue(`INSERT INTO inflight (chat, seq, at) SELECT c, s, $3 FROM unnest($1::bytea[], $2::bigint[]) AS u (c, s)
		ON CONFLICT DO NOTHING`, chats, seqs, now)
	b.Queue("commit")
	return true
}

// groupRun is a group's transaction while its turns run. b holds what
// goes with the next round trip: the previous turn's queued writes and
// the release of its savepoint, then the next turn's savepoint and start.
type groupRun struct {
	conn *pgxpool.Conn
	b    *pgx.Batch
	prev *turnReq // the turn whose writes are in b, not yet released
	rel  bool     // prev's savepoint was released
}

// turn runs r in the group: its start, its fn, and queues its writes for
// the next round trip. A failure of r alone makes r final with its error;
// the error returned is the group's.
func (gr *groupRun) turn(ctx context.Context, r *turnReq) error {
	var st startTurn
	sp := false
	gr.b.Queue("savepoint t").Exec(func(pgconn.CommandTag) error { sp = true; return nil })
	st.queue(gr.b, r.s)
	if err := gr.send(ctx); err != nil {
		if !sp || groupFailure(gr.conn, err) {
			return err
		}
		r.err, r.final = fmt.Errorf("start turn: %w", err), true
		return gr.undo(ctx)
	}
	c, msgID, inserted, err := st.again(ctx, gr.conn, r.s)
	if err == nil {
		t := &Turn{conn: gr.conn, pending: &pgx.Batch{}, ctx: ctx}
		if err = callTurn(r.fn, t, c, msgID, inserted); err == nil {
			gr.b, gr.prev, gr.rel = t.pending, r, false
			gr.b.Queue("release savepoint t").Exec(func(pgconn.CommandTag) error { gr.rel = true; return nil })
			return nil
		}
	}
	if groupFailure(gr.conn, err) {
		return err
	}
	r.err, r.final = err, true
	return gr.undo(ctx)
}

// send sends b. When the previous turn's writes or release fail, that
// turn alone fails (it rolls back to its savepoint) and the rest of b,
// which the server skipped, is sent again.
func (gr *groupRun) send(ctx context.Context) error {
	b := gr.b
	gr.b = &pgx.Batch{}
	err := gr.conn.SendBatch(ctx, b).Close()
	prev := gr.prev
	gr.prev = nil
	if err == nil || prev == nil || gr.rel || groupFailure(gr.conn, err) {
		return err
	}
	prev.err, prev.final = err, true
	if err := gr.undo(ctx); err != nil {
		return err
	}
	// The server skipped everything after the failed write: send the
	// statements queued after prev's release again (as new queries: pgx
	// keeps what it prepared for the first send on each).
	rest := &pgx.Batch{}
	after := false
	for _, q := range b.QueuedQueries {
		if after {
			rest.Queue(q.SQL, q.Arguments...).Fn = q.Fn
		}
		after = after || q.SQL == "release savepoint t"
	}
	if rest.Len() == 0 {
		return nil
	}
	gr.b = rest
	return gr.send(ctx)
}

// undo rolls the transaction back to the current turn's savepoint.
func (gr *groupRun) undo(ctx context.Context) error {
	gr.b = &pgx.Batch{}
	if _, err := gr.conn.Exec(ctx, "rollback to savepoint t; release savepoint t"); err != nil {
		return fmt.Errorf("store: roll back a failed turn: %w", err)
	}
	return nil
}

// commit sends the last turn's writes with COMMIT.
func (gr *groupRun) commit(ctx context.Context) error {
	gr.b.Queue("commit").Exec(func(tag pgconn.CommandTag) error {
		if tag.String() == "ROLLBACK" {
			return pgx.ErrTxCommitRollback
		}
		return nil
	})
	if err := gr.send(ctx); err != nil {
		return fmt.Errorf("store: commit turns: %w", err)
	}
	return nil
}

// callTurn runs fn; a panic fails the turn, not the group's leader.
func callTurn(fn turnFunc, t *Turn, c Conversation, msgID int64, inserted bool) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("store: turn panicked: %v", p)
		}
	}()
	return fn(t, c, msgID, inserted)
}

// groupFailure says whether err fails the whole group rather than one
// turn: a broken connection, a deadlock or serialization failure (the
// transaction may have lost more than the turn's savepoint), or a
// context that ended.
func groupFailure(conn *pgxpool.Conn, err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001") {
		return true
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	return conn.Conn().IsClosed() || conn.Conn().PgConn().TxStatus() == 'I'
}
