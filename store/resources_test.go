package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"tipline"
	"tipline/directory"
	"tipline/store"
	"tipline/testdb"
)

func addStaff(t *testing.T, ctx context.Context, db store.DBTX, email string) int64 {
	t.Helper()
	var id int64
	err := db.QueryRow(ctx, `INSERT INTO staff (email, password_hash, role) VALUES ($1, 'x', 'admin') RETURNING id`, email).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestResourcesRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	if err := store.SeedResourcesIfEmpty(ctx, pool); err != nil {
		t.Fatal(err)
	}
	want, err := directory.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	got, err := store.ListResources(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("seed round trip differs:\n got %+v\nwant %+v", got, want)
	}
	// A second seed (another instance starting) changes nothing.
	if err := store.SeedResourcesIfEmpty(ctx, pool); err != nil {
		t.Fatal(err)
	}
	local := directory.Resource{ID: "local-1", Name: "Shelter", Categories: []string{"shelter"}, Local: true,
		Address: "1 Main St", Point: &tipline.Location{Lat: 40.75, Lon: -73.99}, Verified: true,
		VerifiedBy: "a@example.org", VerifiedAt: time.Now().UTC().Truncate(time.Microsecond), CheckedOn: "2026-01-02"}
	next := append(want[:3:3], local)
	if err := store.ReplaceResources(ctx, pool, next); err != nil {
		t.Fatal(err)
	}
	if got, _ = store.ListResources(ctx, pool); !reflect.DeepEqual(got, next) {
		t.Fatalf("replace: got %+v\nwant %+v", got, next)
	}
	d, err := store.LoadDirectory(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if near := d.Nearby(tipline.Location{Lat: 40.7, Lon: -74}, []string{"shelter"}, "en", 3); len(near) != 1 {
		t.Fatalf("Nearby after load = %v", near)
	}
}

func TestReplaceResourcesRejectsInvalidAtomically(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	if err := store.SeedResourcesIfEmpty(ctx, pool); err != nil {
		t.Fatal(err)
	}
	before, _ := store.ListResources(ctx, pool)
	bad := append(before[:2:2], directory.Resource{ID: "x", Name: "X", Phone: "1-800-RUNAWAY"})
	if err := store.ReplaceResources(ctx, pool, bad); tipline.Code(err) != tipline.EInvalid {
		t.Fatalf("err = %v", err)
	}
	if err := store.ReplaceResources(ctx, pool, nil); tipline.Code(err) != tipline.EInvalid {
		t.Fatalf("empty replace err = %v", err)
	}
	after, _ := store.ListResources(ctx, pool)
	if !reflect.DeepEqual(before, after) {
		t.Fatal("a rejected replace changed the directory")
	}
}

// TestContactChangeNeedsSecondStaff: docs/design.md rule 13.
func TestContactChangeNeedsSecondStaff(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	if err := store.SeedResourcesIfEmpty(ctx, pool); err != nil {
		t.Fatal(err)
	}
	alice, bob := addStaff(t, ctx, pool, "alice@example.org"), addStaff(t, ctx, pool, "bob@example.org")
	change := store.ContactChange{ResourceID: "us-nhth", ProposedBy: alice,
		Values: map[string]string{"sms_number": "233733"}}
	if err := store.ProposeContactChange(ctx, pool, change); err != nil {
		t.Fatal(err)
	}
	d, _ := store.LoadDirectory(ctx, pool)
	if r, _ := d.Get("us-nhth"); r.SMSNumber != "" {
		t.Fatal("a pending change is shown")
	}
	pending, err := store.PendingContactChanges(ctx, pool)
	if err != nil || len(pending) != 1 || pending[0].ProposedBy != alice || pending[0].Values["sms_number"] != "233733" {
		t.Fatalf("pending = %+v, %v", pending, err)
	}
	if _, err := store.VerifyContactChange(ctx, pool, "us-nhth", alice, "alice@example.org"); tipline.Code(err) != tipline.EForbidden {
		t.Fatalf("self-verification err = %v", err)
	}
	r, err := store.VerifyContactChange(ctx, pool, "us-nhth", bob, "bob@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if r.VerifiedBy != "bob@example.org" || r.VerifiedAt.IsZero() || !reflect.DeepEqual(r.HiddenFields, []string{"chat_url", "sms_keyword"}) {
		t.Fatalf("after verify: %+v", r)
	}
	d, _ = store.LoadDirectory(ctx, pool)
	if p, _ := d.Get("us-nhth"); p.SMSNumber != "233733" || p.SMSKeyword != "" || p.ChatURL != "" {
		t.Fatalf("shown after verify: %+v", p)
	}
	bad := store.ContactChange{ResourceID: "us-nhth", ProposedBy: alice, Values: map[string]string{"phone": "1-800-RUNAWAY"}}
	if err := store.ProposeContactChange(ctx, pool, bad); tipline.Code(err) != tipline.EInvalid {
		t.Fatalf("invalid proposal err = %v", err)
	}
	if _, err := store.VerifyContactChange(ctx, pool, "us-nhth", bob, "bob@example.org"); tipline.Code(err) != tipline.ENotFound {
		t.Fatalf("verify without a proposal err = %v", err)
	}
}
