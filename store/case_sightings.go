package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// maxMapSightings bounds a case map: more would be unreadable anyway.
const maxMapSightings = 1000

// CaseSighting is one sighting of a case for its map: a tip linked to the
// case, or merged (as a duplicate, at any depth) into such a tip.
type CaseSighting struct {
	TipID      int64
	Code       string
	At         time.Time // when seen; else submitted; else received
	SeenText   string    // when seen, in the tipster's words
	Place      string
	Lat, Lon   *float64
	Status     string
	Simulated  bool
	MergedInto string // the code of the tip it was merged into ("" when linked)
}

// CaseSightings lists a case's sightings in the order they were seen
// (ties by tip id), at most 1000.
func (s *Dashboard) CaseSightings(ctx context.Context, caseID int64) ([]CaseSighting, error) {
	rows, err := s.pool.Query(ctx, `WITH RECURSIVE linked (id, into_code, depth) AS (
			SELECT id, ''::text, 0 FROM tips WHERE case_id = $1
			UNION
			SELECT t.id, p.code, linked.depth + 1 FROM linked
			JOIN tips p ON p.id = linked.id
			JOIN tips t ON t.duplicate_of = p.id AND (t.case_id IS NULL OR t.case_id <> $1)
			WHERE linked.depth < 50)
		SELECT t.id, t.code, coalesce(t.seen_at, t.submitted_at, t.created_at), t.seen_text, t.place_text,
			t.lat, t.lon, t.status, t.simulated, min(l.into_code)
		FROM linked l JOIN tips t ON t.id = l.id
		GROUP BY t.id
		ORDER BY 3, t.id LIMIT $2`, caseID, maxMapSightings)
	if err != nil {
		return nil, fmt.Errorf("case sightings: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[CaseSighting])
}
