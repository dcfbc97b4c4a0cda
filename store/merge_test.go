package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline"
	"tipline/store"
	"tipline/testdb"
)

func mergeTips(t *testing.T, db store.DBTX, codes ...string) []int64 {
	t.Helper()
	var ids []int64
	for _, c := range codes {
		var id int64
		if err := db.QueryRow(context.Background(), `INSERT INTO tips (code, channel, submitted_at) VALUES ($1, 'sms', now()) RETURNING id`, c).Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// TestMergeKeepsBothRefusesCyclesAndUndoes: issue 18's merge: both tips
// kept, who/when/why recorded, A into B after B into A refused in words
// (and by the database for any other writer), a longer cycle too, undo
// restores the tip and keeps the record, a status set by hand closes it.
func TestMergeKeepsBothRefusesCyclesAndUndoes(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	dash := store.NewDashboard(db)
	st := newStaff(t, db, "merger@example.org", store.RoleReviewer)
	a := store.Actor{StaffID: st.ID, Email: st.Email, Addr: "127.0.0.1", At: time.Now()}
	ids := mergeTips(t, db, "MRGA", "MRGB", "MRGC")
	A, B, C := ids[0], ids[1], ids[2]
	score := 0.8
	mid, err := dash.MergeTip(ctx, a, B, store.MergeRequest{IntoCode: "mrga", Score: &score, Reason: "same purple backpack"})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := dash.Tip(ctx, B)
	if b.Status != "duplicate" || b.DuplicateOf == nil || *b.DuplicateOf != A {
		t.Fatalf("merged tip: %+v", b.DashTip)
	}
	_, err = dash.MergeTip(ctx, a, A, store.MergeRequest{IntoID: B, Reason: "the other way"})
	if tipline.Code(err) != tipline.EConflict || !strings.Contains(tipline.Message(err), "would form a cycle") {
		t.Fatalf("A into B after B into A: %v", err)
	}
	if err := dash.MarkDuplicate(ctx, a, A, "MRGB"); tipline.Code(err) != tipline.EConflict {
		t.Fatalf("duplicate link A -> B after B -> A: %v", err)
	}
	if _, err := db.Exec(ctx, `UPDATE tips SET duplicate_of = $2 WHERE id = $1`, A, B); err == nil ||
		!strings.Contains(err.Error(), "cycle") {
		t.Fatalf("the database took a cycle: %v", err)
	}
	if _, err := dash.MergeTip(ctx, a, C, store.MergeRequest{IntoID: B, Reason: "chain"}); err != nil {
		t.Fatal(err)
	}
	_, err = dash.MergeTip(ctx, a, A, store.MergeRequest{IntoID: C, Reason: "three"})
	if msg := tipline.Message(err); !strings.Contains(msg, "MRGC → MRGB → MRGA") {
		t.Fatalf("three-tip cycle: %v", err)
	}
	ms, err := dash.TipMerges(ctx, B)
	if err != nil || len(ms) != 2 {
		t.Fatalf("merges of B: %+v %v", ms, err)
	}
	m := ms[1]
	if m.ID != mid || m.MergedBy != st.Email || m.Reason != "same purple backpack" || m.Score == nil || *m.Score < 0.79 ||
		m.IntoCode != "MRGA" || m.PrevStatus != "new" || !m.Open() {
		t.Errorf("merge record: %+v", m)
	}
	if err := dash.UndoMerge(ctx, a, A, mid, "different children after all"); err != nil {
		t.Fatal(err)
	}
	if err := dash.UndoMerge(ctx, a, A, mid, "again"); tipline.Code(err) != tipline.EConflict {
		t.Errorf("undone twice: %v", err)
	}
	b, _ = dash.Tip(ctx, B)
	ms, _ = dash.TipMerges(ctx, B)
	if b.Status != "new" || b.DuplicateOf != nil || ms[1].Open() || ms[1].UndoneBy != st.Email || ms[1].UndoReason != "different children after all" {
		t.Errorf("after undo: %+v %+v", b.DashTip, ms[1])
	}
	for action, want := range map[string]int{"tip.merge": 2, "tip.unmerge": 1} {
		if n, _ := store.CountAudit(ctx, db, action, "tip", ""); n != want {
			t.Errorf("%s: %d audit rows, want %d", action, n, want)
		}
	}
	// A status set by hand ends the merge it undoes.
	if err := dash.SetTipStatus(ctx, a, C, "triaged"); err != nil {
		t.Fatal(err)
	}
	if ms, _ := dash.TipMerges(ctx, C); ms[0].Open() {
		t.Errorf("merge still open after a status change: %+v", ms[0])
	}
}

// TestMergeIntoCaseAndUndo: confirming a case suggestion links the tip,
// undoing it restores the link it had.
func TestMergeIntoCaseAndUndo(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	dash := store.NewDashboard(db)
	st := newStaff(t, db, "linker@example.org", store.RoleReviewer)
	a := store.Actor{StaffID: st.ID, Email: st.Email, At: time.Now()}
	c1, err := store.CreateCase(ctx, db, store.Case{Number: "C-1", DisplayName: "One"})
	if err != nil {
		t.Fatal(err)
	}
	c2, _ := store.CreateCase(ctx, db, store.Case{Number: "C-2", DisplayName: "Two"})
	tip := mergeTips(t, db, "MRGCASE")[0]
	if _, err := db.Exec(ctx, `UPDATE tips SET case_id = $2 WHERE id = $1`, tip, c1.ID); err != nil {
		t.Fatal(err)
	}
	mid, err := dash.MergeTip(ctx, a, tip, store.MergeRequest{CaseID: c2.ID, Reason: "the name and the coat"})
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := dash.Tip(ctx, tip); d.CaseID == nil || *d.CaseID != c2.ID {
		t.Fatalf("case link: %v", d.CaseID)
	}
	if _, err := dash.MergeTip(ctx, a, tip, store.MergeRequest{CaseID: c2.ID, Reason: "again"}); tipline.Code(err) != tipline.EConflict {
		t.Errorf("linked twice: %v", err)
	}
	if err := dash.UndoMerge(ctx, a, tip, mid, ""); err != nil {
		t.Fatal(err)
	}
	if d, _ := dash.Tip(ctx, tip); d.CaseID == nil || *d.CaseID != c1.ID {
		t.Errorf("undo did not restore case C-1: %v", d.CaseID)
	}
}

// TestConcurrentOppositeMergesNeverCycle: A into B and B into A at the
// same moment, many times: exactly one of each pair stands.
func TestConcurrentOppositeMergesNeverCycle(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	dash := store.NewDashboard(db)
	st := newStaff(t, db, "race@example.org", store.RoleReviewer)
	a := store.Actor{StaffID: st.ID, Email: st.Email, At: time.Now()}
	for i := range 10 {
		ids := mergeTips(t, db, "RACEA"+itoaTest(i), "RACEB"+itoaTest(i))
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for k := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[k] = dash.MergeTip(ctx, a, ids[k], store.MergeRequest{IntoID: ids[1-k], Reason: "race"})
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("pair %d: %v / %v", i, errs[0], errs[1])
		}
	}
}

func itoaTest(i int) string { return string(rune('0' + i)) }
