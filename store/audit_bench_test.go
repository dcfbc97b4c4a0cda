package store_test

import (
	"context"
	"testing"

	"tipline/seal"
	"tipline/store"
	"tipline/testdb"
)

// BenchmarkVerifyAudit is `tipline audit verify` over a log of a million
// chained rows: one streaming read in id order, a SHA-256 and an
// HMAC-SHA256 per row.
func BenchmarkVerifyAudit(b *testing.B) {
	const n = 1_000_000
	db := testdb.New(b)
	ctx := context.Background()
	if _, err := store.CreateStaff(ctx, db, "a@example.org", store.RoleAdmin, "$argon2id$v=19$m=1,t=1,p=1$c2FsdA$aGFzaA"); err != nil {
		b.Fatal(err)
	}
	ak := auditKeys(b, seal.GenerateKey())
	if err := store.BulkAuditChain(ctx, db, ak, n); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(ctx, `VACUUM ANALYZE audit_log`); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rep, err := store.VerifyAudit(ctx, db, ak, nil)
		if err != nil || rep.Break != nil || rep.Checked != n {
			b.Fatalf("%+v %v", rep, err)
		}
	}
	b.ReportMetric(float64(n), "rows/op")
}

// BenchmarkAuditAppend is one audited view on its own (a transaction that
// locks the chain head, signs and writes the row).
func BenchmarkAuditAppend(b *testing.B) {
	db := testdb.New(b)
	ctx := context.Background()
	ak := auditKeys(b, seal.GenerateKey())
	e := store.AuditEntry{StaffEmail: "a@example.org", Action: "tip.view", ObjectType: "tip", ObjectID: "7",
		Detail: map[string]any{"api": true}, ClientAddr: "192.0.2.1"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := store.AppendAudit(ctx, db, ak, e); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuditAppendUnsigned is the same view written as before the
// chain (one INSERT on the pool, no MAC): the baseline of the one above.
func BenchmarkAuditAppendUnsigned(b *testing.B) {
	db := testdb.New(b)
	ctx := context.Background()
	store.UseAuditKeys(nil)
	e := store.AuditEntry{StaffEmail: "a@example.org", Action: "tip.view", ObjectType: "tip", ObjectID: "7",
		Detail: map[string]any{"api": true}, ClientAddr: "192.0.2.1"}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := store.Audit(ctx, db, e); err != nil {
			b.Fatal(err)
		}
	}
}
