package store_test

import (
	"context"
	"testing"
	"time"

	"tipline"
	"tipline/store"
	"tipline/testdb"
)

func mustExec(t *testing.T, db store.DBTX, sql string, args ...any) {
	t.Helper()
	if _, err := db.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func newStaff(t *testing.T, db store.DBTX, email, role string) store.Staff {
	t.Helper()
	s, err := store.CreateStaff(context.Background(), db, email, role, "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// conversation inserts a contact (reachable or not) and its conversation.
func conversation(t *testing.T, db store.DBTX, kind string, sealed []byte, highRisk bool) int64 {
	t.Helper()
	ctx := context.Background()
	var contact, conv int64
	if err := db.QueryRow(ctx, `INSERT INTO contacts (channel, id_hash, id_sealed, alias) VALUES ('telegram', decode(md5(random()::text), 'hex'), $1, 'R-X') RETURNING id`,
		sealed).Scan(&contact); err != nil {
		t.Fatal(err)
	}
	if err := db.QueryRow(ctx, `INSERT INTO conversations (public_id, channel, contact_id, kind, high_risk, flagged_at)
		VALUES ($1, 'telegram', $2, $3, $4, now()) RETURNING id`, store.NewPublicID(), contact, kind, highRisk).Scan(&conv); err != nil {
		t.Fatal(err)
	}
	return conv
}

func TestAuditAppendOnlyAndFilters(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	s := newStaff(t, db, "a@example.org", store.RoleAdmin)
	for _, a := range []string{"tip.view", "tip.status", "login"} {
		if err := store.Audit(ctx, db, store.AuditEntry{StaffID: &s.ID, StaffEmail: s.Email, Action: a, ObjectType: "tip", ObjectID: "7", ClientAddr: "192.0.2.1"}); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := store.ListAudit(ctx, db, store.AuditFilter{Action: "tip.", StaffID: s.ID})
	if err != nil || len(rows) != 2 || rows[0].Action != "tip.status" || rows[0].ClientAddr != "192.0.2.1" {
		t.Fatalf("filter by prefix: %+v %v", rows, err)
	}
	if rows, _ := store.ListAudit(ctx, db, store.AuditFilter{From: time.Now().Add(time.Hour)}); len(rows) != 0 {
		t.Error("date filter")
	}
	for _, q := range []string{`UPDATE audit_log SET action = 'x'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`} {
		if _, err := db.Exec(ctx, q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
}

func TestSessionsIdleExpiryAndDisabled(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	s := newStaff(t, db, "r@example.org", store.RoleReviewer)
	now := time.Now()
	if err := store.CreateSession(ctx, db, []byte("h1"), s.ID, true, now, now.Add(time.Hour), "::1"); err != nil {
		t.Fatal(err)
	}
	if got, err := store.SessionByHash(ctx, db, []byte("h1"), now.Add(time.Minute), 30*time.Minute); err != nil || got.Staff.ID != s.ID || !got.MFAOK {
		t.Fatalf("live session: %+v %v", got, err)
	}
	if _, err := store.SessionByHash(ctx, db, []byte("h1"), now.Add(31*time.Minute), 30*time.Minute); tipline.Code(err) != tipline.ENotFound {
		t.Error("idle session still live")
	}
	_ = store.TouchSession(ctx, db, []byte("h1"), now.Add(50*time.Minute))
	if _, err := store.SessionByHash(ctx, db, []byte("h1"), now.Add(61*time.Minute), 30*time.Minute); err == nil {
		t.Error("expired session still live")
	}
	_ = store.SetStaffDisabledByID(ctx, db, s.ID, true)
	if _, err := store.SessionByHash(ctx, db, []byte("h1"), now, 30*time.Minute); err == nil {
		t.Error("disabled login's session still live")
	}
}

func TestLoginFailuresWindow(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	now := time.Now()
	for i := range 3 {
		if err := store.RecordLoginFailure(ctx, db, "acct:x", now.Add(time.Duration(i)*time.Second), now.Add(-15*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := store.LoginFailures(ctx, db, "acct:x", now.Add(-15*time.Minute)); n != 3 {
		t.Fatalf("failures %d", n)
	}
	if n, _ := store.LoginFailures(ctx, db, "acct:x", now.Add(time.Hour)); n != 0 {
		t.Error("old failures still count")
	}
	later := now.Add(time.Hour)
	_ = store.RecordLoginFailure(ctx, db, "acct:x", later, later.Add(-15*time.Minute))
	if n, _ := store.LoginFailures(ctx, db, "acct:x", later.Add(-15*time.Minute)); n != 1 {
		t.Errorf("count did not restart after the window: %d", n)
	}
	_ = store.ClearLoginFailures(ctx, db, "acct:x")
	if n, _ := store.LoginFailures(ctx, db, "acct:x", time.Time{}); n != 0 {
		t.Error("not cleared")
	}
}

func TestQueueStaffMessage(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	now := time.Now()
	youth := conversation(t, db, "youth", []byte("sealed"), true)
	tipster := conversation(t, db, "tipster", []byte("sealed"), false)
	gone := conversation(t, db, "youth", nil, true)
	id, err := store.QueueStaffMessage(ctx, db, youth, "Are you safe?", now)
	if err != nil {
		t.Fatal(err)
	}
	var kind, status string
	var expires *time.Time
	_ = db.QueryRow(ctx, `SELECT kind, status, expires_at FROM messages WHERE id = $1`, id).Scan(&kind, &status, &expires)
	if kind != "staff" || status != "queued" || expires == nil {
		t.Errorf("youth message: %s %s %v", kind, status, expires)
	}
	id, _ = store.QueueStaffMessage(ctx, db, tipster, "Thanks", now)
	_ = db.QueryRow(ctx, `SELECT expires_at FROM messages WHERE id = $1`, id).Scan(&expires)
	if expires != nil {
		t.Error("a message to a tipster expires")
	}
	if _, err := store.QueueStaffMessage(ctx, db, gone, "hello", now); tipline.Code(err) != tipline.EConflict {
		t.Errorf("unreachable: %v", err)
	}
	if _, err := store.QueueStaffMessage(ctx, db, youth, "  ", now); tipline.Code(err) != tipline.EInvalid {
		t.Errorf("empty: %v", err)
	}
}

func TestClaimReleaseAndPages(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	now := time.Now()
	a, b := newStaff(t, db, "a@example.org", store.RoleReviewer), newStaff(t, db, "b@example.org", store.RoleAdmin)
	conv := conversation(t, db, "youth", []byte("s"), true)
	mustExec(t, db, `INSERT INTO pages (reason, conversation_id, created_at) VALUES ('danger', $1, now() - interval '6 minutes')`, conv)
	if err := store.ClaimChat(ctx, db, conv, a.ID, now); err != nil {
		t.Fatal(err)
	}
	if err := store.ClaimChat(ctx, db, conv, b.ID, now); tipline.Code(err) != tipline.EConflict {
		t.Errorf("double claim: %v", err)
	}
	if err := store.ReleaseChat(ctx, db, conv, b.ID, false, time.Now()); tipline.Code(err) != tipline.EConflict {
		t.Errorf("release by another: %v", err)
	}
	texts := 0
	due, err := store.ResendDuePages(ctx, db, now, 5*time.Minute, 12, []string{"telegram", "sms:0"},
		func([]store.DuePage) string { texts++; return "alert" })
	if err != nil || len(due) != 1 || texts != 2 {
		t.Fatalf("due %v err %v texts %d", due, err, texts)
	}
	if n, _ := store.AckConversationPages(ctx, db, conv, a.ID, now); n != 1 {
		t.Errorf("acked %d", n)
	}
	if err := store.ReleaseChat(ctx, db, conv, b.ID, true, time.Now()); err != nil {
		t.Errorf("admin release: %v", err)
	}
	var outs int
	_ = db.QueryRow(ctx, `SELECT count(*) FROM messages WHERE kind = 'page' AND conversation_id IS NULL`).Scan(&outs)
	if outs != 2 {
		t.Errorf("%d page messages queued, want 2", outs)
	}
}

func TestTipActions(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	now := time.Now()
	var t1, t2 int64
	_ = db.QueryRow(ctx, `INSERT INTO tips (code, channel) VALUES ('AAA1', 'sms') RETURNING id`).Scan(&t1)
	_ = db.QueryRow(ctx, `INSERT INTO tips (code, channel) VALUES ('BBB2', 'sms') RETURNING id`).Scan(&t2)
	if old, err := store.DashSetTipStatus(ctx, db, t1, "triaged", now); err != nil || old != "new" {
		t.Fatalf("status: %s %v", old, err)
	}
	if _, err := store.DashSetTipStatus(ctx, db, t1, "bogus", now); tipline.Code(err) != tipline.EInvalid {
		t.Error("bogus status accepted")
	}
	if _, err := store.DashMarkDuplicate(ctx, db, t2, "aaa1", now); err != nil {
		t.Fatal(err)
	}
	d, _ := store.DashTipByID(ctx, db, t2)
	if d.Status != "duplicate" || d.DuplicateOfCode != "AAA1" || d.TriagedAt == nil || d.CanAnswer {
		t.Errorf("duplicate: %+v", d)
	}
	if changed, _ := store.DashBulkSetStatus(ctx, db, []int64{t1, t2}, "triaged", now); len(changed) != 1 {
		t.Errorf("bulk changed %v", changed)
	}
	if _, err := store.DashTipByID(ctx, db, 999999); tipline.Code(err) != tipline.ENotFound {
		t.Error("missing tip")
	}
}

func TestResendFoldsSurgeIntoOneMessagePerTarget(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	for i := 0; i < 30; i++ {
		conv := conversation(t, db, "youth", []byte{byte(i), 's'}, true)
		mustExec(t, db, `INSERT INTO pages (reason, conversation_id, created_at) VALUES ('danger', $1, now() - interval '6 minutes')`, conv)
	}
	var got []store.DuePage
	due, err := store.ResendDuePages(ctx, db, time.Now(), 5*time.Minute, 12, []string{"telegram"},
		func(d []store.DuePage) string { got = d; return "30 alerts" })
	if err != nil || len(due) != 30 || len(got) != 30 {
		t.Fatalf("due %d, text saw %d, err %v", len(due), len(got), err)
	}
	var outs int
	_ = db.QueryRow(ctx, `SELECT count(*) FROM messages WHERE kind = 'page'`).Scan(&outs)
	if outs != 1 {
		t.Errorf("%d page messages for a surge of 30, want 1", outs)
	}
}
