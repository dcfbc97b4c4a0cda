package store_test

import (
	"context"
	"testing"
	"time"

	"tipline"
	"tipline/store"
	"tipline/testdb"
)

// TestEscalationRecord: entries are validated, carry the categories
// disclosed, cannot be changed or deleted, go with their conversation, and
// outlive it (detached) under a legal hold.
func TestEscalationRecord(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	d := store.NewDashboard(pool)
	a := newStaff(t, pool, "esc@example.org", store.RoleReviewer)
	act := store.Actor{StaffID: a.ID, Email: a.Email, At: time.Now()}
	chatOf := func(kind string, seed byte) store.DashChat {
		conv := conversation(t, pool, kind, []byte{seed}, true)
		var mid int64
		_ = pool.QueryRow(ctx, `INSERT INTO messages (conversation_id, direction, channel, provider_id, kind, body)
			VALUES ($1, 'in', 'telegram', $2, 'user', 'x') RETURNING id`, conv, "esc"+string(rune('a'+seed))).Scan(&mid)
		mustExec(t, pool, `INSERT INTO message_risk (message_id, level, categories) VALUES ($1, 'danger', '{abuse,imminent}')`, mid)
		var pid string
		_ = pool.QueryRow(ctx, `SELECT public_id FROM conversations WHERE id = $1`, conv).Scan(&pid)
		c, err := d.Chat(ctx, pid)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	youth := chatOf("youth", 1)
	bad := []store.EscalationEntry{
		{Kind: store.EscalationException, Exception: "imminent_harm"},
		{Kind: store.EscalationException, Exception: "curiosity", Reason: "x"},
		{Kind: store.EscalationTold, ToldWhom: "911"},
		{Kind: "bogus"},
	}
	for _, x := range bad {
		if err := d.AddEscalation(ctx, act, youth, x); tipline.Code(err) != tipline.EInvalid {
			t.Errorf("%+v accepted: %v", x, err)
		}
	}
	if err := d.AddEscalation(ctx, act, chatOf("tipster", 2), store.EscalationEntry{Kind: store.EscalationYouthTold}); tipline.Code(err) != tipline.EInvalid {
		t.Errorf("tipster record: %v", err)
	}
	now := time.Now()
	for _, x := range []store.EscalationEntry{
		{Kind: store.EscalationException, Exception: "imminent_harm", Reason: "a plan for tonight"},
		{Kind: store.EscalationTold, ToldWhom: "911 dispatch", ToldAt: &now},
		{Kind: store.EscalationYouthTold, Reason: "told we called 911"},
	} {
		if err := d.AddEscalation(ctx, act, youth, x); err != nil {
			t.Fatal(err)
		}
	}
	rec, err := d.Escalation(ctx, youth)
	if err != nil || len(rec.Entries) != 3 || len(rec.Disclosed) != 2 || len(rec.Entries[0].Categories) != 2 || rec.Held {
		t.Fatalf("record: %+v %v", rec, err)
	}
	for _, sql := range []string{`UPDATE escalation_entries SET reason = 'changed'`, `DELETE FROM escalation_entries`} {
		if _, err := pool.Exec(ctx, sql); err == nil {
			t.Errorf("%s: allowed", sql)
		}
	}
	entries := func(pid string) (attached, detached int) {
		_ = pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE conversation_id IS NOT NULL), count(*) FILTER (WHERE conversation_id IS NULL)
			FROM escalation_entries WHERE conversation_pid = $1`, pid).Scan(&attached, &detached)
		return
	}
	held := chatOf("youth", 3)
	if err := d.SetEscalationHold(ctx, act, held, true, ""); tipline.Code(err) != tipline.EInvalid {
		t.Errorf("hold without a reason: %v", err)
	}
	if err := d.SetEscalationHold(ctx, act, held, true, "subpoena 26-113"); err != nil {
		t.Fatal(err)
	}
	mustExec(t, pool, `DELETE FROM conversations WHERE id = ANY($1)`, []int64{youth.ID, held.ID})
	if at, de := entries(youth.PublicID); at+de != 0 {
		t.Errorf("the record outlived its conversation without a hold: %d", at+de)
	}
	if at, de := entries(held.PublicID); at != 0 || de != 1 {
		t.Errorf("held record: %d attached, %d detached", at, de)
	}
	var audits int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action LIKE 'escalation.%'`).Scan(&audits)
	if audits != 4 {
		t.Errorf("%d audit rows, want 4", audits)
	}
}
