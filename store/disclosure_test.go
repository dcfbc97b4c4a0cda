package store_test

import (
	"context"
	"testing"
	"time"

	"tipline"
	"tipline/store"
	"tipline/testdb"
)

// TestEmergencyDisclosureNeedsTwo: a request needs a reason; its author
// cannot confirm it; only the two staff members see the identifier, only
// after the confirmation and within the window; each step is audited.
func TestEmergencyDisclosureNeedsTwo(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	d := store.NewDashboard(pool)
	a := newStaff(t, pool, "first@example.org", store.RoleReviewer)
	b := newStaff(t, pool, "second@example.org", store.RoleReviewer)
	c := newStaff(t, pool, "third@example.org", store.RoleAdmin)
	t0 := time.Now()
	at := func(s store.Staff, after time.Duration) store.Actor {
		return store.Actor{StaffID: s.ID, Email: s.Email, At: t0.Add(after)}
	}
	conv := conversation(t, pool, "youth", []byte("sealed-number"), true)
	var pid string
	_ = pool.QueryRow(ctx, `SELECT public_id FROM conversations WHERE id = $1`, conv).Scan(&pid)
	chat, err := d.Chat(ctx, pid)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.RequestDisclosure(ctx, at(a, 0), chat, "  "); tipline.Code(err) != tipline.EInvalid {
		t.Errorf("request without a reason: %v", err)
	}
	if err := d.RequestDisclosure(ctx, at(a, 0), chat, "overdose, cannot call, line went silent"); err != nil {
		t.Fatal(err)
	}
	ds, _ := d.Disclosures(ctx, chat)
	if len(ds) != 1 {
		t.Fatalf("requests: %+v", ds)
	}
	id := ds[0].ID
	if _, err := d.RevealDisclosure(ctx, at(a, time.Minute), chat, id); tipline.Code(err) != tipline.EForbidden {
		t.Errorf("revealed before confirmation: %v", err)
	}
	if err := d.ConfirmDisclosure(ctx, at(a, time.Minute), chat, id); tipline.Code(err) != tipline.EConflict {
		t.Errorf("the requester confirmed their own request: %v", err)
	}
	if err := d.ConfirmDisclosure(ctx, at(b, 2*time.Minute), chat, id); err != nil {
		t.Fatal(err)
	}
	for _, who := range []store.Staff{a, b} {
		if got, err := d.RevealDisclosure(ctx, at(who, 3*time.Minute), chat, id); err != nil || string(got) != "sealed-number" {
			t.Errorf("reveal to %s: %q %v", who.Email, got, err)
		}
	}
	if _, err := d.RevealDisclosure(ctx, at(c, 3*time.Minute), chat, id); tipline.Code(err) != tipline.EForbidden {
		t.Errorf("a third staff member saw it: %v", err)
	}
	if _, err := d.RevealDisclosure(ctx, at(a, 20*time.Minute), chat, id); tipline.Code(err) != tipline.EForbidden {
		t.Errorf("revealed after the window: %v", err)
	}
	var n int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action LIKE 'disclosure.%'`).Scan(&n)
	if n != 4 { // request, confirm, two reveals
		t.Errorf("%d audit rows, want 4", n)
	}
}
