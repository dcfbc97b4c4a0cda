package flows

import (
	"strings"
	"testing"
	"time"

	"tipline/risk"
)

// crisisScripts are the crisis conversations of docs/design.md (crisis
// mode), per language: a danger message, then "are you a real person?",
// "i can't call, he checks my phone", a staff claim, a staff message, the
// youth's answer, a release; played with someone on shift and with nobody.
var crisisScripts = map[string][]act{
	"en": {
		{say: "my boyfriend says he will hurt me if i dont go back and i want to kill myself"},
		{say: "are you a real person?"},
		{say: "i cant call he checks my phone"},
		{say: "ok"},
		{staff: "claim"},
		{staff: "write: Hi, I'm Sam from the team. Are you somewhere safe right now?"},
		{say: "yeah im at my friends for now"},
		{staff: "release"},
		{say: "thanks"},
		{say: "hi"},
	},
	"es": {
		{say: "mi novio dice que me va a lastimar si no regreso y ya no quiero vivir"},
		{say: "¿eres una persona?"},
		{say: "no puedo llamar, él revisa mi celular"},
		{say: "ok"},
		{staff: "claim"},
		{staff: "write: Hola, soy Sam del equipo. ¿Estás en un lugar seguro ahora?"},
		{say: "si estoy con mi amiga por ahora"},
		{staff: "release"},
		{say: "gracias"},
		{say: "hola"},
	},
	"fr": {
		{say: "mon chum dit qu'il va me faire mal si je reviens pas et j'ai envie de mourir"},
		{say: "je peux parler à quelqu'un ?"},
		{say: "je peux pas appeler, il regarde mon cell"},
		{say: "ok"},
		{staff: "claim"},
		{staff: "write: Bonjour, c'est Sam de l'équipe. Es-tu en sécurité en ce moment ?"},
		{say: "oui chu chez une amie pour l'instant"},
		{staff: "release"},
		{say: "merci"},
		{say: "salut"},
	},
}

// TestCrisisTranscripts plays the crisis conversation in each language on
// each channel, with someone on shift and with nobody, against
// testdata/crisis-<lang>.<channel>.txt. In crisis mode no reply is a place
// prompt or the needs menu; every message is screened; the bot is silent
// while staff hold the chat; a release returns the youth to the menu.
func TestCrisisTranscripts(t *testing.T) {
	e := testEngine(t)
	for _, lang := range Langs {
		for _, ch := range both {
			var b strings.Builder
			for i, staffed := range []bool{true, false} {
				s := script{name: "crisis-" + lang + map[bool]string{true: "-on-shift", false: "-nobody-on-shift"}[staffed],
					country: riskCountry[lang].country, hint: riskCountry[lang].hint, channels: both,
					acts: crisisScripts[lang], staffed: staffed}
				logs := play(t, e, s, ch)
				checkCrisis(t, e, s, ch, logs)
				if i > 0 {
					b.WriteString("\n")
				}
				b.WriteString(transcript(s, ch, logs))
			}
			golden(t, "crisis-"+lang+"."+string(ch)+".txt", b.String())
		}
	}
}

// checkCrisis checks a played crisis conversation turn by turn.
func checkCrisis(t *testing.T, e *Engine, s script, ch interface{ Valid() bool }, logs []turnLog) {
	t.Helper()
	first := logs[0]
	if !hasEffect(first.out, EffectPage) || first.out.State.Crisis == nil {
		t.Fatalf("%s: the first message did not start crisis mode: %+v", s.name, first.out)
	}
	released := false
	for i, l := range logs {
		if l.staff != "" {
			released = l.staff == "release"
			continue
		}
		checkDangerTurn(t, e, l)
		for _, r := range l.out.Replies {
			for _, p := range checkReply(e.Dir, l.in.Channel, r) {
				t.Errorf("%s turn %d: %s", s.name, i+1, p)
			}
			if l.prev.Crisis != nil && (len(r.Options) > 0 || r.AskLocation) {
				t.Errorf("%s turn %d (%q): a prompt in crisis mode: %q", s.name, i+1, l.in.Text, r.Text)
			}
		}
		if l.in.Claimed && len(l.out.Replies) > 0 && !hasEffect(l.out, EffectHighRisk) {
			t.Errorf("%s turn %d: the bot answered while staff hold the chat", s.name, i+1)
		}
		if released && l.out.State.Crisis != nil {
			t.Errorf("%s turn %d: still in crisis mode after the release", s.name, i+1)
		}
	}
	last := logs[len(logs)-1].out
	if len(last.Replies) == 0 || len(last.Replies[0].Options) == 0 {
		t.Errorf("%s: after the release a greeting does not bring the menu back: %+v", s.name, last.Replies)
	}
}

// TestEveryMessageInCrisisIsScreened: in crisis mode (claimed or not) each
// message still goes through the risk screen: a new danger is flagged and
// answered with the emergency number first, briefly; it pages again only
// when the level rose.
func TestEveryMessageInCrisisIsScreened(t *testing.T) {
	e := testEngine(t)
	in := Input{Channel: "sms", Text: "im scared to go home", Country: "US"}
	out := stepWith(e, State{}, in, decide(risk.Concern, "en", risk.Abuse))
	st := out.State
	if st.Crisis == nil || st.Crisis.Level != "concern" {
		t.Fatalf("concern did not start crisis mode: %+v", st)
	}
	for _, claimed := range []bool{false, true} {
		in := Input{Channel: "sms", Text: "he just hit me again", Country: "US", Claimed: claimed}
		rose := stepWith(e, st, in, decide(risk.Danger, "en", risk.Abuse))
		if !hasEffect(rose, EffectHighRisk) || !hasEffect(rose, EffectPage) || firstNumber(rose.Replies[0].Text) != "911" {
			t.Errorf("claimed=%v: concern to danger: %+v", claimed, rose)
		}
		again := stepWith(e, rose.State, in, decide(risk.Danger, "en", risk.Abuse))
		if !hasEffect(again, EffectHighRisk) || hasEffect(again, EffectPage) || firstNumber(again.Replies[0].Text) != "911" {
			t.Errorf("claimed=%v: danger again: %+v", claimed, again)
		}
		if len(again.Replies[0].Text) >= len(rose.Replies[0].Text) {
			t.Errorf("claimed=%v: the second danger answer is not brief:\n%s", claimed, again.Replies[0].Text)
		}
	}
}

// TestCrisisModeEnds: MENU ends it on the youth's word; a day without a
// risk outcome ends it; a release ends it; an idle claim returning to the
// queue (no release) does not.
func TestCrisisModeEnds(t *testing.T) {
	e := testEngine(t)
	in := Input{Channel: "telegram", Text: "he hits me every night", LangHint: "en-US"}
	st := stepWith(e, State{}, in, decide(risk.Danger, "en", risk.Abuse)).State
	later := func(d time.Duration, text string, released time.Time) State {
		in := Input{Channel: "telegram", Text: text, LangHint: "en-US", ReleasedAt: released}
		return e.Step(st, in, st.Crisis.Last.Add(d)).State
	}
	if later(time.Minute, "menu", time.Time{}).Crisis != nil {
		t.Error("MENU did not end crisis mode")
	}
	if later(time.Hour, "ok", time.Time{}).Crisis == nil {
		t.Error("crisis mode ended by itself within the hour")
	}
	if later(CrisisTimeout+time.Minute, "ok", time.Time{}).Crisis != nil {
		t.Error("crisis mode outlived CrisisTimeout")
	}
	if later(time.Hour, "ok", st.Crisis.Last.Add(time.Minute)).Crisis != nil {
		t.Error("a release did not end crisis mode")
	}
}

// TestCrisisRequestsOutlastTheFloodGuard: a youth in crisis mode over the
// message rate still gets an answer to "can i talk to someone" and "i
// can't call"; other words wait like anyone's.
func TestCrisisRequestsOutlastTheFloodGuard(t *testing.T) {
	e := testEngine(t)
	in := Input{Channel: "sms", Text: "he hits me every night", Country: "US"}
	st := stepWith(e, State{}, in, decide(risk.Danger, "en", risk.Abuse)).State
	for text, answered := range map[string]bool{"can i talk to someone": true, "i cant call": true, "ok": false} {
		out := e.Slowed(st, Input{Channel: "sms", Text: text, Country: "US"}, t0.Add(time.Minute), false)
		if (len(out.Replies) > 0) != answered {
			t.Errorf("%q over the rate in crisis mode: %d replies", text, len(out.Replies))
		}
	}
}
