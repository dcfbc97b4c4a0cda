package bot_test

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"tipline/bot"
)

func TestDangerHitsCountedPerLanguage(t *testing.T) {
	t.Parallel()
	r := newRig(t, bot.NewFakeClock(t0))
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
		if got := testutil.ToFloat64(m.DangerHits.WithLabelValues(lang)); got != want {
			t.Errorf("danger hits %s = %v, want %v", lang, got, want)
		}
	}
}
