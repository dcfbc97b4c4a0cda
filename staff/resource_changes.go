package staff

import (
	"context"
	"net/http"
	"strconv"

	"tipline/store"
)

// maxReviewRows is how many proposals the review page shows at once (the
// oldest); "verify all" covers exactly those shown, never one the reviewer
// has not seen.
const maxReviewRows = 1000

// proposalRow is one proposal on the review page.
type proposalRow struct {
	P        store.Proposal
	Proposer string // email; "" for the sync
	Mine     bool
}

// resourceChanges lists the proposals waiting for a second person (of one
// batch with ?batch=N), each with its diff, for review in bulk; with the
// HSDS sync's latest run.
func (db *Dashboard) resourceChanges(c *reqCtx) error {
	batch, _ := strconv.ParseInt(c.r.URL.Query().Get("batch"), 10, 64)
	ps, err := db.store.Proposals(c.ctx(), batch)
	if err != nil {
		return err
	}
	total := len(ps)
	if len(ps) > maxReviewRows {
		ps = ps[:maxReviewRows]
	}
	rows := db.proposalRows(c.ctx(), ps, c.staff.ID)
	var others []string
	for _, r := range rows {
		if !r.Mine {
			others = append(others, r.P.ResourceID)
		}
	}
	sync, synced, err := db.store.LastSync(c.ctx())
	if err != nil {
		return err
	}
	c.render(http.StatusOK, "resource_changes", "Directory changes waiting", map[string]any{
		"Rows": rows, "Others": others, "Batch": batch, "Sync": sync, "Synced": synced, "Total": total,
	})
	return nil
}

// proposalRows names each proposal's proposer and marks the caller's own.
func (db *Dashboard) proposalRows(ctx context.Context, ps []store.Proposal, me int64) []proposalRow {
	emails := map[int64]string{}
	rows := make([]proposalRow, 0, len(ps))
	for _, p := range ps {
		row := proposalRow{P: p, Mine: p.ProposedBy != 0 && p.ProposedBy == me}
		if p.ProposedBy != 0 {
			if _, ok := emails[p.ProposedBy]; !ok {
				if st, err := db.store.StaffByID(ctx, p.ProposedBy); err == nil {
					emails[p.ProposedBy] = st.Email
				}
			}
			row.Proposer = emails[p.ProposedBy]
		}
		rows = append(rows, row)
	}
	return rows
}

// resourceChangesVerify puts the selected proposals into the directory,
// all or none. A proposal of the caller's own cannot be verified by them
// (the two-person rule).
func (db *Dashboard) resourceChangesVerify(c *reqCtx) error {
	if err := db.store.VerifyProposals(c.ctx(), c.actor(), c.r.PostForm["id"]); err != nil {
		return err
	}
	return c.redirect("/staff/resources/changes?done=verified")
}

// resourceChangesReject drops the selected proposals; users never saw them.
func (db *Dashboard) resourceChangesReject(c *reqCtx) error {
	if err := db.store.RejectProposals(c.ctx(), c.actor(), c.r.PostForm["id"]); err != nil {
		return err
	}
	return c.redirect("/staff/resources/changes?done=rejected")
}
