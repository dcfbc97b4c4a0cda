package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"tipline"
	"tipline/directory"
	"tipline/directory/hsds"
	"tipline/directory/hsds/hsdstest"
	"tipline/store"
	"tipline/testdb"
)

// shown reports whether the directory users are answered from holds id.
func shown(t *testing.T, db store.DBTX, id string) (directory.Resource, bool) {
	t.Helper()
	d, err := store.LoadDirectory(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	return d.Get(id)
}

// TestHSDSSyncWaitsForASecondPerson is acceptance 2 of issue 16 at the
// store: a pull from the local fake HSDS API proposes the new records
// (nobody sees them), the diff names their fields, one verification in
// bulk publishes them; a change upstream is a new proposal with its diff
// while users keep the verified version; a service closed or removed
// upstream is hidden at once.
func TestHSDSSyncWaitsForASecondPerson(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	if err := store.SeedResourcesIfEmpty(ctx, pool); err != nil {
		t.Fatal(err)
	}
	reviewer := addStaff(t, ctx, pool, "r@example.org")
	api := hsdstest.New(t)
	client := &hsds.Client{BaseURL: api.URL, PerPage: 2}
	fetch := func(ctx context.Context) ([]directory.Resource, error) {
		rs, _, err := client.Resources(ctx)
		return rs, err
	}
	sync := func() store.Batch {
		b, err := store.RunSync(ctx, pool, api.URL, fetch, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	b := sync()
	if b.Counts.Fetched != 3 || b.Counts.New != 2 || b.Counts.Hidden != 0 {
		t.Fatalf("first sync: %+v", b.Counts)
	}
	shelter, dropIn := "hsds-"+hsdstest.ShelterID, "hsds-"+hsdstest.DropInID
	if _, ok := shown(t, pool, shelter); ok {
		t.Fatal("an unverified record reached users")
	}
	ps, err := store.Proposals(ctx, pool, b.ID)
	if err != nil || len(ps) != 2 {
		t.Fatalf("proposals: %d %v", len(ps), err)
	}
	if !hasChange(ps, shelter, "phone", "(713) 555-0142 (+17135550142)") || !hasChange(ps, shelter, "ages", "12-17") {
		t.Errorf("diff of the new shelter: %+v", ps[0].Changes)
	}
	verify(t, pool, reviewer, shelter, dropIn)
	if r, ok := shown(t, pool, shelter); !ok || r.Phone != "(713) 555-0142" || !r.Local {
		t.Fatalf("verified shelter not shown: %+v", r)
	}
	if b := sync(); b.Counts.Unchanged != 2 || b.Counts.New+b.Counts.Changed != 0 {
		t.Fatalf("second sync: %+v", b.Counts)
	}
	api.Update(hsdstest.ShelterID, "name", "Harbor Youth Shelter (new name)")
	if b := sync(); b.Counts.Changed != 1 {
		t.Fatalf("sync after a change: %+v", b.Counts)
	}
	if r, _ := shown(t, pool, shelter); r.Name != "Harbor Youth Shelter" {
		t.Errorf("users see an unverified change: %q", r.Name)
	}
	ps, _ = store.Proposals(ctx, pool, 0)
	if len(ps) != 1 || !hasChange(ps, shelter, "name", "Harbor Youth Shelter (new name)") || ps[0].Kind != "edit" {
		t.Fatalf("the change waits with its diff: %+v", ps)
	}
	api.Update(hsdstest.DropInID, "status", "defunct")
	api.Remove(hsdstest.ShelterID)
	if b := sync(); b.Counts.Hidden != 2 {
		t.Fatalf("closed and removed upstream: %+v", b.Counts)
	}
	for _, id := range []string{shelter, dropIn} {
		if _, ok := shown(t, pool, id); ok {
			t.Errorf("%s is still shown after it closed or went upstream", id)
		}
	}
	if ps, _ := store.Proposals(ctx, pool, 0); len(ps) != 0 {
		t.Errorf("proposals left for records gone upstream: %d", len(ps))
	}
	if last, ok, err := store.LastSync(ctx, pool); !ok || err != nil || last.State != "done" || last.FinishedAt == nil {
		t.Errorf("last sync: %+v %v %v", last, ok, err)
	}
}

func hasChange(ps []store.Proposal, id, field, value string) bool {
	for _, p := range ps {
		for _, c := range p.Changes {
			if p.ResourceID == id && c.Field == field && c.New == value {
				return true
			}
		}
	}
	return false
}

func verify(t *testing.T, pool *store.Pool, staffID int64, ids ...string) {
	t.Helper()
	err := store.InTx(context.Background(), pool, func(tx store.Tx) error {
		for _, id := range ids {
			if err := store.VerifyProposal(context.Background(), tx, id, staffID, "r@example.org", time.Now()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestSyncFailureIsRecorded: an API that fails leaves the directory alone
// and the run marked failed with its reason.
func TestSyncFailureIsRecorded(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	_, err := store.RunSync(ctx, pool, "https://api.example.org", func(context.Context) ([]directory.Resource, error) {
		return nil, errors.New("hsds api: GET /services: 502 Bad Gateway")
	}, time.Now())
	if err == nil {
		t.Fatal("no error")
	}
	last, ok, _ := store.LastSync(ctx, pool)
	if !ok || last.State != "failed" || last.Error == "" {
		t.Fatalf("last sync: %+v", last)
	}
}

// TestStaffProposalNeedsSomeoneElse: a staff member's new record waits;
// its proposer cannot verify it, a second person can; retiring hides at
// once.
func TestStaffProposalNeedsSomeoneElse(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	a, b := addStaff(t, ctx, pool, "a@example.org"), addStaff(t, ctx, pool, "b@example.org")
	rec := directory.Resource{ID: "harbor-house", Name: "Harbor House", Categories: []string{"shelter"},
		Phone: "(713) 555-0142", PhoneE164: "+17135550142", Local: true, AgesMin: 12, AgesMax: 17,
		Point: &tipline.Location{Lat: 29.75, Lon: -95.36}, Regions: []string{"US-TX"}}
	if err := store.ProposeResource(ctx, pool, rec, store.OriginStaff, 0, a); err != nil {
		t.Fatal(err)
	}
	err := store.VerifyProposal(ctx, pool, rec.ID, a, "a@example.org", time.Now())
	if tipline.Code(err) != tipline.EForbidden {
		t.Fatalf("the proposer verified their own record: %v", err)
	}
	if _, ok := shown(t, pool, rec.ID); ok {
		t.Fatal("shown before verification")
	}
	verify(t, pool, b, rec.ID)
	r, ok := shown(t, pool, rec.ID)
	if !ok || r.AgesMax != 17 || !r.Local {
		t.Fatalf("not shown after a second person verified: %+v", r)
	}
	if err := store.RetireResource(ctx, pool, rec.ID, time.Now()); err != nil {
		t.Fatal(err)
	}
	if _, ok := shown(t, pool, rec.ID); ok {
		t.Fatal("a retired record is shown")
	}
}
