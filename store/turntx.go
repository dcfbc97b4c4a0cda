package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// turnTx is the transaction of a turn, begun by InTurn on a pooled
// connection. A batch whose results nobody reads (no callbacks queued) is
// held back: the next statement sends it first, or COMMIT goes with it.
// An error in a held batch surfaces from that statement or from Commit,
// and the transaction then rolls back, as it would have anyway.
type turnTx struct {
	conn *pgxpool.Conn
	held *pgx.Batch
	err  error // the first failure of a held batch: the transaction is lost
	done bool
}

func (t *turnTx) flush(ctx context.Context) error {
	if t.held == nil {
		return t.err
	}
	b := t.held
	t.held = nil
	if err := t.conn.SendBatch(ctx, b).Close(); err != nil && t.err == nil {
		t.err = err
	}
	return t.err
}

// SendBatch implements pgx.Tx.
func (t *turnTx) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	if err := t.flush(ctx); err != nil {
		return pgx.FailedBatchResults(b, err)
	}
	for _, q := range b.QueuedQueries {
		if q.Fn != nil {
			return t.conn.SendBatch(ctx, b)
		}
	}
	t.held = b
	return &heldResults{t: t, ctx: ctx, b: b}
}

// Commit implements pgx.Tx: the held batch and COMMIT, in one round trip.
func (t *turnTx) Commit(ctx context.Context) error {
	if t.done {
		return pgx.ErrTxClosed
	}
	defer t.end(ctx)
	if t.err != nil {
		return t.err
	}
	b := t.held
	if b == nil {
		b = &pgx.Batch{}
	}
	t.held = nil
	b.Queue("commit").Exec(func(tag pgconn.CommandTag) error {
		if tag.String() == "ROLLBACK" {
			return pgx.ErrTxCommitRollback
		}
		return nil
	})
	return t.conn.SendBatch(ctx, b).Close()
}

// Rollback implements pgx.Tx.
func (t *turnTx) Rollback(ctx context.Context) error {
	if t.done {
		return pgx.ErrTxClosed
	}
	t.held = nil
	t.end(ctx)
	return nil
}

// end rolls back whatever is left open and returns the connection.
func (t *turnTx) end(ctx context.Context) {
	t.done = true
	if t.conn.Conn().PgConn().TxStatus() != 'I' {
		_, _ = t.conn.Exec(context.WithoutCancel(ctx), "rollback")
	}
	t.conn.Release()
}

// Exec implements pgx.Tx.
func (t *turnTx) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if err := t.flush(ctx); err != nil {
		return pgconn.CommandTag{}, err
	}
	return t.conn.Exec(ctx, sql, args...)
}

// Query implements pgx.Tx.
func (t *turnTx) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := t.flush(ctx); err != nil {
		return nil, err
	}
	return t.conn.Query(ctx, sql, args...)
}

// QueryRow implements pgx.Tx.
func (t *turnTx) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := t.flush(ctx); err != nil {
		return errRow{err}
	}
	return t.conn.QueryRow(ctx, sql, args...)
}

// CopyFrom implements pgx.Tx.
func (t *turnTx) CopyFrom(ctx context.Context, table pgx.Identifier, cols []string, src pgx.CopyFromSource) (int64, error) {
	if err := t.flush(ctx); err != nil {
		return 0, err
	}
	return t.conn.CopyFrom(ctx, table, cols, src)
}

// Prepare implements pgx.Tx.
func (t *turnTx) Prepare(ctx context.Context, name, sql string) (*pgconn.StatementDescription, error) {
	return t.conn.Conn().Prepare(ctx, name, sql)
}

// Begin implements pgx.Tx; a turn has no nested transactions.
func (t *turnTx) Begin(context.Context) (pgx.Tx, error) {
	return nil, errors.New("store: no nested transaction inside a turn")
}

// LargeObjects implements pgx.Tx; a turn uses none.
func (t *turnTx) LargeObjects() pgx.LargeObjects { return pgx.LargeObjects{} }

// Conn implements pgx.Tx. A held batch is sent first.
func (t *turnTx) Conn() *pgx.Conn {
	_ = t.flush(context.Background()) // a failure is kept for Commit
	return t.conn.Conn()
}

// heldResults are the results of a held batch. Reading one sends the
// batch then; closing it unread leaves it held.
type heldResults struct {
	t    *turnTx
	ctx  context.Context
	b    *pgx.Batch
	sent pgx.BatchResults
}

func (h *heldResults) send() pgx.BatchResults {
	if h.sent == nil {
		if h.t.held == h.b {
			h.t.held = nil
		}
		h.sent = h.t.conn.SendBatch(h.ctx, h.b)
	}
	return h.sent
}

// Exec implements pgx.BatchResults.
func (h *heldResults) Exec() (pgconn.CommandTag, error) { return h.send().Exec() }

// Query implements pgx.BatchResults.
func (h *heldResults) Query() (pgx.Rows, error) { return h.send().Query() }

// QueryRow implements pgx.BatchResults.
func (h *heldResults) QueryRow() pgx.Row { return h.send().QueryRow() }

// Tx implements pgx.BatchResults.
func (h *heldResults) Tx() pgx.Tx { return nil }

// Close implements pgx.BatchResults: an unread held batch stays held.
func (h *heldResults) Close() error {
	if h.sent == nil {
		return nil
	}
	return h.sent.Close()
}

// errRow is a row that only fails.
type errRow struct{ err error }

// Scan implements pgx.Row.
func (r errRow) Scan(...any) error { return r.err }
