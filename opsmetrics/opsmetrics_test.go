package opsmetrics

import (
	"context"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"

	"tipline/testdb"
)

// scrape gathers reg and returns each sample as "name{l=v,...}" -> value.
func scrape(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			var ls []string
			for _, l := range m.GetLabel() {
				ls = append(ls, l.GetName()+"="+l.GetValue())
			}
			key := mf.GetName()
			if len(ls) > 0 {
				key += "{" + strings.Join(ls, ",") + "}"
			}
			out[key] = value(m)
		}
	}
	return out
}

func value(m *dto.Metric) float64 {
	switch {
	case m.Gauge != nil:
		return m.Gauge.GetValue()
	case m.Counter != nil:
		return m.Counter.GetValue()
	}
	return 0
}

func TestOutboxAndPoolMetrics(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	// Pages need no conversation: two overdue by 60 s and 30 s, one due in
	// an hour, one under a live claim, one sent; an SMS page overdue 10 s.
	_, err := pool.Exec(ctx, `INSERT INTO messages (direction, channel, kind, target, status, next_attempt_at, claimed_until)
		VALUES ('out', 'telegram', 'page', '1', 'queued', now() - interval '60 s', NULL),
		       ('out', 'telegram', 'page', '1', 'queued', now() - interval '30 s', NULL),
		       ('out', 'telegram', 'page', '1', 'queued', now() + interval '1 hour', NULL),
		       ('out', 'telegram', 'page', '1', 'claimed', now() - interval '600 s', now() + interval '1 min'),
		       ('out', 'telegram', 'page', '1', 'sent', now() - interval '900 s', NULL),
		       ('out', 'sms', 'page', '+15005550006', 'queued', now() - interval '10 s', NULL)`)
	if err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewRegistry()
	Register(reg, pool, []string{"telegram", "sms"})
	got := scrape(t, reg)
	if got["tipline_outbox_query_ok"] != 1 {
		t.Fatalf("query failed: %v", got)
	}
	if d := got["tipline_outbox_depth{channel=telegram,kind=page}"]; d != 4 {
		t.Errorf("telegram page depth %v, want 4", d)
	}
	if d := got["tipline_outbox_depth{channel=sms,kind=page}"]; d != 1 {
		t.Errorf("sms page depth %v, want 1", d)
	}
	if a := got["tipline_outbox_oldest_due_seconds{channel=telegram,kind=page}"]; a < 59 || a > 90 {
		t.Errorf("telegram oldest due %v s, want about 60 (the claimed row is not due)", a)
	}
	if v, ok := got["tipline_outbox_depth{channel=sms,kind=bot}"]; !ok || v != 0 {
		t.Errorf("an empty wired channel has no zero series: %v %v", v, ok)
	}
	if got["tipline_db_pool_max_conns"] < 1 || got["tipline_db_pool_acquires_total"] < 1 {
		t.Errorf("pool statistics missing: %v", got)
	}
	pool.Close()
	if got := scrape(t, reg); got["tipline_outbox_query_ok"] != 0 {
		t.Errorf("a failed query reads as ok: %v", got)
	}
}

// TestOutboxQueryUsesTheOutboxIndex: with a long delivered history the
// scrape reads the partial index of undelivered rows, not the table.
func TestOutboxQueryUsesTheOutboxIndex(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `INSERT INTO messages (direction, channel, kind, target, status, next_attempt_at)
		SELECT 'out', 'telegram', 'page', '1', CASE WHEN g % 1000 = 0 THEN 'queued' ELSE 'sent' END, now()
		FROM generate_series(1, 50000) g`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `ANALYZE messages`); err != nil {
		t.Fatal(err)
	}
	rows, err := pool.Query(ctx, "EXPLAIN "+outboxQuery)
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, line)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if p := strings.Join(plan, "\n"); !strings.Contains(p, "messages_outbox") || strings.Contains(p, "Seq Scan") {
		t.Errorf("the outbox query does not use the outbox index:\n%s", p)
	}
}

// BenchmarkOutboxScrape: one scrape of the outbox collector with 3,000
// rows waiting among 200,000 delivered ones.
func BenchmarkOutboxScrape(b *testing.B) {
	pool := testdb.New(b)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `INSERT INTO messages (direction, channel, kind, target, status, next_attempt_at)
		SELECT 'out', CASE WHEN g % 2 = 0 THEN 'telegram' ELSE 'sms' END, 'page', '1',
			CASE WHEN g <= 3000 THEN 'queued' ELSE 'sent' END, now() - g * interval '1 ms'
		FROM generate_series(1, 200000) g`)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `VACUUM ANALYZE messages`); err != nil {
		b.Fatal(err)
	}
	c := NewOutboxCollector(pool, []string{"telegram", "sms"}, 0)
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.read(); err != nil {
			b.Fatal(err)
		}
	}
}
