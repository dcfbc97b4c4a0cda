package staff

import (
	"net/http"
	"time"

	"tipline/directory"
)

// staleAfter is how long a resource may go unverified before it is
// highlighted.
const staleAfter = 180 * 24 * time.Hour

// resourceRow is one resource in the staff list.
type resourceRow struct {
	R       directory.Resource
	Stale   bool
	Pending bool
}

// resources lists the whole directory with stale and pending records
// marked.
func (db *Dashboard) resources(c *reqCtx) error {
	rs, err := db.store.Resources(c.ctx())
	if err != nil {
		return err
	}
	pending, err := db.store.PendingContactChanges(c.ctx())
	if err != nil {
		return err
	}
	waiting := map[string]bool{}
	for _, p := range pending {
		waiting[p.ResourceID] = true
	}
	rows := make([]resourceRow, 0, len(rs))
	stale := 0
	for _, r := range rs {
		row := resourceRow{R: r, Stale: isStale(r, c.now), Pending: waiting[r.ID]}
		if row.Stale {
			stale++
		}
		rows = append(rows, row)
	}
	proposals, err := db.store.Proposals(c.ctx(), 0)
	if err != nil {
		return err
	}
	sync, synced, err := db.store.LastSync(c.ctx())
	if err != nil {
		return err
	}
	c.render(http.StatusOK, "resources", "Resources", map[string]any{"Rows": rows, "Stale": stale, "Pending": len(pending),
		"Proposals": len(proposals), "Sync": sync, "Synced": synced})
	return nil
}

// isStale reports whether a record was last verified (or checked at its
// source) more than staleAfter ago, or never.
func isStale(r directory.Resource, now time.Time) bool {
	last := r.VerifiedAt
	if d, err := time.Parse(time.DateOnly, r.CheckedOn); err == nil && d.After(last) {
		last = d
	}
	return last.IsZero() || now.Sub(last) > staleAfter
}
