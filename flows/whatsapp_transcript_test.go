package flows

import (
	"slices"
	"strings"
	"testing"

	"tipline"
)

// TestWhatsAppTranscripts plays every conversation script that runs on SMS
// on WhatsApp too (issue 17): the conversations, the report scripts, the
// crisis conversation and the risk cases in the three languages, against
// testdata/<name>.whatsapp.txt. WhatsApp numbers its options as SMS does
// and takes the country from the number, but is one message per reply
// like Telegram (up to 1600 characters, no pages).
func TestWhatsAppTranscripts(t *testing.T) {
	const ch = tipline.ChannelWhatsApp
	e := testEngine(t)
	for _, s := range scripts {
		if !slices.Contains(s.channels, tipline.ChannelSMS) {
			continue
		}
		s.acts = asWhatsApp(s.acts)
		t.Run(s.name, func(t *testing.T) {
			logs := play(t, e, s, ch)
			for i, l := range logs {
				for _, r := range l.out.Replies {
					for _, p := range checkReply(e.Dir, ch, r) {
						t.Errorf("turn %d (%s): %s\n%s", i+1, userLine(l.in), p, rendered(ch, r))
					}
				}
				checkDangerTurn(t, e, l)
			}
			golden(t, s.name+"."+string(ch)+".txt", transcript(s, ch, logs))
		})
	}
	for _, s := range reportScripts {
		if !slices.Contains(s.channels, tipline.ChannelSMS) {
			continue
		}
		s.acts = slices.Clone(s.acts)
		for i := range s.acts {
			s.acts[i].act = asWhatsApp([]act{s.acts[i].act})[0]
		}
		t.Run(s.name, func(t *testing.T) {
			logs := playReport(t, e, s, ch)
			var wrote []string
			for i, l := range logs {
				wrote = append(wrote, l.in.Text)
				for _, r := range l.out.Replies {
					for _, p := range checkReply(e.Dir, ch, sanitized(r, wrote...)) {
						t.Errorf("turn %d (%s): %s\n%s", i+1, reportUserLine(l.in), p, rendered(ch, r))
					}
				}
				checkDangerTurn(t, e, l)
			}
			golden(t, s.name+"."+string(ch)+".txt", reportTranscript(s, ch, logs))
		})
	}
}

// TestWhatsAppCrisisAndRiskTranscripts plays the crisis conversation and
// the risk cases of each language on WhatsApp, against
// testdata/crisis-<lang>.whatsapp.txt and risk-<lang>.whatsapp.txt.
func TestWhatsAppCrisisAndRiskTranscripts(t *testing.T) {
	const ch = tipline.ChannelWhatsApp
	e := testEngine(t)
	for _, lang := range Langs {
		where := riskCountry[lang]
		var b strings.Builder
		for i, staffed := range []bool{true, false} {
			s := script{name: "crisis-" + lang + map[bool]string{true: "-on-shift", false: "-nobody-on-shift"}[staffed],
				country: where.country, hint: where.hint, acts: crisisScripts[lang], staffed: staffed}
			logs := play(t, e, s, ch)
			checkCrisis(t, e, s, ch, logs)
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(transcript(s, ch, logs))
		}
		golden(t, "crisis-"+lang+"."+string(ch)+".txt", b.String())
		b.Reset()
		for i, c := range riskCases[lang] {
			s := script{name: c.level.String() + "/" + string(c.cat), country: where.country, hint: where.hint,
				acts: []act{{say: c.text}}}
			logs := play(t, e, s, ch)
			checkRiskCase(t, e, lang, ch, c, logs[0])
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(transcript(s, ch, logs))
		}
		golden(t, "risk-"+lang+"."+string(ch)+".txt", b.String())
	}
}

// asWhatsApp plays a script's SMS-only acts on WhatsApp (typed places, the
// SMS answers), leaving out the Telegram-only ones and SMS's MORE (a
// WhatsApp reply is one message, never pages).
func asWhatsApp(acts []act) []act {
	out := slices.Clone(acts)
	for i := range out {
		if out[i].only == tipline.ChannelSMS && out[i].choose != "more" {
			out[i].only = tipline.ChannelWhatsApp
		}
	}
	return out
}
