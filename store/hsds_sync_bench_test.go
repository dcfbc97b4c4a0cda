package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"tipline"
	"tipline/directory"
	"tipline/store"
	"tipline/testdb"
)

// syncRecords makes n local records as a 211's API might list them.
func syncRecords(n int, name string) []directory.Resource {
	rs := make([]directory.Resource, n)
	for i := range rs {
		rs[i] = directory.Resource{ID: fmt.Sprintf("hsds-%08d", i), Name: fmt.Sprintf("%s %d", name, i),
			Phone: "(713) 555-0142", PhoneE164: "+17135550142", Local: true, AgesMin: 12, AgesMax: 17,
			Point: &tipline.Location{Lat: 29.7 + float64(i%100)/1000, Lon: -95.3}, Source: "https://api.example.org/services/x",
			Schedule: []directory.Opening{{Days: []string{"MO", "TU"}, Opens: "09:00", Closes: "17:00"}}}
	}
	return rs
}

// BenchmarkSyncAndVerify2000: one sync run that proposes 2,000 new
// records, the bulk verification of all of them in one transaction, and a
// second run that finds them unchanged.
func BenchmarkSyncAndVerify2000(b *testing.B) {
	ctx := context.Background()
	pool := testdb.New(b)
	var staffID int64
	if err := pool.QueryRow(ctx, `INSERT INTO staff (email, password_hash, role) VALUES ('b@example.org', 'x', 'admin') RETURNING id`).
		Scan(&staffID); err != nil {
		b.Fatal(err)
	}
	for i := 0; b.Loop(); i++ {
		rs := syncRecords(2000, fmt.Sprintf("Shelter v%d", i))
		fetch := func(context.Context) ([]directory.Resource, error) { return rs, nil }
		t0 := time.Now()
		if _, err := store.RunSync(ctx, pool, "https://api.example.org", fetch, time.Now()); err != nil {
			b.Fatal(err)
		}
		sync := time.Since(t0)
		ids := make([]string, len(rs))
		for j, r := range rs {
			ids[j] = r.ID
		}
		t1 := time.Now()
		a := store.Actor{StaffID: staffID, Email: "b@example.org", At: time.Now()}
		if err := store.NewDashboard(pool).VerifyProposals(ctx, a, ids); err != nil {
			b.Fatal(err)
		}
		verify := time.Since(t1)
		t2 := time.Now()
		bt, err := store.RunSync(ctx, pool, "https://api.example.org", fetch, time.Now())
		if err != nil || bt.Counts.Unchanged != 2000 {
			b.Fatalf("%+v %v", bt.Counts, err)
		}
		b.ReportMetric(sync.Seconds(), "sync-s")
		b.ReportMetric(verify.Seconds(), "verify-s")
		b.ReportMetric(time.Since(t2).Seconds(), "resync-s")
	}
}
