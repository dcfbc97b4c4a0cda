package outbox

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the outbox's Prometheus instruments.
type Metrics struct {
	Sends *prometheus.CounterVec
}

// NewMetrics creates the instruments and registers them with reg (when not nil).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		Sends: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tipline_outbound_total",
			Help: "Outbound delivery outcomes by channel."}, []string{"channel", "outcome"}),
	}
	if reg != nil {
		reg.MustRegister(m.Sends)
	}
	return m
}
