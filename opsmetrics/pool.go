// Package opsmetrics holds the Prometheus collectors an operator pages on
// that read state at scrape time: the database pool's statistics and the
// outbox's depth and lag by channel and kind (docs/design.md, Metrics).
package opsmetrics

import (
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// PoolCollector reports a pgxpool's statistics as tipline_db_pool_*.
type PoolCollector struct {
	pool  *pgxpool.Pool
	descs map[string]*prometheus.Desc
}

// poolGauges and poolCounters name the pool statistics exported, with
// their help text.
var (
	poolGauges = map[string]string{
		"tipline_db_pool_acquired_conns":     "Connections in use.",
		"tipline_db_pool_idle_conns":         "Idle connections.",
		"tipline_db_pool_total_conns":        "Open connections (in use, idle and being opened).",
		"tipline_db_pool_constructing_conns": "Connections being opened.",
		"tipline_db_pool_max_conns":          "The pool's connection limit.",
	}
	poolCounters = map[string]string{
		"tipline_db_pool_acquires_total":                   "Connections acquired from the pool.",
		"tipline_db_pool_empty_acquires_total":             "Acquires that had to wait because no connection was idle.",
		"tipline_db_pool_canceled_acquires_total":          "Acquires abandoned because their context ended.",
		"tipline_db_pool_acquire_seconds_total":            "Time spent acquiring connections.",
		"tipline_db_pool_empty_acquire_wait_seconds_total": "Time spent waiting by acquires that found no idle connection.",
		"tipline_db_pool_new_conns_total":                  "Connections opened.",
		"tipline_db_pool_max_lifetime_closed_total":        "Connections closed for reaching their maximum lifetime.",
		"tipline_db_pool_max_idle_closed_total":            "Connections closed for idling too long.",
	}
)

// NewPoolCollector returns a collector for pool's statistics.
func NewPoolCollector(pool *pgxpool.Pool) *PoolCollector {
	c := &PoolCollector{pool: pool, descs: map[string]*prometheus.Desc{}}
	for _, m := range []map[string]string{poolGauges, poolCounters} {
		for name, help := range m {
			c.descs[name] = prometheus.NewDesc(name, help, nil, nil)
		}
	}
	return c
}

// Describe implements prometheus.Collector.
func (c *PoolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range c.descs {
		ch <- d
	}
}

// Collect implements prometheus.Collector. It reads the pool's counters
// only; it never touches the database.
func (c *PoolCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.pool.Stat()
	gauge := func(name string, v float64) {
		ch <- prometheus.MustNewConstMetric(c.descs[name], prometheus.GaugeValue, v)
	}
	counter := func(name string, v float64) {
		ch <- prometheus.MustNewConstMetric(c.descs[name], prometheus.CounterValue, v)
	}
	gauge("tipline_db_pool_acquired_conns", float64(s.AcquiredConns()))
	gauge("tipline_db_pool_idle_conns", float64(s.IdleConns()))
	gauge("tipline_db_pool_total_conns", float64(s.TotalConns()))
	gauge("tipline_db_pool_constructing_conns", float64(s.ConstructingConns()))
	gauge("tipline_db_pool_max_conns", float64(s.MaxConns()))
	counter("tipline_db_pool_acquires_total", float64(s.AcquireCount()))
	counter("tipline_db_pool_empty_acquires_total", float64(s.EmptyAcquireCount()))
	counter("tipline_db_pool_canceled_acquires_total", float64(s.CanceledAcquireCount()))
	counter("tipline_db_pool_acquire_seconds_total", s.AcquireDuration().Seconds())
	counter("tipline_db_pool_empty_acquire_wait_seconds_total", s.EmptyAcquireWaitTime().Seconds())
	counter("tipline_db_pool_new_conns_total", float64(s.NewConnsCount()))
	counter("tipline_db_pool_max_lifetime_closed_total", float64(s.MaxLifetimeDestroyCount()))
	counter("tipline_db_pool_max_idle_closed_total", float64(s.MaxIdleDestroyCount()))
}
