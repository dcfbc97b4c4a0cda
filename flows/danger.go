package flows

import (
	"tipline"
	"tipline/risk"
)

// riskScreen reads a message with the risk engine (package risk).
func riskScreen(text string) risk.Decision { return risk.Screen(text) }

// screen acts on the risk screen's decision on the message (docs/design.md,
// rules 2 to 4, and crisis mode). It runs on every message, also when opted
// out or claimed, and in crisis mode.
//
// Danger flags the conversation and pages staff; it is answered at once
// with the emergency number first, then the line for what was disclosed,
// except on SMS after STOP, where the carrier would block the answer.
// Concern flags the conversation without paging and is answered with a
// discreet check-in, the emergency number and the best-fitting line (see
// checkIn; never on SMS after STOP); when the message also names a need,
// the help flow then goes on as usual.
//
// Either outcome outside a sighting report starts crisis mode (crisis.go).
// In crisis mode a new outcome is not answered with the whole block again:
// danger gets the emergency number and one line, briefly, and pages again
// only when the level rose; concern is answered by the crisis reply. A
// tipster's danger hit pages every time and keeps their draft.
func (t *turn) screen(d risk.Decision) {
	if d.Level == risk.None {
		return
	}
	t.risk = d
	lang := t.riskLang()
	if t.st.Lang == "" {
		t.st.Lang = lang
	}
	inCrisis := t.st.Crisis != nil && t.st.Flow != FlowReport
	rose := t.noteCrisis(d)
	cat := string(d.Category())
	t.effects = append(t.effects, Effect{Kind: EffectHighRisk, Detail: d.Level.String() + ":" + cat, Lang: d.Lang, Risk: &d})
	if d.Level == risk.Danger && rose {
		t.effects = append(t.effects, Effect{Kind: EffectPage, Detail: "danger:" + cat, Lang: d.Lang})
	}
	if t.sighting {
		t.tipsterDanger(d)
		return
	}
	t.hit = d.Level == risk.Danger || !t.namesNeed() && t.st.Flow != FlowReport
	if t.in.OptedOut && t.in.Channel == tipline.ChannelSMS || d.Level == risk.Concern && !t.checkIn() {
		return
	}
	if inCrisis {
		t.screenAgain(d, lang, rose)
		return
	}
	t.replies = append(t.replies, tipline.Reply{Text: ensureNeutral(t.riskReply(d, lang), lang)})
	t.st.Options = nil // an earlier question's numbers no longer apply
}

// tipsterDanger answers a risk outcome in a tipster's words (a sighting
// described outside a report): danger gets "If a child is in danger now,
// call 911", never the lines for a youth in danger; concern is only
// flagged. The flow goes on (the report, or the neutral question).
func (t *turn) tipsterDanger(d risk.Decision) {
	if d.Level != risk.Danger || t.in.OptedOut && t.in.Channel == tipline.ChannelSMS {
		return
	}
	t.replies = append(t.replies, tipline.Reply{Text: ensureNeutral(t.text("person.tipster", "emergency", t.emergency()), t.lang())})
}

// screenAgain answers an outcome in crisis mode: danger that did not rise
// gets the emergency number and one line, briefly (the emergency number
// stays first even for "i can't call": the ways to text follow); danger
// that rose gets the whole answer; concern is left to the crisis reply.
func (t *turn) screenAgain(d risk.Decision, lang string, rose bool) {
	switch {
	case d.Level != risk.Danger:
		return
	case rose:
		t.replies = append(t.replies, tipline.Reply{Text: ensureNeutral(t.riskReply(d, lang), lang)})
	default:
		t.replies = append(t.replies, tipline.Reply{Text: ensureNeutral(t.riskReplyBrief(d, lang), lang)})
	}
	t.again = true
	t.st.Options = nil
}

// checkIn reports whether a concern is answered with the check-in: not
// while staff hold the chat (they are the check-in), nor inside a sighting
// report, whose own first question is whether the child is in danger now
// and whose answers describe someone else; the flag is kept either way.
func (t *turn) checkIn() bool {
	return !t.in.Claimed && t.st.Flow != FlowReport && !t.sighting
}

// riskLang is the language of the answer: the message's, as the screen
// read it, else the conversation's.
func (t *turn) riskLang() string {
	if contains(Langs, t.risk.Lang) {
		return t.risk.Lang
	}
	return t.lang()
}

// namesNeed reports whether the message also asks for something the help
// flow offers (a bed tonight, food): after a concern check-in the flow
// answers it. Fear words ("scared", "miedo", "peur") name the need for
// someone to talk to, which the check-in's line already is.
func (t *turn) namesNeed() bool {
	if t.risk.Level != risk.Concern {
		return false
	}
	need := matchNeed(t.norm, t.riskLang())
	return need != "" && need != "talk"
}

// inDanger reports whether the screen found danger in this message (a
// sighting report in progress is then marked urgent).
func (t *turn) inDanger() bool { return t.risk.Level == risk.Danger }
