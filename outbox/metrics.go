package outbox

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the outbox's Prometheus instruments.
type Metrics struct {
	// Sends counts delivery outcomes by channel: sent, retry, failed,
	// expired, reconciled, paused (held back by a provider pause),
	// crisis_missed (a crisis reply that missed its deadline: staff were
	// paged), page_missed.
	Sends *prometheus.CounterVec
	// Paused is 1 while this instance last saw the channel's provider
	// paused, 0 once it saw it resume.
	Paused *prometheus.GaugeVec
	// Pauses counts provider pauses begun, by channel and cause
	// (retry_after: the provider named its wait; temporary: 5xx or no
	// answer).
	Pauses *prometheus.CounterVec
	// PauseFailures counts every failed provider call that paused or
	// renewed a pause: during an outage about one per pause.
	PauseFailures *prometheus.CounterVec
}

// NewMetrics creates the instruments and registers them with reg (when not nil).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Sends: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tipline_outbound_total",
			Help: "Outbound delivery outcomes by channel."}, []string{"channel", "outcome"}),
		Paused: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "tipline_provider_paused",
			Help: "1 while the channel's provider is paused for every message (429, retry_after, 5xx), as this instance last saw it."},
			[]string{"channel"}),
		Pauses: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tipline_provider_pauses_total",
			Help: "Provider pauses begun, by channel and cause (retry_after or temporary)."}, []string{"channel", "cause"}),
		PauseFailures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tipline_provider_pause_failures_total",
			Help: "Failed provider calls that began or renewed a pause, by channel and cause."}, []string{"channel", "cause"}),
	}
	if reg != nil {
		reg.MustRegister(m.Sends, m.Paused, m.Pauses, m.PauseFailures)
	}
	return m
}
