package flows

import (
	"time"

	"tipline"
	"tipline/risk"
)

// CrisisTimeout is how long crisis mode lasts after the last risk outcome
// when nothing ends it sooner (docs/design.md, crisis mode).
const CrisisTimeout = 24 * time.Hour

// Crisis is a conversation's crisis mode: entered on a danger or concern
// outcome outside a sighting report. While it lasts, messages are not read
// as answers to the step the conversation was in: the bot answers briefly,
// says whether a person from the team may write, and gives the 24/7 line.
// MENU (the youth's word), a staff release, or CrisisTimeout without a
// risk outcome ends it.
type Crisis struct {
	Level    string    `json:"level"`              // the highest outcome since it began: "danger" or "concern"
	Category string    `json:"category,omitempty"` // what was disclosed at that level, most recent first
	Since    time.Time `json:"since"`
	Last     time.Time `json:"last"`             // the latest risk outcome
	Person   bool      `json:"person,omitempty"` // the youth asked for a person
}

// level is the crisis level as the risk package counts it.
func (c *Crisis) level() risk.Level {
	if c == nil {
		return risk.None
	}
	if c.Level == risk.Danger.String() {
		return risk.Danger
	}
	return risk.Concern
}

// endCrisis ends crisis mode on the conversation's own clock: after
// CrisisTimeout without a risk outcome, or when staff released the chat
// since it began (a release returns the youth to the menu).
func (t *turn) endCrisis() {
	c := t.st.Crisis
	if c == nil {
		return
	}
	released := !t.in.ReleasedAt.IsZero() && t.in.ReleasedAt.After(c.Last) && !t.in.Claimed
	if t.now.Sub(c.Last) > CrisisTimeout || released {
		t.st.Crisis = nil
		if released {
			t.leaveFlow() // the next words are read as at the start
		}
	}
}

// noteCrisis records a risk outcome in crisis mode, and reports whether
// the level rose (a first outcome rises from none). Inside a sighting
// report nothing is recorded: a tipster's draft goes on.
func (t *turn) noteCrisis(d risk.Decision) (rose bool) {
	if t.st.Flow == FlowReport || t.sighting {
		return t.st.Data[TipKeyUrgent] != "1" // an urgent draft has paged already
	}
	c := t.st.Crisis
	rose = d.Level > c.level()
	if c == nil {
		c = &Crisis{Since: t.now}
		t.entered = true
	}
	if d.Level >= c.level() {
		c.Level, c.Category = d.Level.String(), string(d.Category())
	}
	c.Last = t.now
	t.st.Crisis = c
	return rose
}

// crisisTurn answers a message in crisis mode, or a request for a person
// anywhere; it reports whether the message was answered. A message that
// names a need, shares a location, presses a button or gives a place when
// one was asked is the youth's own request: the help flow answers it.
func (t *turn) crisisTurn() bool {
	c := t.st.Crisis
	want, lang := detectIntent(t.in.Text)
	if t.in.Callback != "" {
		want = intentNone
	}
	if t.st.Lang == "" && lang != "" && want != intentNone {
		t.st.Lang = lang
	}
	if c == nil || t.st.Flow == FlowReport {
		switch {
		case want == intentPerson:
			t.askedPerson()
		case want == intentThanks && t.st.Flow != FlowReport:
			t.say(tipline.Reply{Text: t.text("thanks.reply", "menu", display(t.lang(), "menu"))})
		default:
			return false
		}
		return true
	}
	if t.entered {
		return t.hit // the risk answer stands alone; a concern that names a need goes on to the help flow
	}
	switch {
	case want == intentCantCall:
		t.textWays()
	case want == intentPerson:
		t.askedPerson()
	case want == intentThanks:
		t.say(tipline.Reply{Text: t.text("crisis.thanks")})
	case t.youthAsks():
		return false
	case t.again:
		// the brief danger line was the answer
	default:
		t.crisisReply()
	}
	return true
}

// youthAsks reports whether a message in crisis mode asks the help flow
// for something: a button, a shared location, a need named in words, or a
// place typed where one was asked for.
func (t *turn) youthAsks() bool {
	if t.in.Callback != "" || t.in.Location != nil {
		return true
	}
	if need := matchNeed(t.norm, t.lang()); need != "" && need != "talk" && need != "other" {
		return true
	}
	return t.st.Flow == FlowHelp && t.st.Step == stepWhere && isPlace(t.in.Text)
}
