package flows

import (
	"time"

	"tipline"
	"tipline/risk"
)

// Slowed answers a message from a sender over the message rate limit (the
// bot decides who is; see package flood). Safety comes first: a message that
// the risk screen flags, STOP, START and DELETE, and in crisis mode a request
// for a person or for ways to text, go through Step as always. Anything else is kept by the bot but not answered, except that
// tell asks for one notice that replies pause. The state does not change.
func (e *Engine) Slowed(st State, in Input, now time.Time, tell bool) Output {
	if riskScreen(in.Text).Level != risk.None {
		return e.Step(st, in, now)
	}
	if st.Crisis != nil { // a youth in crisis mode asking for a person or how to text is answered
		if want, _ := detectIntent(in.Text); want == intentPerson || want == intentCantCall {
			return e.Step(st, in, now)
		}
	}
	if k, ok := ParseKeyword(in.Text); ok {
		switch k.Action {
		case ActOptOut, ActOptIn, ActOptInWhenOut, ActDelete:
			return e.Step(st, in, now)
		}
	}
	out := Output{State: st}
	if !tell || in.OptedOut {
		return out
	}
	t := e.newTurn(st, in, now)
	out.Replies = []tipline.Reply{{Text: ensureNeutral(t.text("rpt.slow", "emergency", t.emergency()), t.lang())}}
	return out
}
