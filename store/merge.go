package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
)

// mergeLockKey serialises every write of tips.duplicate_of (migration
// 0018's trigger takes the same lock), so two merges made at once cannot
// form a cycle between them.
const mergeLockKey int64 = 469853300581 // 'merge'

// MergeRequest is a person's confirmation that tip and another sighting
// are one: the tip is merged into another tip (IntoID, or IntoCode as
// staff type it), or linked to a case (CaseID).
type MergeRequest struct {
	IntoID   int64
	IntoCode string
	CaseID   int64
	Score    *float64 // the suggestion's score, when it came from one
	Reason   string   // why, in the person's words (required)
}

// TipMerge is one merge on record, standing or undone.
type TipMerge struct {
	ID         int64
	TipID      int64
	TipCode    string
	IntoTipID  *int64
	IntoCode   string
	CaseID     *int64
	CaseNumber string
	PrevStatus string
	Score      *float64
	Reason     string
	MergedBy   string // email
	MergedAt   time.Time
	UndoneBy   string
	UndoneAt   *time.Time
	UndoReason string
}

// Open reports whether the merge still stands.
func (m TipMerge) Open() bool { return m.UndoneAt == nil }

// MergeTip merges tip id into another tip or links it to a case, as
// request m says, in one transaction with its audit row (tip.merge).
func (s *Dashboard) MergeTip(ctx context.Context, a Actor, id int64, m MergeRequest) (int64, error) {
	return s.merge(ctx, a, "tip.merge", id, m)
}

// merge records a merge and writes its audit row as action.
func (s *Dashboard) merge(ctx context.Context, a Actor, action string, id int64, m MergeRequest) (int64, error) {
	var mid int64
	err := InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if mid, err = MergeTx(ctx, tx, a, id, &m); err != nil {
			return err
		}
		detail := map[string]any{"merge_id": mid, "score": m.Score}
		if m.CaseID != 0 {
			detail["case_id"] = m.CaseID
		} else {
			detail["of"] = m.IntoID
		}
		return Audit(ctx, tx, a.Entry(action, "tip", idString(id), detail))
	})
	return mid, err
}

// MergeTx records a merge inside tx and returns its id (m.IntoID is
// filled in from m.IntoCode). A tip merged into another becomes its
// duplicate (both kept as they were); a cycle, a tip already merged
// elsewhere and a merge into itself are refused in words.
func MergeTx(ctx context.Context, tx pgx.Tx, a Actor, id int64, m *MergeRequest) (int64, error) {
	m.Reason = strings.TrimSpace(m.Reason)
	if m.Reason == "" || len(m.Reason) > 2000 {
		return 0, tipline.Errorf(tipline.EInvalid, "say why these are the same child (1 to 2000 characters)")
	}
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, mergeLockKey); err != nil {
		return 0, fmt.Errorf("merge lock: %w", err)
	}
	var code, status string
	var dupOf, caseID *int64
	err := tx.QueryRow(ctx, `SELECT code, status, duplicate_of, case_id FROM tips WHERE id = $1 FOR UPDATE`, id).
		Scan(&code, &status, &dupOf, &caseID)
	if err != nil {
		return 0, notFound(err, "tip")
	}
	if m.CaseID != 0 {
		return mergeIntoCase(ctx, tx, a, id, status, caseID, *m)
	}
	if err := resolveInto(ctx, tx, m); err != nil {
		return 0, err
	}
	if err := checkAcyclic(ctx, tx, id, code, dupOf, m.IntoID); err != nil {
		return 0, err
	}
	if _, err := tx.Exec(ctx, `UPDATE tips SET status = 'duplicate', duplicate_of = $2, updated_at = $3,
		triaged_at = coalesce(triaged_at, $3) WHERE id = $1`, id, m.IntoID, a.At); err != nil {
		return 0, fmt.Errorf("merge: %w", err)
	}
	return insertMerge(ctx, tx, a, id, &m.IntoID, nil, status, caseID, *m)
}

// resolveInto finds the tip to merge into by id or by its tip ID.
func resolveInto(ctx context.Context, tx pgx.Tx, m *MergeRequest) error {
	if m.IntoID != 0 {
		return notFound(tx.QueryRow(ctx, `SELECT id FROM tips WHERE id = $1`, m.IntoID).Scan(&m.IntoID), "tip to merge into")
	}
	code := strings.ToUpper(strings.TrimSpace(m.IntoCode))
	err := tx.QueryRow(ctx, `SELECT id FROM tips WHERE code = $1`, code).Scan(&m.IntoID)
	return notFound(err, "tip "+code)
}

// checkAcyclic refuses a merge of tip id (code) into tip into that would
// form a cycle, or of a tip already merged elsewhere.
func checkAcyclic(ctx context.Context, tx pgx.Tx, id int64, code string, dupOf *int64, into int64) error {
	if into == id {
		return tipline.Errorf(tipline.EInvalid, "a tip cannot be merged into itself")
	}
	if dupOf != nil {
		var other string
		_ = tx.QueryRow(ctx, `SELECT code FROM tips WHERE id = $1`, *dupOf).Scan(&other)
		return tipline.Errorf(tipline.EConflict, "tip %s is already merged into tip %s: undo that merge first", code, other)
	}
	rows, err := tx.Query(ctx, `WITH RECURSIVE up (id, code, depth) AS (
			SELECT id, code, 0 FROM tips WHERE id = $1
			UNION ALL
			SELECT t.id, t.code, up.depth + 1 FROM up JOIN tips c ON c.id = up.id JOIN tips t ON t.id = c.duplicate_of
			WHERE up.depth < 10000)
		SELECT id, code FROM up ORDER BY depth`, into)
	if err != nil {
		return fmt.Errorf("merge chain: %w", err)
	}
	var path []string
	cycle := false
	for rows.Next() {
		var tid int64
		var tcode string
		if err := rows.Scan(&tid, &tcode); err != nil {
			rows.Close()
			return err
		}
		path = append(path, tcode)
		cycle = cycle || tid == id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if cycle {
		return tipline.Errorf(tipline.EConflict, "Refused: tip %s is already merged into tip %s (%s), so merging %s into %s "+
			"would form a cycle with no original. Undo that merge first, or keep %s as the original.",
			path[0], code, strings.Join(path, " → "), code, path[0], code)
	}
	return nil
}

// mergeIntoCase links tip id to a case, remembering the link it had.
func mergeIntoCase(ctx context.Context, tx pgx.Tx, a Actor, id int64, status string, prevCase *int64, m MergeRequest) (int64, error) {
	if prevCase != nil && *prevCase == m.CaseID {
		return 0, tipline.Errorf(tipline.EConflict, "the tip is already linked to this case")
	}
	tag, err := tx.Exec(ctx, `UPDATE tips SET case_id = $2, updated_at = $3 WHERE id = $1
		AND EXISTS (SELECT 1 FROM cases WHERE id = $2)`, id, m.CaseID, a.At)
	if err := affectedOne(tag.RowsAffected(), err, "case"); err != nil {
		return 0, err
	}
	return insertMerge(ctx, tx, a, id, nil, &m.CaseID, status, prevCase, m)
}

func insertMerge(ctx context.Context, tx pgx.Tx, a Actor, id int64, into, caseID *int64, status string, prevCase *int64, m MergeRequest) (int64, error) {
	var mid int64
	err := tx.QueryRow(ctx, `INSERT INTO tip_merges (tip_id, into_tip_id, case_id, prev_status, prev_case_id, score, reason,
		merged_by, merged_at) VALUES ($1, $2, $3, $4, $5, $6, $7, nullif($8, 0), $9) RETURNING id`,
		id, into, caseID, status, prevCase, m.Score, m.Reason, a.StaffID, a.At).Scan(&mid)
	if err != nil {
		return 0, fmt.Errorf("record merge: %w", err)
	}
	return mid, nil
}
