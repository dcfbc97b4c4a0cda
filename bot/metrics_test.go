package bot_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"tipline"
	"tipline/bot"
)

// TestRiskOutcomesCountedAndStored: each outcome is counted by level,
// category and language (and danger under the old name too), and its
// decision is stored against the inbound message in the turn's batch.
func TestRiskOutcomesCountedAndStored(t *testing.T) {
	t.Parallel()
	r := newRig(t, tipline.NewFakeClock(t0))
	m := bot.NewMetrics(prometheus.NewRegistry())
	r.bot = bot.New(r.pool, r.keys, r.bot.Engine(), r.clock, m)
	hit := func(sender, text string) {
		in := r.tw.InboundForm(sender, text)
		p, err := parseSMS(in)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.bot.Handle(t.Context(), p); err != nil {
			t.Fatal(err)
		}
	}
	hit("+12125550101", "i want to kill myself")
	hit("+12125550102", "quiero suicidarme")
	hit("+12125550103", "hello")
	for lang, want := range map[string]float64{"en": 1, "es": 1, "fr": 0} {
		if got := testutil.ToFloat64(m.RiskOutcomes.WithLabelValues("danger", "selfharm", lang)); got != want {
			t.Errorf("risk outcomes danger/selfharm/%s = %v, want %v", lang, got, want)
		}
		if got := testutil.ToFloat64(m.DangerHits.WithLabelValues(lang)); got != want {
			t.Errorf("danger hits (alias) %s = %v, want %v", lang, got, want)
		}
	}
	var n int
	err := r.pool.QueryRow(t.Context(), `SELECT count(*) FROM message_risk r JOIN messages m ON m.id = r.message_id
		JOIN conversations v ON v.id = m.conversation_id
		WHERE r.level = 'danger' AND r.categories[1] = 'selfharm' AND m.direction = 'in'
		  AND v.high_risk AND v.risk_level = 'danger' AND v.risk_category = 'selfharm'`).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Errorf("%d danger decisions stored against their messages, want 2", n)
	}
}
