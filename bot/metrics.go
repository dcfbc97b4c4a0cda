package bot

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"tipline"
)

// Metrics are the bot's Prometheus instruments.
type Metrics struct {
	Turns      *prometheus.CounterVec
	TurnTime   prometheus.Histogram
	DangerHits *prometheus.CounterVec
	Sends      *prometheus.CounterVec
}

// NewMetrics creates the instruments and registers them with reg (when not nil).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Turns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tipline_inbound_messages_total",
			Help: "Inbound messages by channel and result (handled, duplicate, error)."}, []string{"channel", "result"}),
		TurnTime: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "tipline_turn_seconds",
			Help: "Time to handle one inbound message, transaction included.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
		DangerHits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tipline_danger_screen_hits_total",
			Help: "Danger-screen hits by conversation language."}, []string{"lang"}),
		Sends: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tipline_outbound_total",
			Help: "Outbound delivery outcomes by channel."}, []string{"channel", "outcome"}),
	}
	for _, l := range []string{"en", "es", "fr", "unknown"} {
		m.DangerHits.WithLabelValues(l)
	}
	if reg != nil {
		reg.MustRegister(m.Turns, m.TurnTime, m.DangerHits, m.Sends)
	}
	return m
}

func (m *Metrics) observeTurn(ch tipline.Channel, dup bool, err error, d time.Duration) {
	result := "handled"
	switch {
	case err != nil:
		result = "error"
	case dup:
		result = "duplicate"
	}
	m.Turns.WithLabelValues(string(ch), result).Inc()
	if err == nil && !dup {
		m.TurnTime.Observe(d.Seconds())
	}
}
