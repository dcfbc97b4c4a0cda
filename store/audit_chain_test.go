package store_test

import (
	"context"
	"encoding/hex"
	"fmt"
	"sync"
	"testing"

	"tipline/seal"
	"tipline/store"
	"tipline/testdb"
)

// auditKeys builds audit keys from a current master key and previous ones.
func auditKeys(t testing.TB, current string, previous ...string) *store.AuditKeys {
	t.Helper()
	ks, err := seal.ParseKeys(current, previous)
	if err != nil {
		t.Fatal(err)
	}
	return store.NewAuditKeys(ks)
}

// appendRows writes n chained rows, half on the pool, half in a transaction.
func appendRows(t *testing.T, db *store.Pool, ak *store.AuditKeys, n int) {
	t.Helper()
	ctx := context.Background()
	for i := 0; i < n; i++ {
		e := store.AuditEntry{StaffEmail: "a@example.org", Action: "tip.view", ObjectType: "tip",
			ObjectID: fmt.Sprint(i), Detail: map[string]any{"i": i, "note": "é ü", "x": 1.5}, ClientAddr: "192.0.2.1"}
		var err error
		if i%2 == 0 {
			err = store.AppendAudit(ctx, db, ak, e)
		} else {
			err = store.InTx(ctx, db, func(tx store.Tx) error { return store.AppendAudit(ctx, tx, ak, e) })
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// tamper runs sql with the append-only triggers off, as the owner of the
// table or a superuser could.
func tamper(t *testing.T, db *store.Pool, sql string, args ...any) {
	t.Helper()
	ctx := context.Background()
	err := store.InTx(ctx, db, func(tx store.Tx) error {
		for _, q := range []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`, sql, `ALTER TABLE audit_log ENABLE TRIGGER USER`} {
			a := args
			if q != sql {
				a = nil
			}
			if _, err := tx.Exec(ctx, q, a...); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// verifyAudit runs VerifyAudit and returns its report.
func verifyAudit(t *testing.T, db *store.Pool, ak *store.AuditKeys, anchor *store.AuditAnchor) *store.AuditReport {
	t.Helper()
	rep, err := store.VerifyAudit(context.Background(), db, ak, anchor)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// idOfSeq returns the id of the row at seq.
func idOfSeq(t *testing.T, db *store.Pool, seq int64) int64 {
	t.Helper()
	var id int64
	if err := db.QueryRow(context.Background(), `SELECT id FROM audit_log WHERE seq = $1`, seq).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func wantBreak(t *testing.T, rep *store.AuditReport, kind string, id int64) {
	t.Helper()
	if rep.Break == nil {
		t.Fatalf("verify passed, want %s at id %d", kind, id)
	}
	if rep.Break.Kind != kind || rep.Break.ID != id {
		t.Fatalf("break %v, want %s at id %d", rep.Break, kind, id)
	}
}

func TestAuditChainCleanLogPasses(t *testing.T) {
	db := testdb.New(t)
	ak := auditKeys(t, seal.GenerateKey())
	appendRows(t, db, ak, 10)
	rep := verifyAudit(t, db, ak, nil)
	if rep.Break != nil || rep.Rows != 10 || rep.Checked != 10 || rep.HeadSeq != 10 {
		t.Fatalf("clean log: %+v %v", rep, rep.Break)
	}
	// An anchor taken now still holds later.
	anchor := &store.AuditAnchor{Seq: rep.HeadSeq, MACHex: hex.EncodeToString(rep.HeadMAC)[:16]}
	appendRows(t, db, ak, 2)
	if rep := verifyAudit(t, db, ak, anchor); rep.Break != nil || rep.Checked != 12 {
		t.Fatalf("with anchor: %+v %v", rep, rep.Break)
	}
	// A rolled-back append leaves no trace in the chain (the id is skipped).
	ctx := context.Background()
	_ = store.InTx(ctx, db, func(tx store.Tx) error {
		_ = store.AppendAudit(ctx, tx, ak, store.AuditEntry{Action: "tip.view"})
		return fmt.Errorf("roll back")
	})
	appendRows(t, db, ak, 1)
	if rep := verifyAudit(t, db, ak, nil); rep.Break != nil || rep.Checked != 13 {
		t.Fatalf("after a rollback: %+v %v", rep, rep.Break)
	}
}

func TestAuditChainNamesEditedRow(t *testing.T) {
	db := testdb.New(t)
	ak := auditKeys(t, seal.GenerateKey())
	appendRows(t, db, ak, 6)
	id := idOfSeq(t, db, 3)
	tamper(t, db, `UPDATE audit_log SET object_id = '999' WHERE id = $1`, id)
	wantBreak(t, verifyAudit(t, db, ak, nil), "edited", id)
}

func TestAuditChainNamesEditedDetailAndTime(t *testing.T) {
	db := testdb.New(t)
	ak := auditKeys(t, seal.GenerateKey())
	appendRows(t, db, ak, 6)
	id := idOfSeq(t, db, 5)
	tamper(t, db, `UPDATE audit_log SET at = at + interval '1 microsecond' WHERE id = $1`, id)
	wantBreak(t, verifyAudit(t, db, ak, nil), "edited", id)
	id2 := idOfSeq(t, db, 2)
	tamper(t, db, `UPDATE audit_log SET detail = detail || '{"i": 7}' WHERE id = $1`, id2)
	wantBreak(t, verifyAudit(t, db, ak, nil), "edited", id2)
}

func TestAuditChainNamesDeletedRow(t *testing.T) {
	db := testdb.New(t)
	ak := auditKeys(t, seal.GenerateKey())
	appendRows(t, db, ak, 6)
	tamper(t, db, `DELETE FROM audit_log WHERE seq = 4`)
	rep := verifyAudit(t, db, ak, nil)
	wantBreak(t, rep, "deleted", idOfSeq(t, db, 5))
	t.Log(rep.Break)
}

func TestAuditChainNamesInsertedRows(t *testing.T) {
	db := testdb.New(t)
	ak := auditKeys(t, seal.GenerateKey())
	appendRows(t, db, ak, 4)
	if _, err := store.SealAuditLegacy(context.Background(), db, ak); err != nil {
		t.Fatal(err)
	}
	var id int64
	if err := db.QueryRow(context.Background(), `INSERT INTO audit_log (action) VALUES ('tip.view') RETURNING id`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	wantBreak(t, verifyAudit(t, db, ak, nil), "inserted", id)

	// A copy of a real row under a new id, its place taken again.
	db2 := testdb.New(t)
	appendRows(t, db2, ak, 4)
	tamper(t, db2, `DROP INDEX audit_log_seq_idx`)
	if err := db2.QueryRow(context.Background(), `INSERT INTO audit_log (action, seq, key_id, mac)
		SELECT action, seq, key_id, mac FROM audit_log WHERE seq = 4 RETURNING id`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	wantBreak(t, verifyAudit(t, db2, ak, nil), "inserted", id)
}

func TestAuditChainTruncatedTail(t *testing.T) {
	db := testdb.New(t)
	ak := auditKeys(t, seal.GenerateKey())
	appendRows(t, db, ak, 5)
	rep := verifyAudit(t, db, ak, nil)
	anchor := &store.AuditAnchor{Seq: 5, MACHex: hex.EncodeToString(rep.HeadMAC)[:12]}
	tamper(t, db, `DELETE FROM audit_log WHERE seq = 5`)
	if rep := verifyAudit(t, db, ak, nil); rep.Break == nil || rep.Break.Kind != "truncated" {
		t.Fatalf("tail deleted: %v", rep.Break)
	}
	// Someone who also winds the head back (seq, id and hash, all
	// computable without the key) is caught only by an anchor kept
	// elsewhere: here, one beyond the chain's end and one with another MAC.
	mustExec(t, db, `UPDATE audit_chain SET seq = 4, last_id = (SELECT id FROM audit_log WHERE seq = 4)`)
	if rep := verifyAudit(t, db, ak, nil); rep.Break == nil || rep.Break.Kind != "edited" {
		t.Fatalf("head hash not checked: %v", rep.Break)
	}
	gone := &store.AuditAnchor{Seq: 9, MACHex: anchor.MACHex}
	if rep := verifyAudit(t, db, ak, gone); rep.Break == nil {
		t.Fatal("anchor beyond the end passed")
	}
	clean := testdb.New(t)
	appendRows(t, clean, ak, 5)
	if rep := verifyAudit(t, clean, ak, &store.AuditAnchor{Seq: 7}); rep.Break == nil || rep.Break.Kind != "truncated" {
		t.Fatalf("anchor beyond the end: %v", rep.Break)
	}
	if rep := verifyAudit(t, clean, ak, &store.AuditAnchor{Seq: 3, MACHex: "00ff00ff"}); rep.Break == nil || rep.Break.Seq != 3 {
		t.Fatalf("anchor with another MAC: %v", rep.Break)
	}
}

func TestAuditChainLegacyRowsSealed(t *testing.T) {
	db := testdb.New(t)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		mustExec(t, db, `INSERT INTO audit_log (action, object_type, object_id, detail) VALUES ('tip.view', 'tip', $1, '{"a": [1, 2]}')`, fmt.Sprint(i))
	}
	ak := auditKeys(t, seal.GenerateKey())
	appendRows(t, db, ak, 2)
	if rep := verifyAudit(t, db, ak, nil); rep.Break == nil || rep.Break.Kind != "unsealed" {
		t.Fatalf("before the seal: %v", rep.Break)
	}
	n, err := store.SealAuditLegacy(ctx, db, ak)
	if err != nil || n != 3 {
		t.Fatalf("seal: %d %v", n, err)
	}
	if n, err := store.SealAuditLegacy(ctx, db, ak); err != nil || n != 0 {
		t.Fatalf("second seal: %d %v", n, err)
	}
	appendRows(t, db, ak, 2)
	rep := verifyAudit(t, db, ak, nil)
	if rep.Break != nil || rep.Legacy != 3 || rep.Checked != 5 {
		t.Fatalf("sealed: %+v %v", rep, rep.Break)
	}
	var first int64
	_ = db.QueryRow(ctx, `SELECT min(id) FROM audit_log`).Scan(&first)
	tamper(t, db, `UPDATE audit_log SET object_id = 'x' WHERE id = $1`, first)
	var sealID int64
	_ = db.QueryRow(ctx, `SELECT id FROM audit_log WHERE action = 'audit.seal'`).Scan(&sealID)
	wantBreak(t, verifyAudit(t, db, ak, nil), "edited", sealID)
}

func TestAuditChainAcrossKeyRotation(t *testing.T) {
	db := testdb.New(t)
	oldKey, newKey := seal.GenerateKey(), seal.GenerateKey()
	appendRows(t, db, auditKeys(t, oldKey), 3)
	both := auditKeys(t, newKey, oldKey)
	appendRows(t, db, both, 3)
	if rep := verifyAudit(t, db, both, nil); rep.Break != nil || rep.Checked != 6 {
		t.Fatalf("both keys: %+v %v", rep, rep.Break)
	}
	// Without the old key its rows are vouched for by the first new row.
	only := auditKeys(t, newKey)
	rep := verifyAudit(t, db, only, nil)
	if rep.Break != nil || rep.Checked != 3 || len(rep.Unchecked) != 1 {
		t.Fatalf("new key only: %+v %v", rep, rep.Break)
	}
	tamper(t, db, `UPDATE audit_log SET action = 'x' WHERE seq = 2`)
	wantBreak(t, verifyAudit(t, db, only, nil), "edited", idOfSeq(t, db, 4))
	wantBreak(t, verifyAudit(t, db, both, nil), "edited", idOfSeq(t, db, 2))
}

// TestAuditChainConcurrentInstances: two pools (two instances) append at
// once; the chain never forks and has no gaps.
func TestAuditChainConcurrentInstances(t *testing.T) {
	url := testdb.MigratedURL(t)
	ak := auditKeys(t, seal.GenerateKey())
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for inst := 0; inst < 2; inst++ {
		pool, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < 25; i++ {
					if err := store.AppendAudit(context.Background(), pool, ak, store.AuditEntry{Action: "tip.view", ObjectID: fmt.Sprint(i)}); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if rep := verifyAudit(t, db, ak, nil); rep.Break != nil || rep.Checked != 200 || rep.HeadSeq != 200 {
		t.Fatalf("two instances: %+v %v", rep, rep.Break)
	}
}

// TestAuditUsesProcessKeys: Audit signs with the keys UseAuditKeys set.
func TestAuditUsesProcessKeys(t *testing.T) {
	db := testdb.New(t)
	ak := auditKeys(t, seal.GenerateKey())
	store.UseAuditKeys(ak)
	t.Cleanup(func() { store.UseAuditKeys(nil) })
	if err := store.Audit(context.Background(), db, store.AuditEntry{Action: "tip.view"}); err != nil {
		t.Fatal(err)
	}
	if rep := verifyAudit(t, db, ak, nil); rep.Break != nil || rep.Checked != 1 {
		t.Fatalf("%+v %v", rep, rep.Break)
	}
}
