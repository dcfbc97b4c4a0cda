package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"tipline"
	"tipline/directory"
)

// SyncFetch returns every record an HSDS API holds now, as directory
// records (a service that is not active comes Hidden).
type SyncFetch func(ctx context.Context) ([]directory.Resource, error)

// RunSync runs one HSDS sync (docs/design.md "The directory"): the run is
// recorded first (the dashboard shows it running), then fetch, then in one
// transaction: a new or changed record becomes a proposal waiting for a
// staff member, a record closed or gone upstream is hidden at once. The
// caller holds the job's advisory lock (package schedule).
func RunSync(ctx context.Context, db *Pool, label string, fetch SyncFetch, now time.Time) (Batch, error) {
	b, err := scanBatch(db.QueryRow(ctx, `INSERT INTO resource_batches (kind, state, label, created_at)
		VALUES ('sync', 'running', $1, $2) RETURNING `+batchColumns, label, now))
	if err != nil {
		return b, fmt.Errorf("store: start sync: %w", err)
	}
	rs, err := fetch(ctx)
	if err == nil {
		err = InTx(ctx, db, func(tx Tx) error {
			counts, err := applySync(ctx, tx, b.ID, rs, now)
			if err != nil {
				return err
			}
			b.Counts = counts
			return finishSync(ctx, tx, b.ID, "done", counts, "", now)
		})
	}
	if err != nil {
		b.State, b.Error = "failed", err.Error()
		if ferr := finishSync(context.WithoutCancel(ctx), db, b.ID, "failed", BatchCounts{}, err.Error(), now); ferr != nil {
			return b, ferr
		}
		return b, err
	}
	b.State = "done"
	return b, nil
}

func finishSync(ctx context.Context, db DBTX, id int64, state string, c BatchCounts, msg string, now time.Time) error {
	cj, _ := json.Marshal(c)
	if _, err := db.Exec(ctx, `UPDATE resource_batches SET state = $2, counts = $3, error = $4, finished_at = $5
		WHERE id = $1`, id, state, string(cj), msg, now); err != nil {
		return fmt.Errorf("store: finish sync: %w", err)
	}
	return nil
}

// applySync compares the fetched records with the directory and the
// proposals waiting.
func applySync(ctx context.Context, db DBTX, batchID int64, rs []directory.Resource, now time.Time) (BatchCounts, error) {
	c := BatchCounts{Fetched: len(rs)}
	cur, err := resourcesByID(ctx, db)
	if err != nil {
		return c, err
	}
	waiting, err := Proposals(ctx, db, 0)
	if err != nil {
		return c, err
	}
	staffWaiting := map[string]bool{}
	for _, p := range waiting {
		staffWaiting[p.ResourceID] = p.Origin != OriginHSDSAPI
	}
	if len(rs) == 0 {
		var any bool
		if err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM resources WHERE origin = 'hsds-api')`).Scan(&any); err != nil || any {
			return c, tipline.Errorf(tipline.EInvalid, "the API listed no services: nothing was hidden")
		}
	}
	seen := map[string]bool{}
	for _, up := range rs {
		seen[up.ID] = true
		if err := syncOne(ctx, db, batchID, cur, staffWaiting, up, &c, now); err != nil {
			return c, fmt.Errorf("record %s: %w", up.ID, err)
		}
	}
	n, err := hideRemoved(ctx, db, seen, now)
	c.Hidden += n
	return c, err
}

// syncOne handles one fetched record.
func syncOne(ctx context.Context, db DBTX, batchID int64, cur map[string]directory.Resource, staffWaiting map[string]bool,
	up directory.Resource, c *BatchCounts, now time.Time) error {
	old, exists := cur[up.ID]
	if up.Hidden { // closed upstream: off for users now, nothing waits
		if exists && !old.Hidden {
			if err := setResourceHidden(ctx, db, up.ID, true, now); err != nil {
				return err
			}
			c.Hidden++
		}
		return dropSyncProposal(ctx, db, up.ID)
	}
	if staffWaiting[up.ID] {
		c.Skipped++
		return nil
	}
	rec := up
	if exists {
		rec = directory.Merge(old, up)
		if directory.Same(old, rec) {
			c.Unchanged++
			return dropSyncProposal(ctx, db, up.ID)
		}
		c.Changed++
	} else {
		c.New++
	}
	return ProposeResource(ctx, db, rec, OriginHSDSAPI, batchID, 0)
}

func dropSyncProposal(ctx context.Context, db DBTX, id string) error {
	_, err := db.Exec(ctx, `DELETE FROM resource_changes WHERE resource_id = $1 AND origin = 'hsds-api'`, id)
	return err
}

// hideRemoved hides the records the sync brought that the API no longer
// lists, and drops the sync's proposals for them.
func hideRemoved(ctx context.Context, db DBTX, seen map[string]bool, now time.Time) (int, error) {
	ids := make([]string, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	tag, err := db.Exec(ctx, `UPDATE resources SET hidden = true, updated_at = $2
		WHERE origin = 'hsds-api' AND NOT hidden AND NOT (id = ANY($1))`, ids, now)
	if err != nil {
		return 0, fmt.Errorf("store: hide removed: %w", err)
	}
	if _, err := db.Exec(ctx, `DELETE FROM resource_changes WHERE origin = 'hsds-api' AND NOT (resource_id = ANY($1))`, ids); err != nil {
		return 0, fmt.Errorf("store: hide removed: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
