package flows

import (
	"slices"
	"strings"
	"testing"

	"tipline"
)

// TestWebChatTranscripts plays every conversation and report script that
// runs on SMS on the web chat too (issue 17), against
// testdata/<name>.webchat.txt. The web chat shows options as buttons like
// Telegram (a pressed one sends its value) and one message per reply, but
// never asks to share a location: a place is typed, as on SMS. The country
// comes from the browser's language (the script's language hint), never
// from the address; the file's first line names it.
func TestWebChatTranscripts(t *testing.T) {
	const ch = tipline.ChannelWebChat
	e := testEngine(t)
	for _, s := range scripts {
		if !slices.Contains(s.channels, tipline.ChannelSMS) {
			continue
		}
		s.acts = asWebChat(s.acts)
		t.Run(s.name, func(t *testing.T) {
			logs := play(t, e, s, ch)
			for i, l := range logs {
				for _, r := range l.out.Replies {
					for _, p := range checkWebChatReply(e, r) {
						t.Errorf("turn %d (%s): %s\n%s", i+1, userLine(l.in), p, rendered(ch, r))
					}
				}
				checkDangerTurn(t, e, l)
			}
			golden(t, s.name+"."+string(ch)+".txt", webChatHeader(s, transcript(s, ch, logs)))
		})
	}
	for _, s := range reportScripts {
		if !slices.Contains(s.channels, tipline.ChannelSMS) {
			continue
		}
		s.acts = slices.Clone(s.acts)
		for i := range s.acts {
			s.acts[i].act = asWebChat([]act{s.acts[i].act})[0]
		}
		t.Run(s.name, func(t *testing.T) {
			logs := playReport(t, e, s, ch)
			var wrote []string
			for i, l := range logs {
				wrote = append(wrote, l.in.Text)
				for _, r := range l.out.Replies {
					for _, p := range checkWebChatReply(e, sanitized(r, wrote...)) {
						t.Errorf("turn %d (%s): %s\n%s", i+1, reportUserLine(l.in), p, rendered(ch, r))
					}
				}
				checkDangerTurn(t, e, l)
			}
			golden(t, s.name+"."+string(ch)+".txt", reportTranscript(s, ch, logs))
		})
	}
}

// TestWebChatCrisisAndRiskTranscripts plays the crisis conversation and
// the risk cases of each language (English, Spanish, French) on the web
// chat, against testdata/crisis-<lang>.webchat.txt and
// risk-<lang>.webchat.txt.
func TestWebChatCrisisAndRiskTranscripts(t *testing.T) {
	const ch = tipline.ChannelWebChat
	e := testEngine(t)
	for _, lang := range Langs {
		where := riskCountry[lang]
		var b strings.Builder
		for i, staffed := range []bool{true, false} {
			s := script{name: "crisis-" + lang + map[bool]string{true: "-on-shift", false: "-nobody-on-shift"}[staffed],
				hint: where.hint, acts: crisisScripts[lang], staffed: staffed}
			logs := play(t, e, s, ch)
			checkCrisis(t, e, s, ch, logs)
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(webChatHeader(s, transcript(s, ch, logs)))
		}
		golden(t, "crisis-"+lang+"."+string(ch)+".txt", b.String())
		b.Reset()
		for i, c := range riskCases[lang] {
			s := script{name: c.level.String() + "/" + string(c.cat), hint: where.hint, acts: []act{{say: c.text}}}
			logs := play(t, e, s, ch)
			checkRiskCase(t, e, lang, ch, c, logs[0])
			if i > 0 {
				b.WriteString("\n")
			}
			b.WriteString(webChatHeader(s, transcript(s, ch, logs)))
		}
		golden(t, "risk-"+lang+"."+string(ch)+".txt", b.String())
	}
}

// asWebChat plays a script's SMS-only acts (typed places, SMS answers) on
// the web chat, leaving out the Telegram-only ones (a shared location)
// and SMS's MORE (a web chat reply is one message, never pages).
func asWebChat(acts []act) []act {
	out := slices.Clone(acts)
	for i := range out {
		if out[i].only == tipline.ChannelSMS && out[i].choose != "more" {
			out[i].only = tipline.ChannelWebChat
		}
	}
	return out
}

// checkWebChatReply applies the rules every message keeps, and the web
// chat's own: no request for a location (the page never asks the browser
// where it is).
func checkWebChatReply(e *Engine, r tipline.Reply) []string {
	probs := checkReply(e.Dir, tipline.ChannelWebChat, r)
	if r.AskLocation {
		probs = append(probs, "asks to share a location")
	}
	return probs
}

// webChatHeader names the browser language on a transcript's first line.
func webChatHeader(s script, tr string) string {
	if s.hint == "" {
		return tr
	}
	first, rest, _ := strings.Cut(tr, "\n")
	return first + " (browser language " + s.hint + ")\n" + rest
}
