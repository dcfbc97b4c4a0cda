package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"tipline"
)

// UndoMerge undoes merge mid, seen from tip id (either side of it): the
// merged tip gets back its status and loses its duplicate link (or its
// case link returns to what it was); the merge stays on record with who
// undid it, when and why; audited as tip.unmerge.
func (s *Dashboard) UndoMerge(ctx context.Context, a Actor, id, mid int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if len(reason) > 2000 {
		return tipline.Errorf(tipline.EInvalid, "the reason is too long (at most 2000 characters)")
	}
	return InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, mergeLockKey); err != nil {
			return fmt.Errorf("merge lock: %w", err)
		}
		var tip int64
		var into, caseID, prevCase *int64
		var prevStatus string
		var open bool
		err := tx.QueryRow(ctx, `SELECT tip_id, into_tip_id, case_id, prev_case_id, prev_status, undone_at IS NULL
			FROM tip_merges WHERE id = $1 AND (tip_id = $2 OR into_tip_id = $2) FOR UPDATE`, mid, id).
			Scan(&tip, &into, &caseID, &prevCase, &prevStatus, &open)
		if err != nil {
			return notFound(err, "merge")
		}
		if !open {
			return tipline.Errorf(tipline.EConflict, "this merge was already undone")
		}
		if _, err := tx.Exec(ctx, `UPDATE tip_merges SET undone_at = $2, undone_by = nullif($3, 0), undo_reason = $4
			WHERE id = $1`, mid, a.At, a.StaffID, reason); err != nil {
			return fmt.Errorf("undo merge: %w", err)
		}
		if err := restoreTip(ctx, tx, a, tip, into, caseID, prevCase, prevStatus); err != nil {
			return err
		}
		return Audit(ctx, tx, a.Entry("tip.unmerge", "tip", idString(tip), map[string]any{"merge_id": mid}))
	})
}

// restoreTip puts a merged tip back as it was before the merge, if it
// has not changed since.
func restoreTip(ctx context.Context, tx pgx.Tx, a Actor, tip int64, into, caseID, prevCase *int64, prevStatus string) error {
	var n int64
	if into != nil {
		tag, err := tx.Exec(ctx, `UPDATE tips SET status = $3, duplicate_of = NULL, updated_at = $4
			WHERE id = $1 AND duplicate_of = $2`, tip, *into, prevStatus, a.At)
		if err != nil {
			return fmt.Errorf("undo merge: %w", err)
		}
		n = tag.RowsAffected()
	} else {
		tag, err := tx.Exec(ctx, `UPDATE tips SET case_id = $3, updated_at = $4 WHERE id = $1 AND case_id = $2`,
			tip, *caseID, prevCase, a.At)
		if err != nil {
			return fmt.Errorf("undo merge: %w", err)
		}
		n = tag.RowsAffected()
	}
	if n == 0 {
		return tipline.Errorf(tipline.EConflict, "the tip changed since this merge: it no longer stands as merged")
	}
	return nil
}

// TipMerges lists the merges of tip id, either side, standing or undone,
// newest first.
func (s *Dashboard) TipMerges(ctx context.Context, id int64) ([]TipMerge, error) {
	rows, err := s.pool.Query(ctx, `SELECT m.id, m.tip_id, t.code, m.into_tip_id, coalesce(i.code, ''), m.case_id,
		coalesce(c.case_number, ''), m.prev_status, m.score, m.reason, coalesce(sm.email, ''), m.merged_at,
		coalesce(su.email, ''), m.undone_at, m.undo_reason
		FROM tip_merges m JOIN tips t ON t.id = m.tip_id LEFT JOIN tips i ON i.id = m.into_tip_id
		LEFT JOIN cases c ON c.id = m.case_id LEFT JOIN staff sm ON sm.id = m.merged_by
		LEFT JOIN staff su ON su.id = m.undone_by
		WHERE m.tip_id = $1 OR m.into_tip_id = $1 ORDER BY m.id DESC`, id)
	if err != nil {
		return nil, fmt.Errorf("tip merges: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (TipMerge, error) {
		var m TipMerge
		var score *float32
		err := r.Scan(&m.ID, &m.TipID, &m.TipCode, &m.IntoTipID, &m.IntoCode, &m.CaseID, &m.CaseNumber, &m.PrevStatus,
			&score, &m.Reason, &m.MergedBy, &m.MergedAt, &m.UndoneBy, &m.UndoneAt, &m.UndoReason)
		if score != nil {
			f := float64(*score)
			m.Score = &f
		}
		return m, err
	})
}
