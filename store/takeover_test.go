package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/store"
	"tipline/testdb"
)

// TestTakeoverQueueAndTimeouts: a risk flag starts a wait (the turn's own
// UPDATE, through the migration's trigger), a claim of any chat ends it,
// an idle claim returns to the queue without sending anything, and a
// danger chat left unclaimed is re-paged once per wait.
func TestTakeoverQueueAndTimeouts(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	d := store.NewDashboard(pool)
	a := newStaff(t, pool, "a@example.org", store.RoleReviewer)
	b := newStaff(t, pool, "b@example.org", store.RoleReviewer)
	t0 := time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	danger := conversation(t, pool, "youth", []byte{1}, false)
	tipster := conversation(t, pool, "tipster", []byte{2}, false)
	mustExec(t, pool, `UPDATE conversations SET high_risk = true, risk_level = 'danger', risk_category = 'violence', flagged_at = $2 WHERE id = $1`, danger, t0)
	mustExec(t, pool, `INSERT INTO messages (conversation_id, direction, channel, provider_id, kind, body, created_at) VALUES ($1, 'in', 'telegram', 'p1', 'user', 'x', $2)`, danger, t0)
	// A tipster asking for a person waits too; asking again keeps the wait.
	for _, at := range []time.Time{t0.Add(30 * time.Second), t0.Add(40 * time.Second)} {
		b := &pgx.Batch{}
		store.QueueWantsPerson(b, tipster, at)
		if err := pool.SendBatch(ctx, b).Close(); err != nil {
			t.Fatal(err)
		}
	}
	var pid, tipPID string
	_ = pool.QueryRow(ctx, `SELECT public_id FROM conversations WHERE id = $1`, danger).Scan(&pid)
	_ = pool.QueryRow(ctx, `SELECT public_id FROM conversations WHERE id = $1`, tipster).Scan(&tipPID)

	// A later flag keeps the first wait.
	mustExec(t, pool, `UPDATE conversations SET flagged_at = $2 WHERE id = $1`, danger, t0.Add(time.Minute))
	q, err := d.QueueHealth(ctx, 50)
	if err != nil || len(q.Waiting) != 2 || q.Waiting[0].PublicID != pid || !q.Waiting[0].Since.Equal(t0) ||
		q.Waiting[1].PublicID != tipPID || !q.Waiting[1].Since.Equal(t0.Add(30*time.Second)) ||
		q.OldestUnanswered == nil || !q.OldestUnanswered.Equal(t0) {
		t.Fatalf("queue: %+v %v", q, err)
	}

	// Shifts: on, languages, counted per language, off; all audited.
	actA := store.Actor{StaffID: a.ID, Email: a.Email, At: t0}
	if err := d.StartShift(ctx, actA, []string{"es"}); err != nil {
		t.Fatal(err)
	}
	if err := d.StartShift(ctx, actA, []string{"xx"}); tipline.Code(err) != tipline.EInvalid {
		t.Errorf("unknown language: %v", err)
	}
	if n, _ := store.OnShift(ctx, pool, "es"); n != 0 {
		t.Errorf("on shift for es without being signed in: %d", n)
	}
	mustExec(t, pool, `INSERT INTO sessions (token_hash, staff_id, expires_at) VALUES ('\x01', $1, now() + interval '1 hour')`, a.ID)
	if n, _ := store.OnShift(ctx, pool, "es"); n != 1 {
		t.Errorf("on shift for es: %d", n)
	}
	if n, _ := store.OnShift(ctx, pool, "en"); n != 0 {
		t.Errorf("on shift for en: %d", n)
	}

	// Nobody claimed it for 5 minutes: one re-page, to the given destination.
	pages := func(r store.Repage) []store.PageMessage {
		return []store.PageMessage{{Target: "sms-secondary:0", Channel: tipline.ChannelSMS, Body: "page:unclaimed",
			Reply: tipline.Reply{Text: "again " + r.PublicID}, Summary: func(int) (string, any) { return "s", tipline.Reply{} }}}
	}
	for i, at := range []time.Duration{4 * time.Minute, 5 * time.Minute, 9 * time.Minute} {
		got, err := d.RepageWaiting(ctx, t0.Add(at), 5*time.Minute, pages, time.Second)
		if want := map[int]int{1: 1}[i]; err != nil || len(got) != want {
			t.Errorf("repage at +%v: %d, want %d (%v)", at, len(got), want, err)
		}
	}
	var sent int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE kind = 'page' AND target = 'sms-secondary:0'`).Scan(&sent)
	if sent != 1 {
		t.Errorf("%d secondary page messages", sent)
	}

	// Any conversation can be claimed; a claim ends the wait and acks the page.
	chat, err := d.Chat(ctx, tipPID)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.ClaimChat(ctx, actA, chat); err != nil {
		t.Fatalf("claim a tipster's chat: %v", err)
	}
	dchat, _ := d.Chat(ctx, pid)
	if err := d.ClaimChat(ctx, store.Actor{StaffID: b.ID, At: t0.Add(10 * time.Minute)}, dchat); err != nil {
		t.Fatal(err)
	}
	if q, _ := d.QueueHealth(ctx, 50); len(q.Waiting) != 0 || len(q.Claimed) != 2 || q.UnackedPages != 0 {
		t.Fatalf("after claims: %+v", q)
	}

	// b writes at +12; at +26 only a's claim (from +0) is idle for 15 minutes.
	if err := d.SendChatMessage(ctx, store.Actor{StaffID: b.ID, At: t0.Add(12 * time.Minute)}, dchat, "hello"); err != nil {
		t.Fatal(err)
	}
	out := func() int {
		var n int
		_ = pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE direction = 'out' AND kind <> 'page'`).Scan(&n)
		return n
	}
	before := out()
	ret, err := d.ReturnIdleClaims(ctx, t0.Add(26*time.Minute), 15*time.Minute)
	if err != nil || len(ret) != 1 || ret[0] != tipPID {
		t.Fatalf("idle returns: %v %v", ret, err)
	}
	ret, _ = d.ReturnIdleClaims(ctx, t0.Add(27*time.Minute), 15*time.Minute)
	if len(ret) != 1 || ret[0] != pid {
		t.Fatalf("second idle return: %v", ret)
	}
	if out() != before {
		t.Error("an idle return sent a message")
	}
	q, _ = d.QueueHealth(ctx, 50)
	if len(q.Waiting) != 2 || q.Waiting[0].PublicID != pid || !q.Waiting[0].Since.Equal(t0.Add(27*time.Minute)) {
		t.Fatalf("back in the queue, danger first: %+v", q.Waiting)
	}
	// The new wait may page again.
	if got, _ := d.RepageWaiting(ctx, t0.Add(33*time.Minute), 5*time.Minute, pages, time.Second); len(got) != 1 {
		t.Errorf("re-page of the new wait: %d", len(got))
	}
	var idle, shifts int
	_ = pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE action = 'chat.claim_idle'), count(*) FILTER (WHERE action LIKE 'shift.%') FROM audit_log`).Scan(&idle, &shifts)
	if idle != 2 || shifts != 1 {
		t.Errorf("audit: %d idle returns, %d shift rows", idle, shifts)
	}
	if err := d.EndShift(ctx, actA); err != nil {
		t.Fatal(err)
	}
	if s, _ := d.Shifts(ctx); len(s) != 0 {
		t.Errorf("still on shift: %+v", s)
	}
	// A shift left on by someone who signed out ends by itself.
	_ = d.StartShift(ctx, actA, nil)
	if n, _ := d.EndAbandonedShifts(ctx, t0); n != 0 {
		t.Errorf("ended %d shifts of a signed-in member", n)
	}
	mustExec(t, pool, `DELETE FROM sessions WHERE staff_id = $1`, a.ID)
	if n, _ := d.EndAbandonedShifts(ctx, t0); n != 1 {
		t.Errorf("ended %d abandoned shifts, want 1", n)
	}
}
