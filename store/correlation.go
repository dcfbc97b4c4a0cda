package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// SightingRow is a tip as sighting correlation reads it.
type SightingRow struct {
	ID          int64
	Code        string
	At          time.Time // when seen, else when submitted, else when received
	Lat, Lon    *float64
	Place       string
	Description string
	Lang        string
	CaseID      *int64
}

// CorrelationCandidates returns what tip id may be the same child as: the
// submitted tips seen within window of at (simulated with simulated only;
// neither tip id, nor tips marked duplicate, nor a tip merged with it
// already), newest first, at most limit; and the active cases it is not
// linked to.
func (s *Dashboard) CorrelationCandidates(ctx context.Context, id int64, at time.Time, window time.Duration, limit int) ([]SightingRow, []Case, error) {
	rows, err := s.pool.Query(ctx, `SELECT t.id, t.code, coalesce(t.seen_at, t.submitted_at, t.created_at), t.lat, t.lon,
			t.place_text, t.description, t.lang, t.case_id
		FROM tips t JOIN tips me ON me.id = $1
		WHERE t.id <> me.id AND t.submitted_at IS NOT NULL AND t.simulated = me.simulated AND t.status <> 'duplicate'
		  AND t.id IS DISTINCT FROM me.duplicate_of
		  AND coalesce(t.seen_at, t.submitted_at, t.created_at) BETWEEN $2::timestamptz - $3::interval AND $2::timestamptz + $3::interval
		ORDER BY t.created_at DESC, t.id DESC LIMIT $4`, id, at, window, limit)
	if err != nil {
		return nil, nil, fmt.Errorf("correlation tips: %w", err)
	}
	tips, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (SightingRow, error) {
		var t SightingRow
		err := r.Scan(&t.ID, &t.Code, &t.At, &t.Lat, &t.Lon, &t.Place, &t.Description, &t.Lang, &t.CaseID)
		return t, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("correlation tips: %w", err)
	}
	rows, err = s.pool.Query(ctx, `SELECT `+caseColumns+` FROM cases WHERE status = 'active'
		AND id IS DISTINCT FROM (SELECT case_id FROM tips WHERE id = $1) ORDER BY id`, id)
	if err != nil {
		return nil, nil, fmt.Errorf("correlation cases: %w", err)
	}
	cases, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Case, error) { return scanCase(r) })
	if err != nil {
		return nil, nil, fmt.Errorf("correlation cases: %w", err)
	}
	return tips, cases, nil
}
