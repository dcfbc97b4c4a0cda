package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/directory"
)

// ProposeResource keeps a staff member's new or edited record until a
// second staff member verifies it (docs/design.md rule 13).
func (s *Dashboard) ProposeResource(ctx context.Context, a Actor, rec directory.Resource) error {
	e := a.Entry("resource.propose", "resource", rec.ID, nil)
	return s.change(ctx, e, func(tx pgx.Tx) error {
		return ProposeResource(ctx, tx, rec, OriginStaff, 0, a.StaffID)
	})
}

// Proposals lists the proposals waiting (of one batch when batchID is not
// 0), with their diffs.
func (s *Dashboard) Proposals(ctx context.Context, batchID int64) ([]Proposal, error) {
	return Proposals(ctx, s.pool, batchID)
}

// Proposal returns the proposal waiting for resource id.
func (s *Dashboard) Proposal(ctx context.Context, id string) (Proposal, error) {
	return GetProposal(ctx, s.pool, id)
}

// VerifyProposals puts the named proposals into the directory, all or
// none, in one transaction with one audit row naming them. None may be
// the caller's own.
func (s *Dashboard) VerifyProposals(ctx context.Context, a Actor, ids []string) error {
	if len(ids) == 0 {
		return tipline.Errorf(tipline.EInvalid, "no change selected")
	}
	e := a.Entry("resource.changes_verify", "resource", firstOr(ids), map[string]any{"ids": ids, "count": len(ids)})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		return VerifyProposals(ctx, tx, ids, a.StaffID, a.Email, a.At)
	})
}

// RejectProposals drops the named proposals, with one audit row.
func (s *Dashboard) RejectProposals(ctx context.Context, a Actor, ids []string) error {
	if len(ids) == 0 {
		return tipline.Errorf(tipline.EInvalid, "no change selected")
	}
	e := a.Entry("resource.changes_reject", "resource", firstOr(ids), map[string]any{"ids": ids, "count": len(ids)})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM resource_changes WHERE resource_id = ANY($1)`, ids)
		if err == nil && int(tag.RowsAffected()) != len(uniqueStrings(ids)) {
			return tipline.Errorf(tipline.ENotFound, "a proposed change was decided meanwhile: reload the page")
		}
		return err
	})
}

func firstOr(ids []string) string {
	if len(ids) == 1 {
		return ids[0]
	}
	return ""
}

// RetireResource takes a record off for users at once and drops any
// proposal for it.
func (s *Dashboard) RetireResource(ctx context.Context, a Actor, id string) error {
	return s.change(ctx, a.Entry("resource.retire", "resource", id, nil), func(tx pgx.Tx) error {
		return RetireResource(ctx, tx, id, a.At)
	})
}

// PreviewImport keeps an uploaded file's records as an import batch and
// returns what they would change; nothing is proposed yet.
func (s *Dashboard) PreviewImport(ctx context.Context, a Actor, label string, rs []directory.Resource) (Batch, []Proposal, error) {
	var b Batch
	var plan []Proposal
	err := InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if b, plan, err = PreviewImport(ctx, tx, label, rs, a.StaffID); err != nil {
			return err
		}
		return Audit(ctx, tx, a.Entry("resource.import_preview", "resource_batch", idString(b.ID),
			map[string]any{"file": label, "records": len(rs)}))
	})
	return b, plan, err
}

// ImportPlan returns an import batch and what it would change now.
func (s *Dashboard) ImportPlan(ctx context.Context, batchID int64) (Batch, []Proposal, error) {
	return ImportPlan(ctx, s.pool, batchID)
}

// StageImport turns a previewed import into proposals waiting for a
// second staff member.
func (s *Dashboard) StageImport(ctx context.Context, a Actor, batchID int64) (int, error) {
	var n int
	err := s.change(ctx, a.Entry("resource.import_stage", "resource_batch", idString(batchID), nil), func(tx pgx.Tx) error {
		var err error
		n, err = StageImport(ctx, tx, batchID, a.StaffID, a.At)
		return err
	})
	return n, err
}

// LastSync returns the latest HSDS sync run; ok is false before the first.
func (s *Dashboard) LastSync(ctx context.Context) (Batch, bool, error) {
	return LastSync(ctx, s.pool)
}
