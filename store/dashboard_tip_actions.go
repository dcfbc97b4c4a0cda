package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"tipline"
)

// DashSetTipStatus sets a tip's review status and returns the old one. The
// first move away from "new" records when the tip was triaged.
func DashSetTipStatus(ctx context.Context, db DBTX, id int64, status string, now time.Time) (string, error) {
	if !ValidTipStatus(status) {
		return "", tipline.Errorf(tipline.EInvalid, "unknown status %q", status)
	}
	var old string
	err := db.QueryRow(ctx, `WITH o AS (SELECT id, status FROM tips WHERE id = $1 FOR UPDATE)
		UPDATE tips t SET status = $2, updated_at = $3,
			triaged_at = CASE WHEN t.triaged_at IS NULL AND $2 <> 'new' THEN $3 ELSE t.triaged_at END,
			duplicate_of = CASE WHEN $2 = 'duplicate' THEN t.duplicate_of ELSE NULL END
		FROM o WHERE t.id = o.id RETURNING o.status`, id, status, now).Scan(&old)
	if err != nil {
		return "", notFound(err, "tip")
	}
	return old, nil
}

// DashBulkSetStatus sets the status of many tips and returns the ids it
// changed (those that exist and had another status).
func DashBulkSetStatus(ctx context.Context, db DBTX, ids []int64, status string, now time.Time) ([]int64, error) {
	if !ValidTipStatus(status) || status == "duplicate" {
		return nil, tipline.Errorf(tipline.EInvalid, "status %q cannot be set in bulk", status)
	}
	rows, err := db.Query(ctx, `UPDATE tips SET status = $2, updated_at = $3, duplicate_of = NULL,
		triaged_at = CASE WHEN triaged_at IS NULL AND $2 <> 'new' THEN $3 ELSE triaged_at END
		WHERE id = ANY($1) AND status <> $2 RETURNING id`, ids, status, now)
	if err != nil {
		return nil, fmt.Errorf("bulk status: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// assignTip assigns a tip to a staff member (nil: nobody).
func assignTip(ctx context.Context, db DBTX, id int64, staffID *int64, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE tips SET assigned_to = $2, updated_at = $3 WHERE id = $1`, id, staffID, now)
	return affectedOne(tag.RowsAffected(), err, "tip")
}

// addTipNote adds a staff note to a tip.
func addTipNote(ctx context.Context, db DBTX, id, staffID int64, body string, now time.Time) (int64, error) {
	body = strings.TrimSpace(body)
	if body == "" || len(body) > 10000 {
		return 0, tipline.Errorf(tipline.EInvalid, "a note needs 1 to 10000 characters")
	}
	var noteID int64
	err := db.QueryRow(ctx, `INSERT INTO tip_notes (tip_id, staff_id, body, created_at)
		SELECT id, $2, $3, $4 FROM tips WHERE id = $1 RETURNING id`, id, staffID, body, now).Scan(&noteID)
	return noteID, notFound(err, "tip")
}

// linkTipCase links a tip to a case (nil: unlink).
func linkTipCase(ctx context.Context, db DBTX, id int64, caseID *int64, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE tips SET case_id = $2, updated_at = $3 WHERE id = $1
		AND ($2::bigint IS NULL OR EXISTS (SELECT 1 FROM cases WHERE id = $2))`, id, caseID, now)
	return affectedOne(tag.RowsAffected(), err, "tip or case")
}

// DashMarkDuplicate marks tip id as a duplicate of tip ofCode; both stay
// and the page of each shows the other.
func DashMarkDuplicate(ctx context.Context, db DBTX, id int64, ofCode string, now time.Time) (int64, error) {
	var ofID int64
	err := db.QueryRow(ctx, `SELECT id FROM tips WHERE code = upper($1)`, strings.TrimSpace(ofCode)).Scan(&ofID)
	if err != nil {
		return 0, notFound(err, "tip "+ofCode)
	}
	if ofID == id {
		return 0, tipline.Errorf(tipline.EInvalid, "a tip cannot duplicate itself")
	}
	tag, err := db.Exec(ctx, `UPDATE tips SET status = 'duplicate', duplicate_of = $2, updated_at = $3,
		triaged_at = COALESCE(triaged_at, $3) WHERE id = $1`, id, ofID, now)
	return ofID, affectedOne(tag.RowsAffected(), err, "tip")
}

// setLegalHold sets or lifts a tip's legal hold.
func setLegalHold(ctx context.Context, db DBTX, id int64, hold bool, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE tips SET legal_hold = $2, updated_at = $3 WHERE id = $1`, id, hold, now)
	return affectedOne(tag.RowsAffected(), err, "tip")
}

// markCSAM marks a photo as child sexual abuse material: from then on
// it is served to nobody and left out of exports, and the tip is kept.
func markCSAM(ctx context.Context, db DBTX, tipID, mediaID, staffID int64, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE tip_media SET csam = true, csam_marked_by = $3, csam_marked_at = $4
		WHERE id = $2 AND tip_id = $1 AND NOT csam`, tipID, mediaID, staffID, now)
	if err := affectedOne(tag.RowsAffected(), err, "photo"); err != nil {
		return err
	}
	_, err = db.Exec(ctx, `UPDATE tips SET keep = true, updated_at = $2 WHERE id = $1`, tipID, now)
	return err
}

func affectedOne(n int64, err error, what string) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if n == 0 {
		return tipline.Errorf(tipline.ENotFound, "%s not found", what)
	}
	return nil
}
