package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// AuditEntry is one row of the append-only audit log: who did what to
// which object, when and from where. Detail never holds message text,
// identifiers or secrets.
type AuditEntry struct {
	ID         int64
	At         time.Time
	StaffID    *int64
	StaffEmail string
	Action     string // e.g. "tip.view", "tip.status", "login"
	ObjectType string // tip, case, conversation, resource, staff, export…
	ObjectID   string
	Detail     map[string]any
	ClientAddr string
}

// Audit appends e. Call it with the transaction that makes the change, so
// the record and the change land together or not at all.
func Audit(ctx context.Context, db DBTX, e AuditEntry) error {
	if e.Detail == nil {
		e.Detail = map[string]any{}
	}
	at := e.At
	if at.IsZero() {
		at = time.Now()
	}
	_, err := db.Exec(ctx, `INSERT INTO audit_log (at, staff_id, staff_email, action, object_type, object_id, detail, client_addr)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		at, e.StaffID, e.StaffEmail, e.Action, e.ObjectType, e.ObjectID, e.Detail, e.ClientAddr)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// AuditFilter narrows ListAudit. Zero values match everything.
type AuditFilter struct {
	StaffID    int64
	Action     string // exact, or a prefix ending in "." (e.g. "tip.")
	ObjectType string
	ObjectID   string
	From, To   time.Time
	BeforeID   int64 // keyset pagination: rows with a smaller id
	Limit      int
}

// where builds the WHERE clause of f with numbered parameters.
func (f AuditFilter) where() (string, []any) {
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	if f.StaffID != 0 {
		add("staff_id = $?", f.StaffID)
	}
	if strings.HasSuffix(f.Action, ".") {
		add("starts_with(action, $?)", f.Action)
	} else if f.Action != "" {
		add("action = $?", f.Action)
	}
	if f.ObjectType != "" {
		add("object_type = $?", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = $?", f.ObjectID)
	}
	if !f.From.IsZero() {
		add("at >= $?", f.From)
	}
	if !f.To.IsZero() {
		add("at < $?", f.To)
	}
	if f.BeforeID > 0 {
		add("id < $?", f.BeforeID)
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// ListAudit returns matching rows, newest first.
func ListAudit(ctx context.Context, db DBTX, f AuditFilter) ([]AuditEntry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	where, args := f.where()
	args = append(args, f.Limit)
	q := `SELECT id, at, staff_id, staff_email, action, object_type, object_id, detail, client_addr FROM audit_log` +
		where + " ORDER BY id DESC LIMIT $" + strconv.Itoa(len(args))
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list audit: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		if err := rows.Scan(&e.ID, &e.At, &e.StaffID, &e.StaffEmail, &e.Action, &e.ObjectType, &e.ObjectID,
			&e.Detail, &e.ClientAddr); err != nil {
			return nil, fmt.Errorf("list audit: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CountAudit returns how many rows match action (exact) and object.
func CountAudit(ctx context.Context, db DBTX, action, objectType, objectID string) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = $1
		AND ($2 = '' OR object_type = $2) AND ($3 = '' OR object_id = $3)`, action, objectType, objectID).Scan(&n)
	return n, err
}
