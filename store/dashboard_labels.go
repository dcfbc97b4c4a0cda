package store

import (
	"context"
	"fmt"

	"tipline/directory"
)

// CaseName is a case as a button offered it to a tipster: its name and
// number, found by the public id the button carried.
type CaseName struct {
	ID          int64
	Number      string
	DisplayName string
}

// CaseNames returns the cases whose public ids are given, by public id
// (ids of cases no longer kept are absent). Staff pages use it to show a
// tipster's case choice as the name they saw.
func (s *Dashboard) CaseNames(ctx context.Context, publicIDs []string) (map[string]CaseName, error) {
	out := make(map[string]CaseName, len(publicIDs))
	if len(publicIDs) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT public_id, id, case_number, display_name FROM cases WHERE public_id = ANY($1)`, publicIDs)
	if err != nil {
		return nil, fmt.Errorf("case names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid string
		var c CaseName
		if err := rows.Scan(&pid, &c.ID, &c.Number, &c.DisplayName); err != nil {
			return nil, fmt.Errorf("case names: %w", err)
		}
		out[pid] = c
	}
	return out, rows.Err()
}

// Directory loads the verified directory users are answered from, so that
// a number staff type can be checked against it before it is sent.
func (s *Dashboard) Directory(ctx context.Context) (*directory.Directory, error) {
	return LoadDirectory(ctx, s.pool)
}
