package store_test

import (
	"context"
	"testing"

	"tipline/store"
	"tipline/testdb"
)

// BenchmarkQueuePage is the staff tip queue's first page (urgent first,
// then newest) over 20,000 tips, as the dashboard asks for it during an
// AMBER alert: the whole queue, the new tips, and a word search.
func BenchmarkQueuePage(b *testing.B) {
	pool := testdb.New(b)
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO tips (code, channel, status, urgent, incomplete, description, place_text,
			submitted_at, created_at)
		SELECT 'T' || g, CASE WHEN g % 2 = 0 THEN 'sms' ELSE 'telegram' END,
			CASE WHEN g % 5 = 0 THEN 'triaged' ELSE 'new' END, g % 97 = 0, g % 7 = 0,
			'saw a girl in a red jacket near the bus station ' || g, 'Newark, NJ',
			now() - g * interval '1 second', now() - g * interval '1 second'
		FROM generate_series(1, 20000) g`); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "ANALYZE tips"); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		f    store.QueueFilter
	}{
		{"all", store.QueueFilter{}},
		{"new", store.QueueFilter{Status: "new", Incomplete: "exclude"}},
		{"search", store.QueueFilter{Query: "red jacket"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				tips, _, err := store.DashQueue(ctx, pool, c.f)
				if err != nil || len(tips) != 50 {
					b.Fatalf("%d tips, %v", len(tips), err)
				}
			}
		})
	}
}
