package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// BulkAuditChain appends n signed rows with COPY, as Audit would write them
// one by one: for the verify benchmark, which needs a million rows. Rows
// name staff member 1 every other row, so that one must exist.
func BulkAuditChain(ctx context.Context, pool *Pool, ak *AuditKeys, n int) error {
	return InTx(ctx, pool, func(tx pgx.Tx) error {
		src := &bulkChain{ak: ak, n: n, at: time.Now().Truncate(time.Microsecond)}
		var seq, first int64
		if err := tx.QueryRow(ctx, `SELECT c.seq, c.hash, nextval(pg_get_serial_sequence('audit_log', 'id'))
			FROM audit_chain c FOR UPDATE`).Scan(&seq, &src.prev, &first); err != nil {
			return err
		}
		src.r = chainRow{ID: first - 1, Seq: seq}
		if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence('audit_log', 'id'), $1)`, first+int64(n)-1); err != nil {
			return err
		}
		cols := []string{"id", "at", "staff_id", "staff_email", "action", "object_type", "object_id", "detail", "client_addr", "seq", "key_id", "mac"}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"audit_log"}, cols, src); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `UPDATE audit_chain SET seq = $1, last_id = $2, hash = $3`, src.r.Seq, src.r.ID, src.prev)
		return err
	})
}

// bulkChain makes the rows of BulkAuditChain one at a time.
type bulkChain struct {
	ak    *AuditKeys
	n, i  int
	at    time.Time
	r     chainRow
	prev  []byte
	buf   []byte
	staff int64
}

func (b *bulkChain) Next() bool {
	if b.i == b.n {
		return false
	}
	b.staff = 1
	r := chainRow{ID: b.r.ID + 1, Seq: b.r.Seq + 1, At: b.at, StaffEmail: "a@example.org",
		Action: "tip.view", ObjectType: "tip", ObjectID: fmt.Sprint(b.i), Detail: fmt.Sprintf(`{"n": %d}`, b.i),
		ClientAddr: "192.0.2.1", KeyID: b.ak.current}
	if b.i%2 == 0 {
		r.StaffID = &b.staff
	}
	b.r = r
	b.prev, b.buf = r.next(b.prev, b.buf)
	b.i++
	return true
}

func (b *bulkChain) Values() ([]any, error) {
	r := &b.r
	mac, _ := b.ak.mac(r.KeyID, b.prev)
	return []any{r.ID, r.At, r.StaffID, r.StaffEmail, r.Action, r.ObjectType, r.ObjectID,
		map[string]any{"n": b.i - 1}, r.ClientAddr, r.Seq, r.KeyID, mac}, nil
}

func (b *bulkChain) Err() error { return nil }
