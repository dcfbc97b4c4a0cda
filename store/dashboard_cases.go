package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
)

// DashCase is a case with what the staff list shows beside it.
type DashCase struct {
	Case
	Tips     int
	HasPhoto bool
}

// Cases lists every case, open ones first, newest first.
func (s *Dashboard) Cases(ctx context.Context) ([]DashCase, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+prefixed("c.", caseColumns)+`, COALESCE(n.tips, 0), c.photo IS NOT NULL
		FROM cases c LEFT JOIN (SELECT case_id, count(*) AS tips FROM tips WHERE case_id IS NOT NULL GROUP BY case_id) n
		ON n.case_id = c.id ORDER BY c.status = 'closed', c.created_at DESC`)
	if err != nil {
		return nil, fmt.Errorf("cases: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DashCase, error) { return scanDashCase(r) })
}

func scanDashCase(row pgx.Row) (DashCase, error) {
	var d DashCase
	c := &d.Case
	err := row.Scan(&c.ID, &c.PublicID, &c.Number, &c.DisplayName, &c.Age, &c.Sex, &c.Description,
		&c.LastSeenPlace, &c.LastSeenAt, &c.Status, &c.Public, &c.LegalHold, &c.ClosedAt, &c.CreatedAt, &c.UpdatedAt,
		&d.Tips, &d.HasPhoto)
	return d, err
}

// CaseOption is a case as a choice in a form.
type CaseOption struct {
	ID          int64
	Number      string
	DisplayName string
}

// CaseOptions lists cases for drop-downs, open ones first.
func (s *Dashboard) CaseOptions(ctx context.Context) ([]CaseOption, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, case_number, display_name FROM cases ORDER BY status = 'closed', created_at DESC LIMIT 1000`)
	if err != nil {
		return nil, fmt.Errorf("case options: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CaseOption, error) {
		var o CaseOption
		return o, r.Scan(&o.ID, &o.Number, &o.DisplayName)
	})
}

// Case loads one case.
func (s *Dashboard) Case(ctx context.Context, id int64) (DashCase, error) {
	d, err := scanDashCase(s.pool.QueryRow(ctx, `SELECT `+prefixed("c.", caseColumns)+`,
		(SELECT count(*) FROM tips t WHERE t.case_id = c.id), c.photo IS NOT NULL FROM cases c WHERE c.id = $1`, id))
	return d, notFound(err, "case")
}

// ValidateCase checks the fields staff edit.
func ValidateCase(c Case) error {
	switch {
	case strings.TrimSpace(c.Number) == "" || len(c.Number) > 40:
		return tipline.Errorf(tipline.EInvalid, "a case number of 1 to 40 characters is required")
	case strings.ContainsAny(c.Number, " \t\n"):
		return tipline.Errorf(tipline.EInvalid, "a case number has no spaces (tipsters text SEEN <number>)")
	case strings.TrimSpace(c.DisplayName) == "":
		return tipline.Errorf(tipline.EInvalid, "a name is required")
	case c.Age != nil && (*c.Age < 0 || *c.Age > 25):
		return tipline.Errorf(tipline.EInvalid, "age must be between 0 and 25")
	}
	return nil
}

// updateCase saves the editable fields of a case.
func updateCase(ctx context.Context, db DBTX, c Case, now time.Time) error {
	if err := ValidateCase(c); err != nil {
		return err
	}
	tag, err := db.Exec(ctx, `UPDATE cases SET case_number = $2, display_name = $3, age = $4, sex = $5,
		description = $6, last_seen_place = $7, last_seen_at = $8, updated_at = $9 WHERE id = $1`,
		c.ID, strings.TrimSpace(c.Number), c.DisplayName, c.Age, c.Sex, c.Description, c.LastSeenPlace, c.LastSeenAt, now)
	if IsUniqueViolation(err) {
		return tipline.Errorf(tipline.EConflict, "case number %s is taken", c.Number)
	}
	return affectedOne(tag.RowsAffected(), err, "case")
}

// setCasePublic publishes a case (tipsters can name it) or withdraws it.
func setCasePublic(ctx context.Context, db DBTX, id int64, public bool, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE cases SET public = $2, updated_at = $3 WHERE id = $1 AND (status <> 'closed' OR NOT $2)`,
		id, public, now)
	return affectedOne(tag.RowsAffected(), err, "open case")
}

// closeCase closes a case as found or closed; it is withdrawn from
// the public at once.
func closeCase(ctx context.Context, db DBTX, id int64, status string, now time.Time) error {
	if status != "found" && status != "closed" {
		return tipline.Errorf(tipline.EInvalid, "a case closes as found or closed")
	}
	tag, err := db.Exec(ctx, `UPDATE cases SET status = $2, public = false, closed_at = $3, updated_at = $3 WHERE id = $1`,
		id, status, now)
	return affectedOne(tag.RowsAffected(), err, "case")
}

// reopenCase makes a closed case active again (not public).
func reopenCase(ctx context.Context, db DBTX, id int64, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE cases SET status = 'active', closed_at = NULL, updated_at = $2 WHERE id = $1`, id, now)
	return affectedOne(tag.RowsAffected(), err, "case")
}

// setCasePhoto stores a case's (already stripped) photo.
func setCasePhoto(ctx context.Context, db DBTX, id int64, data []byte, contentType string, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE cases SET photo = $2, photo_type = $3, updated_at = $4 WHERE id = $1`,
		id, data, contentType, now)
	return affectedOne(tag.RowsAffected(), err, "case")
}

// CasePhoto returns a case's photo and its content type.
func (s *Dashboard) CasePhoto(ctx context.Context, id int64) ([]byte, string, error) {
	var b []byte
	var ct string
	err := s.pool.QueryRow(ctx, `SELECT photo, photo_type FROM cases WHERE id = $1 AND photo IS NOT NULL`, id).Scan(&b, &ct)
	return b, ct, notFound(err, "photo")
}

// CaseTips lists a case's tips on a time line: by when the child was
// seen, else when the tip came.
func (s *Dashboard) CaseTips(ctx context.Context, caseID int64) ([]DashTip, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+dashTipColumns+dashTipFrom+` WHERE t.case_id = $1
		ORDER BY COALESCE(t.seen_at, t.created_at), t.id LIMIT 1000`, caseID)
	if err != nil {
		return nil, fmt.Errorf("case tips: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DashTip, error) { return scanDashTip(r) })
}

// CreateCase creates a case (not yet public); a taken case number is a
// conflict.
func (s *Dashboard) CreateCase(ctx context.Context, a Actor, c Case) (Case, error) {
	var created Case
	err := InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if created, err = CreateCase(ctx, tx, c); err != nil {
			if IsUniqueViolation(err) {
				return tipline.Errorf(tipline.EConflict, "case number %s is taken", c.Number)
			}
			return err
		}
		return Audit(ctx, tx, a.Entry("case.create", "case", idString(created.ID), map[string]any{"number": created.Number}))
	})
	return created, err
}

// UpdateCase saves a case's editable fields.
func (s *Dashboard) UpdateCase(ctx context.Context, a Actor, c Case) error {
	return s.change(ctx, a.Entry("case.edit", "case", idString(c.ID), nil), func(tx pgx.Tx) error {
		return updateCase(ctx, tx, c, a.At)
	})
}

// SetCasePhoto stores a case's stripped photo; sha256 is the original's
// digest, for the audit row.
func (s *Dashboard) SetCasePhoto(ctx context.Context, a Actor, id int64, data []byte, contentType, sha256 string) error {
	e := a.Entry("case.photo", "case", idString(id), map[string]any{"sha256": sha256})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		return setCasePhoto(ctx, tx, id, data, contentType, a.At)
	})
}

// SetCasePublic publishes a case or withdraws it.
func (s *Dashboard) SetCasePublic(ctx context.Context, a Actor, id int64, public bool) error {
	e := a.Entry("case.publish", "case", idString(id), map[string]any{"public": public})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		return setCasePublic(ctx, tx, id, public, a.At)
	})
}

// SetCaseStatus closes a case as found or closed, or reopens it (status
// "active").
func (s *Dashboard) SetCaseStatus(ctx context.Context, a Actor, id int64, status string) error {
	e := a.Entry("case.close", "case", idString(id), map[string]any{"status": status})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		if status == "active" {
			return reopenCase(ctx, tx, id, a.At)
		}
		return closeCase(ctx, tx, id, status, a.At)
	})
}
