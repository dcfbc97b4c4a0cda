package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
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
	// Object names the object as staff know it (a tip ID, a case number, a
	// chat's alias); filled by AuditTrail, zero from ListAudit.
	Object AuditRef
	// Refs names the objects detail values refer to by row id, by detail
	// key ("of": the original tip, "case_id", "to": a staff member);
	// filled by AuditTrail.
	Refs map[string]AuditRef
}

// AuditRef is an object an audit row names: its type and id as stored,
// and the name staff use for it ("" when it is no longer kept).
type AuditRef struct {
	Type string // tip, case, conversation, staff, resource
	ID   string
	Name string
}

// Audit appends e. Call it with the transaction that makes the change, so
// the record and the change land together or not at all. With audit keys
// (UseAuditKeys) the row is chained and signed (audit_chain.go), and a
// transaction holds the chain head until it ends.
func Audit(ctx context.Context, db DBTX, e AuditEntry) error {
	return appendAudit(ctx, db, e)
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

// auditDetailRefs are the detail keys that hold a row id, by action, and
// the type of object they name.
var auditDetailRefs = map[string]map[string]string{
	"tip.duplicate": {"of": "tip", "case_id": "case"},
	"tip.merge":     {"of": "tip", "case_id": "case"},
	"tip.case":      {"case_id": "case"},
	"tip.assign":    {"to": "staff"},
}

// auditNameQueries look up the names of objects by their stored ids; each
// takes an array of ids (bigint for the types in auditNumericIDs, text
// otherwise) and returns (id, name) rows.
var auditNameQueries = map[string]string{
	"tip":          `SELECT id::text, code FROM tips WHERE id = ANY($1)`,
	"case":         `SELECT id::text, case_number FROM cases WHERE id = ANY($1)`,
	"conversation": `SELECT v.public_id, COALESCE(k.alias, '') FROM conversations v LEFT JOIN contacts k ON k.id = v.contact_id WHERE v.public_id = ANY($1)`,
	"staff":        `SELECT id::text, email FROM staff WHERE id = ANY($1)`,
	"resource":     `SELECT id, name FROM resources WHERE id = ANY($1)`,
}

// auditNumericIDs are the object types whose ids are row numbers.
var auditNumericIDs = map[string]bool{"tip": true, "case": true, "staff": true}

// AuditTrail lists audit rows matching f, newest first, with the objects
// they name as staff know them: "tip 15" becomes tip TIPURG1, "case 3"
// case C-100, a conversation its alias, a staff id an email.
func (s *Dashboard) AuditTrail(ctx context.Context, f AuditFilter) ([]AuditEntry, error) {
	rows, err := ListAudit(ctx, s.pool, f)
	if err != nil {
		return nil, err
	}
	return rows, NameAuditRows(ctx, s.pool, rows)
}

// NameAuditRows fills each row's Object and Refs with the names of the
// objects it refers to, with one query per object type.
func NameAuditRows(ctx context.Context, db DBTX, rows []AuditEntry) error {
	want := map[string]map[string]bool{}
	ask := func(typ, id string) {
		if id == "" || auditNameQueries[typ] == "" {
			return
		}
		if want[typ] == nil {
			want[typ] = map[string]bool{}
		}
		want[typ][id] = true
	}
	for i := range rows {
		e := &rows[i]
		e.Object = AuditRef{Type: e.ObjectType, ID: e.ObjectID}
		ask(e.ObjectType, e.ObjectID)
		for key, typ := range auditDetailRefs[e.Action] {
			if id := detailID(e.Detail[key]); id != "" {
				if e.Refs == nil {
					e.Refs = map[string]AuditRef{}
				}
				e.Refs[key] = AuditRef{Type: typ, ID: id}
				ask(typ, id)
			}
		}
	}
	names, err := lookupAuditNames(ctx, db, want)
	if err != nil {
		return err
	}
	for i := range rows {
		e := &rows[i]
		e.Object.Name = names[e.Object.Type][e.Object.ID]
		for k, r := range e.Refs {
			r.Name = names[r.Type][r.ID]
			e.Refs[k] = r
		}
	}
	return nil
}

// lookupAuditNames runs the name query of each type for the ids wanted.
func lookupAuditNames(ctx context.Context, db DBTX, want map[string]map[string]bool) (map[string]map[string]string, error) {
	names := map[string]map[string]string{}
	for typ, set := range want {
		rows, err := db.Query(ctx, auditNameQueries[typ], auditIDArg(typ, set))
		if err != nil {
			return nil, fmt.Errorf("audit names %s: %w", typ, err)
		}
		names[typ] = map[string]string{}
		for rows.Next() {
			var id, name string
			if err := rows.Scan(&id, &name); err != nil {
				rows.Close()
				return nil, fmt.Errorf("audit names %s: %w", typ, err)
			}
			names[typ][id] = name
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("audit names %s: %w", typ, err)
		}
	}
	return names, nil
}

// auditIDArg is the array argument of a name query: the ids as text, or
// for numeric types those that parse as a row id.
func auditIDArg(typ string, set map[string]bool) any {
	if !auditNumericIDs[typ] {
		ids := make([]string, 0, len(set))
		for id := range set {
			ids = append(ids, id)
		}
		return ids
	}
	ids := make([]int64, 0, len(set))
	for id := range set {
		if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
			ids = append(ids, n)
		}
	}
	return ids
}

// detailID reads a row id from a detail value (a JSON number or string).
func detailID(v any) string {
	switch x := v.(type) {
	case float64:
		if x > 0 && x == float64(int64(x)) {
			return strconv.FormatInt(int64(x), 10)
		}
	case string:
		return x
	}
	return ""
}

// AuditObjectByName finds the row id of the tip with ID name or the case
// with number name (typ "tip", "case", or "" for either), for the audit
// filter; id is "" when none matches.
func (s *Dashboard) AuditObjectByName(ctx context.Context, typ, name string) (foundType, id string, err error) {
	err = s.pool.QueryRow(ctx, `SELECT t, id::text FROM (
		SELECT 'tip' AS t, id FROM tips WHERE $1 IN ('', 'tip') AND code = upper($2)
		UNION ALL SELECT 'case', id FROM cases WHERE $1 IN ('', 'case') AND lower(case_number) = lower($2)) x LIMIT 1`,
		typ, strings.TrimSpace(name)).Scan(&foundType, &id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", "", nil
	}
	return foundType, id, err
}
