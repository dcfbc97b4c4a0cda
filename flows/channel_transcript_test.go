package flows

import (
	"slices"
	"strings"
	"testing"

	"tipline"
)

// oneMessageChannel is a channel that replays the SMS scripts with one
// message per reply (the web chat, WhatsApp): how its transcripts are
// checked and written.
type oneMessageChannel struct {
	ch tipline.Channel
	// check applies the rules every reply on the channel keeps.
	check func(e *Engine, r tipline.Reply) []string
	// header rewrites a transcript's first line (nil: unchanged).
	header func(s script, tr string) string
	// country: the channel knows the country from the sender (WhatsApp's
	// number), not only from the language hint.
	country bool
}

func (c oneMessageChannel) written(s script, tr string) string {
	if c.header == nil {
		return tr
	}
	return c.header(s, tr)
}

// playSMSScripts plays every conversation and report script that runs on
// SMS on c, against testdata/<name>.<channel>.txt.
func (c oneMessageChannel) playSMSScripts(t *testing.T) {
	e := testEngine(t)
	for _, s := range scripts {
		if !slices.Contains(s.channels, tipline.ChannelSMS) {
			continue
		}
		s.acts = asChannel(s.acts, c.ch)
		t.Run(s.name, func(t *testing.T) {
			logs := play(t, e, s, c.ch)
			for i, l := range logs {
				for _, r := range l.out.Replies {
					for _, p := range c.check(e, r) {
						t.Errorf("turn %d (%s): %s\n%s", i+1, userLine(l.in), p, rendered(c.ch, r))
					}
				}
				checkDangerTurn(t, e, l)
			}
			golden(t, s.name+"."+string(c.ch)+".txt", c.written(s, transcript(s, c.ch, logs)))
		})
	}
	for _, s := range reportScripts {
		if !slices.Contains(s.channels, tipline.ChannelSMS) {
			continue
		}
		s.acts = slices.Clone(s.acts)
		for i := range s.acts {
			s.acts[i].act = asChannel([]act{s.acts[i].act}, c.ch)[0]
		}
		t.Run(s.name, func(t *testing.T) {
			logs := playReport(t, e, s, c.ch)
			var wrote []string
			for i, l := range logs {
				wrote = append(wrote, l.in.Text)
				for _, r := range l.out.Replies {
					for _, p := range c.check(e, sanitized(r, wrote...)) {
						t.Errorf("turn %d (%s): %s\n%s", i+1, reportUserLine(l.in), p, rendered(c.ch, r))
					}
				}
				checkDangerTurn(t, e, l)
			}
			golden(t, s.name+"."+string(c.ch)+".txt", reportTranscript(s, c.ch, logs))
		})
	}
}

// playCrisisAndRisk plays the crisis conversation and the risk cases of
// each language on c, against testdata/crisis-<lang>.<channel>.txt and
// risk-<lang>.<channel>.txt.
func (c oneMessageChannel) playCrisisAndRisk(t *testing.T) {
	e := testEngine(t)
	for _, lang := range Langs {
		where := riskCountry[lang]
		country := ""
		if c.country {
			country = where.country
		}
		var b strings.Builder
		for i, staffed := range []bool{true, false} {
			s := script{name: "crisis-" + lang + map[bool]string{true: "-on-shift", false: "-nobody-on-shift"}[staffed],
				country: country, hint: where.hint, acts: crisisScripts[lang], staffed: staffed}
			logs := play(t, e, s, c.ch)
			checkCrisis(t, e, s, c.ch, logs)
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(c.written(s, transcript(s, c.ch, logs)))
		}
		golden(t, "crisis-"+lang+"."+string(c.ch)+".txt", b.String())
		b.Reset()
		for i, rc := range riskCases[lang] {
			s := script{name: rc.level.String() + "/" + string(rc.cat), country: country, hint: where.hint,
				acts: []act{{say: rc.text}}}
			logs := play(t, e, s, c.ch)
			checkRiskCase(t, e, lang, c.ch, rc, logs[0])
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(c.written(s, transcript(s, c.ch, logs)))
		}
		golden(t, "risk-"+lang+"."+string(c.ch)+".txt", b.String())
	}
}

// asChannel plays a script's SMS-only acts (typed places, SMS answers) on
// ch, leaving out the Telegram-only ones (a shared location) and SMS's
// MORE (a one-message reply never pages).
func asChannel(acts []act, ch tipline.Channel) []act {
	out := slices.Clone(acts)
	for i := range out {
		if out[i].only == tipline.ChannelSMS && out[i].choose != "more" {
			out[i].only = ch
		}
	}
	return out
}
