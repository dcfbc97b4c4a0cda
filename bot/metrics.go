package bot

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"tipline"
	"tipline/risk"
)

// Metrics are the turn's Prometheus instruments (the outbox has its own).
type Metrics struct {
	Turns    *prometheus.CounterVec
	TurnTime prometheus.Histogram
	// RiskOutcomes counts the risk screen's outcomes by level, main
	// category and message language (tipline_risk_outcomes_total).
	RiskOutcomes *prometheus.CounterVec
	// DangerHits is the old danger-screen counter, kept as an alias for one
	// release: danger outcomes by language. Deprecated: use RiskOutcomes.
	DangerHits *prometheus.CounterVec
}

// NewMetrics creates the instruments and registers them with reg (when not nil).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Turns: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tipline_inbound_messages_total",
			Help: "Inbound messages by channel and result (handled, duplicate, error)."}, []string{"channel", "result"}),
		TurnTime: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "tipline_turn_seconds",
			Help: "Time to handle one inbound message, transaction included.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
		RiskOutcomes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tipline_risk_outcomes_total",
			Help: "Risk-screen outcomes (concern, danger) by level, main category and message language."},
			[]string{"level", "category", "lang"}),
		DangerHits: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tipline_danger_screen_hits_total",
			Help: "Deprecated alias of tipline_risk_outcomes_total{level=\"danger\"} by language; removed in the next release."}, []string{"lang"}),
	}
	for _, l := range []string{"en", "es", "fr", "unknown"} {
		m.DangerHits.WithLabelValues(l)
		for _, level := range []risk.Level{risk.Concern, risk.Danger} {
			for _, c := range risk.Categories {
				m.RiskOutcomes.WithLabelValues(level.String(), string(c), l)
			}
		}
	}
	if reg != nil {
		reg.MustRegister(m.Turns, m.TurnTime, m.RiskOutcomes, m.DangerHits)
	}
	return m
}

// countRisk counts one risk-screen outcome. The language is the message's
// as the screen read it, else the conversation's.
func (m *Metrics) countRisk(d risk.Decision, convLang string) {
	if d.Level == risk.None {
		return
	}
	lang := d.Lang
	if lang == "" {
		lang = convLang
	}
	category := string(d.Category())
	if category == "" {
		category = "unknown"
	}
	m.RiskOutcomes.WithLabelValues(d.Level.String(), category, langLabel(lang)).Inc()
	if d.Level == risk.Danger {
		m.DangerHits.WithLabelValues(langLabel(lang)).Inc()
	}
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
