package gallery_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"tipline/gallery"
	"tipline/server"
	"tipline/store"
	"tipline/testdb"
)

// BenchmarkList serves /cases with 200 cases shown (one query, one page
// of about 250 kB) over loopback.
func BenchmarkList(b *testing.B) {
	pool := testdb.New(b)
	ctx := context.Background()
	for i := range 200 {
		age := 12
		c, err := store.CreateCase(ctx, pool, store.Case{Number: "B-" + strconv.Itoa(i), DisplayName: "Child",
			Age: &age, Public: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := pool.Exec(ctx, `INSERT INTO case_gallery (case_id, public_name, public_city, consent_by,
			consent_note, police_report, review_date, abuse_disclosed, proposed_at, approved_at)
			VALUES ($1, 'Child', 'Newark, NJ', 'mother', 'form', 'R', current_date + 30, false, now(), now())`, c.ID); err != nil {
			b.Fatal(err)
		}
	}
	h := gallery.New(gallery.Config{DB: pool, SMSNumber: "+15550001111",
		BotUsername: func(context.Context) string { return "tip_bot" }})
	srv := httptest.NewServer(server.New(server.Options{Routes: []server.Route{{Pattern: "GET /cases", Handler: h}}}))
	b.Cleanup(srv.Close)
	b.ResetTimer()
	for b.Loop() {
		resp, err := http.Get(srv.URL + "/cases")
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("status %d", resp.StatusCode)
		}
		b.SetBytes(n)
	}
}
