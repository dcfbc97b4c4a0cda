package opsmetrics

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// outboxQuery counts the outbound rows still to deliver by channel and
// kind, and how long the oldest due one has waited past its due time.
// "Due" is what the outbox's claim reads (store.ClaimOutbound): the retry time
// has come and no live claim holds the row; a row of a paused provider
// counts as due, so its wait shows during the pause (next to
// tipline_provider_paused). Its WHERE clause is the
// predicate of the partial index messages_outbox_idx, so the scan covers
// the undelivered rows only, never the whole history.
const outboxQuery = `SELECT channel, kind, count(*),
	COALESCE(EXTRACT(EPOCH FROM now() - min(GREATEST(next_attempt_at, claimed_until))
		FILTER (WHERE GREATEST(next_attempt_at, claimed_until) <= now())), 0)::float8
	FROM messages
	WHERE direction = 'out' AND status IN ('queued', 'claimed', 'sending')
	GROUP BY channel, kind`

// OutboxCollector reports the outbox by querying PostgreSQL at scrape
// time: tipline_outbox_depth and tipline_outbox_oldest_due_seconds by
// channel and kind, and tipline_outbox_query_ok (0 when the query failed,
// as when the database is unreachable; the other two are then absent).
type OutboxCollector struct {
	pool     *pgxpool.Pool
	timeout  time.Duration
	channels []string
	kinds    []string
	depth    *prometheus.Desc
	oldest   *prometheus.Desc
	ok       *prometheus.Desc
}

// NewOutboxCollector returns the outbox collector. channels (the wired
// ones) are reported for the outbound kinds even when empty, so an alert
// on a series sees 0 rather than nothing. timeout bounds the query (2 s
// when zero).
func NewOutboxCollector(pool *pgxpool.Pool, channels []string, timeout time.Duration) *OutboxCollector {
	if timeout <= 0 {
		timeout = 2 * time.Second
	}
	labels := []string{"channel", "kind"}
	return &OutboxCollector{
		pool: pool, timeout: timeout, channels: channels, kinds: []string{"bot", "staff", "page"},
		depth: prometheus.NewDesc("tipline_outbox_depth",
			"Outbound messages not yet delivered (queued, claimed or sending).", labels, nil),
		oldest: prometheus.NewDesc("tipline_outbox_oldest_due_seconds",
			"How long the oldest due outbound message has waited past its due time; 0 when none is due.", labels, nil),
		ok: prometheus.NewDesc("tipline_outbox_query_ok",
			"1 when the outbox metrics could be read from the database at this scrape, else 0.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *OutboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	ch <- c.oldest
	ch <- c.ok
}

type outboxKey struct{ channel, kind string }

type outboxRow struct {
	depth  int64
	oldest float64
}

// Collect implements prometheus.Collector.
func (c *OutboxCollector) Collect(ch chan<- prometheus.Metric) {
	rows, err := c.read()
	if err != nil {
		slog.Warn("outbox metrics: query failed", "err", err)
		ch <- prometheus.MustNewConstMetric(c.ok, prometheus.GaugeValue, 0)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.ok, prometheus.GaugeValue, 1)
	for _, channel := range c.channels {
		for _, kind := range c.kinds {
			k := outboxKey{channel, kind}
			if _, seen := rows[k]; !seen {
				rows[k] = outboxRow{}
			}
		}
	}
	for k, r := range rows {
		ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(r.depth), k.channel, k.kind)
		ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, r.oldest, k.channel, k.kind)
	}
}

// read runs outboxQuery.
func (c *OutboxCollector) read() (map[outboxKey]outboxRow, error) {
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	rows, err := c.pool.Query(ctx, outboxQuery)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[outboxKey]outboxRow{}
	for rows.Next() {
		var k outboxKey
		var r outboxRow
		if err := rows.Scan(&k.channel, &k.kind, &r.depth, &r.oldest); err != nil {
			return nil, err
		}
		out[k] = r
	}
	return out, rows.Err()
}

// Register registers the pool and outbox collectors with reg.
func Register(reg prometheus.Registerer, pool *pgxpool.Pool, channels []string) {
	reg.MustRegister(NewPoolCollector(pool), NewOutboxCollector(pool, channels, 0))
}
