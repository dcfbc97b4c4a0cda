package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"tipline"
	"tipline/store"
	"tipline/testdb"
)

// TestDashboardActionsAuditWithTheirChange: a staff action's change and
// its audit row land together, or neither does.
func TestDashboardActionsAuditWithTheirChange(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	dash := store.NewDashboard(db)
	st := newStaff(t, db, "actor@example.org", store.RoleReviewer)
	a := store.Actor{StaffID: st.ID, Email: st.Email, Addr: "127.0.0.1", At: time.Now()}
	var tip int64
	if err := db.QueryRow(ctx, `INSERT INTO tips (code, channel) VALUES ('ACT1', 'sms') RETURNING id`).Scan(&tip); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatInt(tip, 10)
	audits := func(action, objID string) int {
		t.Helper()
		n, err := store.CountAudit(ctx, db, action, "tip", objID)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}

	if err := dash.SetLegalHold(ctx, a, tip, true); err != nil {
		t.Fatal(err)
	}
	if n := audits("tip.legal_hold", id); n != 1 {
		t.Errorf("legal hold: %d audit rows, want 1", n)
	}
	if err := dash.SetLegalHold(ctx, a, 999999, true); tipline.Code(err) != tipline.ENotFound {
		t.Errorf("hold on a missing tip: %v", err)
	}
	if n := audits("tip.legal_hold", "999999"); n != 0 {
		t.Errorf("a failed change left %d audit rows", n)
	}

	if err := dash.Bulk(ctx, a, []int64{tip}, "bogus", nil); tipline.Code(err) != tipline.EInvalid {
		t.Errorf("bulk with a bad status: %v", err)
	}
	reply := &store.TipReply{Canned: "thanks",
		Text: func(store.DashTipDetail) (string, error) { return "thanks", nil },
		Send: func(context.Context, store.Tx, store.DashTipDetail, string) error {
			t.Error("a reply went to a tip nobody can answer")
			return nil
		}}
	if err := dash.Bulk(ctx, a, []int64{tip}, "triaged", reply); err != nil {
		t.Fatal(err)
	}
	if n, r := audits("tip.status", id), audits("tip.reply", id); n != 1 || r != 0 {
		t.Errorf("bulk: %d status and %d reply audit rows, want 1 and 0", n, r)
	}
}
