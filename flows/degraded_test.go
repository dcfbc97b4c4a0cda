package flows

import (
	"strings"
	"testing"
	"time"

	"tipline"
)

// DangerAnswer gives exactly the answer the whole step gives a first
// message with the same text, so a replayed message and its inline answer
// agree (docs/design.md rule 16); concern and no risk are not answered.
func TestDangerAnswerMatchesStep(t *testing.T) {
	e := &Engine{Dir: testDir(t), TZ: time.UTC, Timeout: 30 * time.Minute}
	cases := []struct {
		text, country, hint string
		ch                  tipline.Channel
		danger              bool
	}{
		{"my boyfriend makes me sleep with men for money and he took my id", "US", "", tipline.ChannelSMS, true},
		{"i want to kill myself tonight", "", "", tipline.ChannelTelegram, true},
		{"mi papá me pega y tengo sangre", "MX", "", tipline.ChannelSMS, true},
		{"il m'oblige à coucher avec des hommes pour de l'argent", "", "fr-CA", tipline.ChannelTelegram, true},
		{"I saw a man hitting a little girl at the bus stop, she is bleeding", "US", "", tipline.ChannelSMS, true},
		{"I need a bed tonight", "US", "", tipline.ChannelSMS, false},
		{"hello", "", "", tipline.ChannelTelegram, false},
	}
	for _, c := range cases {
		r, d, ok := e.DangerAnswer(c.text, c.ch, c.country, c.hint)
		if ok != c.danger {
			t.Errorf("%q: answered %v (level %v), want %v", c.text, ok, d.Level, c.danger)
			continue
		}
		out := e.Step(State{}, Input{Channel: c.ch, Text: c.text, Country: c.country, LangHint: c.hint}, t0)
		if !ok {
			if r.Text != "" {
				t.Errorf("%q: a reply without danger: %q", c.text, r.Text)
			}
			continue
		}
		if !strings.Contains(r.Text, "911") {
			t.Errorf("%q: no emergency number in %q", c.text, r.Text)
		}
		if len(out.Replies) == 0 || out.Replies[0].Text != r.Text {
			t.Errorf("%q: inline answer\n%q\ndiffers from the step's first reply\n%v", c.text, r.Text, out.Replies)
		}
	}
}
