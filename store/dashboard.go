package store

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Pool is the connection pool Open returns. Packages outside store hold it
// only to hand it to a store constructor such as NewDashboard.
type Pool = pgxpool.Pool

// Tx is a transaction the store opened and hands to code outside the store
// that must write in it: today only the staff reply to a tipster
// (staffreply.ToTip), queued in the same transaction as its audit row.
type Tx = pgx.Tx

// Dashboard is the store as the staff dashboard and its JSON API use it:
// reads, and one method per staff action that writes the change and its
// audit row in one transaction (docs/design.md, the audit log). Errors
// come back from the statement that failed.
type Dashboard struct {
	pool *pgxpool.Pool
}

// NewDashboard returns the dashboard's store on pool.
func NewDashboard(pool *Pool) *Dashboard { return &Dashboard{pool: pool} }

// Actor is who does a staff action, from which address, at what time.
// Every audit row an action writes names them.
type Actor struct {
	StaffID int64 // 0 when nobody is known (a failed login)
	Email   string
	Addr    string
	At      time.Time
}

// Entry is the audit row of one action by a.
func (a Actor) Entry(action, objType, objID string, detail map[string]any) AuditEntry {
	e := AuditEntry{At: a.At, StaffEmail: a.Email, Action: action, ObjectType: objType,
		ObjectID: objID, Detail: detail, ClientAddr: a.Addr}
	if a.StaffID != 0 {
		id := a.StaffID
		e.StaffID = &id
	}
	return e
}

// Audit appends one audit row on its own: a view, an export or a refused
// login, none of which changes anything else.
func (s *Dashboard) Audit(ctx context.Context, e AuditEntry) error {
	return Audit(ctx, s.pool, e)
}

// AuditLog lists audit rows matching f.
func (s *Dashboard) AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	return ListAudit(ctx, s.pool, f)
}

// InTx runs fn in one transaction on the dashboard's pool. It is the seam
// for work that must share a transaction with code outside the store (the
// staff reply to a tipster); everything else uses an action method.
func (s *Dashboard) InTx(ctx context.Context, fn func(tx Tx) error) error {
	return InTx(ctx, s.pool, fn)
}

// change runs fn and then writes e, in one transaction.
func (s *Dashboard) change(ctx context.Context, e AuditEntry, fn func(tx pgx.Tx) error) error {
	return InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := fn(tx); err != nil {
			return err
		}
		return Audit(ctx, tx, e)
	})
}

// idString formats a row id as an audit object id.
func idString(id int64) string { return strconv.FormatInt(id, 10) }
