package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/directory"
)

// Batch is one import from the dashboard or one run of the HSDS sync.
type Batch struct {
	ID         int64
	Kind       string // "import" or "sync"
	State      string // import: preview, staged, discarded; sync: running, done, failed
	Label      string
	Counts     BatchCounts
	Error      string
	CreatedBy  int64
	CreatedAt  time.Time
	FinishedAt *time.Time
}

// BatchCounts says what a batch found, by record.
type BatchCounts struct {
	Fetched   int `json:"fetched"`
	New       int `json:"new"`       // proposed, not in the directory
	Changed   int `json:"changed"`   // proposed, different from the directory
	Unchanged int `json:"unchanged"` // same as the directory: nothing proposed
	Hidden    int `json:"hidden"`    // closed or removed upstream: hidden at once
	Skipped   int `json:"skipped"`   // a staff member's proposal is waiting: left alone
}

const batchColumns = `id, kind, state, label, counts, error, COALESCE(created_by_staff, 0), created_at, finished_at`

func scanBatch(row pgx.Row) (Batch, error) {
	var b Batch
	var counts []byte
	err := row.Scan(&b.ID, &b.Kind, &b.State, &b.Label, &counts, &b.Error, &b.CreatedBy, &b.CreatedAt, &b.FinishedAt)
	if err == nil {
		err = json.Unmarshal(counts, &b.Counts)
	}
	return b, err
}

// GetBatch returns batch id.
func GetBatch(ctx context.Context, db DBTX, id int64) (Batch, error) {
	b, err := scanBatch(db.QueryRow(ctx, `SELECT `+batchColumns+` FROM resource_batches WHERE id = $1`, id))
	if err != nil {
		return b, fmt.Errorf("store: batch: %w", notFound(err, "batch"))
	}
	return b, nil
}

// LastSync returns the latest run of the HSDS sync; ok is false before
// the first.
func LastSync(ctx context.Context, db DBTX) (b Batch, ok bool, err error) {
	b, err = scanBatch(db.QueryRow(ctx, `SELECT `+batchColumns+` FROM resource_batches
		WHERE kind = 'sync' ORDER BY id DESC LIMIT 1`))
	if err == pgx.ErrNoRows {
		return b, false, nil
	}
	if err != nil {
		return b, false, fmt.Errorf("store: last sync: %w", err)
	}
	return b, true, nil
}

// PreviewImport keeps rs, parsed from an uploaded file, as an import
// batch and returns it with what it would change; nothing is proposed yet.
func PreviewImport(ctx context.Context, db DBTX, label string, rs []directory.Resource, staffID int64) (Batch, []Proposal, error) {
	if len(rs) == 0 {
		return Batch{}, nil, tipline.Errorf(tipline.EInvalid, "the file holds no records")
	}
	if err := directory.ValidateAll(rs); err != nil {
		return Batch{}, nil, tipline.Errorf(tipline.EInvalid, "%v", err)
	}
	raw, err := json.Marshal(rs)
	if err != nil {
		return Batch{}, nil, fmt.Errorf("store: preview import: %w", err)
	}
	plan, counts, err := planImport(ctx, db, rs)
	if err != nil {
		return Batch{}, nil, err
	}
	cj, _ := json.Marshal(counts)
	b, err := scanBatch(db.QueryRow(ctx, `INSERT INTO resource_batches (kind, state, label, records, counts, created_by_staff)
		VALUES ('import', 'preview', $1, $2, $3, NULLIF($4, 0)) RETURNING `+batchColumns, label, string(raw), string(cj), staffID))
	if err != nil {
		return b, nil, fmt.Errorf("store: preview import: %w", err)
	}
	return b, plan, nil
}

// planImport compares rs with the directory: a proposal for each new or
// different record (merged with what staff keep about it).
func planImport(ctx context.Context, db DBTX, rs []directory.Resource) ([]Proposal, BatchCounts, error) {
	cur, err := resourcesByID(ctx, db)
	if err != nil {
		return nil, BatchCounts{}, err
	}
	var plan []Proposal
	counts := BatchCounts{Fetched: len(rs)}
	for _, r := range rs {
		old, ok := cur[r.ID]
		if !ok {
			counts.New++
			plan = append(plan, Proposal{ResourceID: r.ID, Kind: "create", Record: r, Changes: newRecordChanges(directory.Diff(directory.Resource{}, r))})
			continue
		}
		m := directory.Merge(old, r)
		if directory.Same(old, m) {
			counts.Unchanged++
			continue
		}
		counts.Changed++
		plan = append(plan, Proposal{ResourceID: r.ID, Kind: "edit", Record: m, Current: &old, Changes: directory.Diff(old, m)})
	}
	return plan, counts, nil
}

// ImportPlan returns what a previewed import batch would change now.
func ImportPlan(ctx context.Context, db DBTX, batchID int64) (Batch, []Proposal, error) {
	b, rs, err := importRecords(ctx, db, batchID, false)
	if err != nil {
		return b, nil, err
	}
	plan, _, err := planImport(ctx, db, rs)
	return b, plan, err
}

func importRecords(ctx context.Context, db DBTX, batchID int64, lock bool) (Batch, []directory.Resource, error) {
	q := `SELECT ` + batchColumns + `, COALESCE(records, '[]') FROM resource_batches WHERE id = $1 AND kind = 'import'`
	if lock {
		q += ` FOR UPDATE`
	}
	var b Batch
	var counts, raw []byte
	err := db.QueryRow(ctx, q, batchID).Scan(&b.ID, &b.Kind, &b.State, &b.Label, &counts, &b.Error, &b.CreatedBy,
		&b.CreatedAt, &b.FinishedAt, &raw)
	if err != nil {
		return b, nil, fmt.Errorf("store: import batch: %w", notFound(err, "import"))
	}
	var rs []directory.Resource
	if err := json.Unmarshal(counts, &b.Counts); err != nil {
		return b, nil, err
	}
	return b, rs, json.Unmarshal(raw, &rs)
}

// StageImport turns a previewed import into proposals, each waiting for a
// staff member other than staffID (who staged it).
func StageImport(ctx context.Context, db DBTX, batchID, staffID int64, now time.Time) (int, error) {
	b, rs, err := importRecords(ctx, db, batchID, true)
	if err != nil {
		return 0, err
	}
	if b.State != "preview" {
		return 0, tipline.Errorf(tipline.EConflict, "this import was already %s", b.State)
	}
	plan, _, err := planImport(ctx, db, rs)
	if err != nil {
		return 0, err
	}
	for _, p := range plan {
		if err := ProposeResource(ctx, db, p.Record, OriginImport, batchID, staffID); err != nil {
			return 0, err
		}
	}
	_, err = db.Exec(ctx, `UPDATE resource_batches SET state = 'staged', records = NULL, finished_at = $2 WHERE id = $1`, batchID, now)
	if err != nil {
		return 0, fmt.Errorf("store: stage import: %w", err)
	}
	return len(plan), nil
}
