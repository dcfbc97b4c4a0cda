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

// Where a proposal came from (resource_changes.origin).
const (
	OriginStaff   = ""         // a staff member's form
	OriginHSDSAPI = "hsds-api" // the scheduled pull (docs/design.md "The directory")
	OriginImport  = "import"   // a file imported from the dashboard
)

// Proposal is a whole record waiting for a second person before users see
// it (docs/design.md rule 13): new, or a new version of one in the
// directory.
type Proposal struct {
	ResourceID string
	Kind       string // "create" or "edit"
	Record     directory.Resource
	Origin     string
	BatchID    int64 // 0: none
	ProposedBy int64 // staff id; 0: the sync
	ProposedAt time.Time
	// Filled by Proposals: the record as users see it now (nil for a new
	// one) and what the proposal changes.
	Current *directory.Resource
	Changes []directory.FieldChange
}

// ProposeResource keeps rec as the proposed version of its record,
// replacing an earlier proposal. It must be valid; users see nothing of it
// until VerifyProposal.
func ProposeResource(ctx context.Context, db DBTX, rec directory.Resource, origin string, batchID, staffID int64) error {
	if err := directory.Validate(rec); err != nil {
		return tipline.Errorf(tipline.EInvalid, "%v", err)
	}
	rec.Verified, rec.VerifiedBy, rec.VerifiedAt = false, "", time.Time{}
	b, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("store: propose resource: %w", err)
	}
	_, err = db.Exec(ctx, `INSERT INTO resource_changes (resource_id, kind, record, origin, batch_id, proposed_by_staff)
		VALUES ($1, CASE WHEN EXISTS (SELECT 1 FROM resources WHERE id = $1) THEN 'edit' ELSE 'create' END,
			$2, $3, NULLIF($4, 0), NULLIF($5, 0))
		ON CONFLICT (resource_id) DO UPDATE SET kind = EXCLUDED.kind, record = EXCLUDED.record,
			origin = EXCLUDED.origin, batch_id = EXCLUDED.batch_id,
			proposed_by_staff = EXCLUDED.proposed_by_staff, proposed_at = now()`,
		rec.ID, string(b), origin, batchID, staffID)
	if err != nil {
		return fmt.Errorf("store: propose resource: %w", err)
	}
	return nil
}

const proposalColumns = `resource_id, kind, record, origin, COALESCE(batch_id, 0), COALESCE(proposed_by_staff, 0), proposed_at`

func scanProposal(row pgx.Row) (Proposal, error) {
	var p Proposal
	var raw []byte
	if err := row.Scan(&p.ResourceID, &p.Kind, &raw, &p.Origin, &p.BatchID, &p.ProposedBy, &p.ProposedAt); err != nil {
		return p, err
	}
	return p, json.Unmarshal(raw, &p.Record)
}

// Proposals lists the proposals waiting, oldest first (of one batch when
// batchID is not 0), each with the record users see now and the diff.
func Proposals(ctx context.Context, db DBTX, batchID int64) ([]Proposal, error) {
	rows, err := db.Query(ctx, `SELECT `+proposalColumns+` FROM resource_changes
		WHERE $1 = 0 OR batch_id = $1 ORDER BY proposed_at, resource_id`, batchID)
	if err != nil {
		return nil, fmt.Errorf("store: proposals: %w", err)
	}
	ps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Proposal, error) { return scanProposal(row) })
	if err != nil {
		return nil, fmt.Errorf("store: proposals: %w", err)
	}
	cur, err := resourcesByID(ctx, db)
	if err != nil {
		return nil, err
	}
	for i := range ps {
		old := directory.Resource{}
		if r, ok := cur[ps[i].ResourceID]; ok {
			ps[i].Current, old = &r, r
		}
		ps[i].Changes = directory.Diff(old, ps[i].Record)
		if ps[i].Current == nil {
			ps[i].Changes = newRecordChanges(ps[i].Changes)
		}
	}
	return ps, nil
}

// newRecordChanges drops the "before" side of a new record's diff (there
// was nothing: a "no" there is no change anyone made).
func newRecordChanges(cs []directory.FieldChange) []directory.FieldChange {
	for i := range cs {
		cs[i].Old = ""
	}
	return cs
}

func resourcesByID(ctx context.Context, db DBTX) (map[string]directory.Resource, error) {
	rs, err := ListResources(ctx, db)
	if err != nil {
		return nil, err
	}
	m := make(map[string]directory.Resource, len(rs))
	for _, r := range rs {
		m[r.ID] = r
	}
	return m, nil
}

// VerifyProposal puts the proposal for id into the directory, verified by
// staffID (email for the record), who must not be its proposer; the
// proposal goes. A new record goes to the end of the directory.
func VerifyProposal(ctx context.Context, db DBTX, id string, staffID int64, email string, now time.Time) error {
	return VerifyProposals(ctx, db, []string{id}, staffID, email, now)
}

// VerifyProposals verifies the proposals for ids at once, in a handful of
// statements whatever their number: all, or none when one is missing or
// is staffID's own.
func VerifyProposals(ctx context.Context, db DBTX, ids []string, staffID int64, email string, now time.Time) error {
	rows, err := db.Query(ctx, `SELECT `+proposalColumns+` FROM resource_changes
		WHERE resource_id = ANY($1) ORDER BY proposed_at, resource_id FOR UPDATE`, ids)
	if err != nil {
		return fmt.Errorf("store: verify proposals: %w", err)
	}
	ps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Proposal, error) { return scanProposal(row) })
	if err != nil {
		return fmt.Errorf("store: verify proposals: %w", err)
	}
	if len(ps) != len(uniqueStrings(ids)) {
		return tipline.Errorf(tipline.ENotFound, "a proposed change was decided meanwhile: reload the page")
	}
	recs, err := verifiedRows(ctx, db, ps, staffID, email, now)
	if err != nil {
		return err
	}
	b, err := json.Marshal(recs)
	if err != nil {
		return fmt.Errorf("store: verify proposals: %w", err)
	}
	if _, err := db.Exec(ctx, `WITH src AS (SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(`+srcColumns+`)) `+
		upsertSQL, string(b)); err != nil {
		return fmt.Errorf("store: verify proposals: %w", err)
	}
	_, err = db.Exec(ctx, `UPDATE resources SET verified_by_staff = $2 WHERE id = ANY($1)`, ids, staffID)
	if err == nil {
		_, err = db.Exec(ctx, `DELETE FROM resource_changes WHERE resource_id = ANY($1)`, ids)
	}
	if err != nil {
		return fmt.Errorf("store: verify proposals: %w", err)
	}
	return nil
}

// verifiedRows stamps each proposed record verified by email now, checks
// the two-person rule and the record, and places it: where it is, or after
// the directory's end.
func verifiedRows(ctx context.Context, db DBTX, ps []Proposal, staffID int64, email string, now time.Time) ([]resourceRow, error) {
	pos := map[string]int{}
	rows, err := db.Query(ctx, `SELECT id, position FROM resources WHERE id = ANY($1)`, proposalIDs(ps))
	if err != nil {
		return nil, fmt.Errorf("store: verify proposals: %w", err)
	}
	for rows.Next() {
		var id string
		var p int
		if err := rows.Scan(&id, &p); err != nil {
			return nil, err
		}
		pos[id] = p
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var end int
	if err := db.QueryRow(ctx, `SELECT COALESCE(max(position), 0) FROM resources`).Scan(&end); err != nil {
		return nil, fmt.Errorf("store: verify proposals: %w", err)
	}
	out := make([]resourceRow, 0, len(ps))
	for _, p := range ps {
		if staffID == 0 || p.ProposedBy == staffID {
			return nil, tipline.Errorf(tipline.EForbidden, "a second staff member must verify this change (%s)", p.ResourceID)
		}
		r := p.Record
		r.Verified, r.VerifiedBy, r.VerifiedAt, r.CheckedOn = true, email, now.UTC(), now.UTC().Format(time.DateOnly)
		if err := directory.Validate(r); err != nil {
			return nil, tipline.Errorf(tipline.EInvalid, "%v", err)
		}
		at, ok := pos[r.ID]
		if !ok {
			end++
			at = end
		}
		row := toRow(at, r)
		if p.Origin == OriginHSDSAPI {
			row.Origin = OriginHSDSAPI
		}
		out = append(out, row)
	}
	return out, nil
}

func proposalIDs(ps []Proposal) []string {
	ids := make([]string, len(ps))
	for i, p := range ps {
		ids[i] = p.ResourceID
	}
	return ids
}

func uniqueStrings(s []string) map[string]bool {
	m := make(map[string]bool, len(s))
	for _, x := range s {
		m[x] = true
	}
	return m
}

// RejectProposal drops the proposal for id; users never saw it.
func RejectProposal(ctx context.Context, db DBTX, id string) error {
	tag, err := db.Exec(ctx, `DELETE FROM resource_changes WHERE resource_id = $1`, id)
	return affectedOne(tag.RowsAffected(), err, "proposed change")
}

// GetProposal returns the proposal waiting for id.
func GetProposal(ctx context.Context, db DBTX, id string) (Proposal, error) {
	p, err := scanProposal(db.QueryRow(ctx, `SELECT `+proposalColumns+` FROM resource_changes WHERE resource_id = $1`, id))
	if err != nil {
		return p, fmt.Errorf("store: proposal: %w", notFound(err, "proposed change"))
	}
	return p, nil
}

// RetireResource takes a record off for users at once (hiding shows less,
// so it needs no second person) and drops any proposal for it.
func RetireResource(ctx context.Context, db DBTX, id string, now time.Time) error {
	if err := setResourceHidden(ctx, db, id, true, now); err != nil {
		return err
	}
	if _, err := db.Exec(ctx, `DELETE FROM resource_changes WHERE resource_id = $1`, id); err != nil {
		return fmt.Errorf("store: retire resource: %w", err)
	}
	return nil
}
