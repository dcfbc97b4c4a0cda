package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/risk"
	"tipline/store"
	"tipline/testdb"
)

// inbound inserts an inbound message of conversation conv.
func inbound(t *testing.T, db store.DBTX, conv int64, body string) int64 {
	t.Helper()
	var id int64
	if err := db.QueryRow(context.Background(), `INSERT INTO messages (conversation_id, direction, channel, provider_id, kind, body)
		VALUES ($1, 'in', 'telegram', $2, 'user', $3) RETURNING id`, conv, store.NewPublicID(), body).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// queueRisk saves outcomes the way a turn does: in one batch.
func queueRisk(t *testing.T, pool *store.Pool, recs ...store.RiskRecord) {
	t.Helper()
	ctx := context.Background()
	err := store.InTx(ctx, pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, r := range recs {
			store.QueueRisk(b, r)
		}
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRiskOutcomesFlagAndKeepReasons(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	conv := conversation(t, db, "youth", nil, false)
	m1, m2, m3 := inbound(t, db, conv, "one"), inbound(t, db, conv, "two"), inbound(t, db, conv, "three")
	now := time.Now()
	reasons := []risk.Reason{{Layer: "rule", Rule: "en.afraid_home", Concepts: []string{"fear", "home"}, Evidence: "scared to go home"},
		{Layer: "model", Evidence: "w:scared", Weight: 1.25}, {Layer: "rule", Rule: "en.x", Evidence: "call me 555 0100"}}
	queueRisk(t, db, store.RiskRecord{ConversationID: conv, MessageID: m1, Now: now,
		Decision: risk.Decision{Level: risk.Concern, Categories: []risk.Category{risk.Abuse}, Lang: "en", Score: 0.4, Reasons: reasons}})
	checkFlag(t, db, conv, "concern", "abuse")
	queueRisk(t, db, store.RiskRecord{ConversationID: conv, MessageID: m2, Now: now,
		Decision: risk.Decision{Level: risk.Danger, Categories: []risk.Category{risk.SelfHarm, risk.Abuse}, Lang: "en", Score: 0.97}})
	checkFlag(t, db, conv, "danger", "selfharm")
	queueRisk(t, db, store.RiskRecord{ConversationID: conv, MessageID: m3, Now: now,
		Decision: risk.Decision{Level: risk.Concern, Categories: []risk.Category{risk.PutOut}, Lang: "en"}})
	checkFlag(t, db, conv, "danger", "selfharm") // a concern never lowers a danger

	got, err := store.ChatRisks(ctx, db, conv)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[m1].Level != "concern" || len(got[m1].Reasons) != 3 || got[m1].Reasons[2].Evidence != "[withheld]" || got[m1].Reasons[1].Weight != 1.25 ||
		got[m1].Reasons[0].Concepts[1] != "home" || got[m2].Categories[1] != "abuse" || got[m2].Score != 0.97 {
		t.Fatalf("chat risks: %+v", got)
	}
}

func checkFlag(t *testing.T, db store.DBTX, conv int64, level, category string) {
	t.Helper()
	var high bool
	var l, c string
	if err := db.QueryRow(context.Background(), `SELECT high_risk, risk_level, risk_category FROM conversations WHERE id = $1`, conv).
		Scan(&high, &l, &c); err != nil {
		t.Fatal(err)
	}
	if !high || l != level || c != category {
		t.Errorf("conversation flag: high=%v %s/%s, want %s/%s", high, l, c, level, category)
	}
}

func TestRiskMarksForReview(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	d := store.NewDashboard(db)
	admin := newStaff(t, db, "admin@example.org", store.RoleAdmin)
	a := store.Actor{StaffID: admin.ID, Email: admin.Email, Addr: "192.0.2.1", At: time.Now()}
	conv := conversation(t, db, "youth", nil, true)
	other := conversation(t, db, "youth", nil, true)
	m1, m2, stranger := inbound(t, db, conv, "flagged"), inbound(t, db, conv, "missed"), inbound(t, db, other, "x")
	queueRisk(t, db, store.RiskRecord{ConversationID: conv, MessageID: m1, Now: a.At,
		Decision: risk.Decision{Level: risk.Danger, Categories: []risk.Category{risk.Imminent}, Lang: "en"}})
	chat := store.DashChat{ID: conv, PublicID: "c1"}
	if err := d.MarkRisk(ctx, a, chat, m1, store.RiskMarkFalseAlarm); err != nil {
		t.Fatal(err)
	}
	if err := d.MarkRisk(ctx, a, chat, m2, store.RiskMarkMissed); err != nil {
		t.Fatal(err)
	}
	if err := d.MarkRisk(ctx, a, chat, stranger, store.RiskMarkMissed); tipline.Code(err) != tipline.ENotFound {
		t.Errorf("marking another chat's message: %v", err)
	}
	if err := d.MarkRisk(ctx, a, chat, m1, "maybe"); tipline.Code(err) != tipline.EInvalid {
		t.Errorf("unknown mark: %v", err)
	}
	list, err := d.RiskMarks(ctx, a, 10)
	if err != nil || len(list) != 2 {
		t.Fatalf("marks: %+v %v", list, err)
	}
	byID := map[int64]store.MarkedMessage{list[0].MessageID: list[0], list[1].MessageID: list[1]}
	if x := byID[m1]; x.Mark != store.RiskMarkFalseAlarm || x.Level != "danger" || x.Body != "flagged" || x.MarkedBy != admin.Email {
		t.Errorf("false alarm: %+v", x)
	}
	if x := byID[m2]; x.Mark != store.RiskMarkMissed || x.Level != "" || x.Body != "missed" {
		t.Errorf("missed risk: %+v", x)
	}
	if err := d.MarkRisk(ctx, a, chat, m2, ""); err != nil {
		t.Fatal(err)
	}
	var audits int
	if err := db.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action IN ('chat.risk_mark', 'risk_marks.view')`).Scan(&audits); err != nil || audits != 4 {
		t.Errorf("audit rows: %d %v, want 4 (three marks and a listing)", audits, err)
	}
	// Reasons and marks follow the message: DELETE erases them.
	if err := store.EraseConversation(ctx, db, conv); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"message_risk", "risk_marks"} {
		var n int
		if err := db.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s rows left after DELETE: %d %v", table, n, err)
		}
	}
}
