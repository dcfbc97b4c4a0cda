package flows

import (
	"strings"

	"tipline"
	"tipline/directory"
	"tipline/risk"
)

// staffed reports whether a person from the team can write now in the
// conversation's language: someone on shift within the hours of operation
// (the bot asks package staffing). Unknown means no.
func (t *turn) staffed() bool {
	return t.in.Staffed != nil && t.in.Staffed(t.lang())
}

// crisisReply answers a message in crisis mode that asks nothing the bot
// can give: a person may write (or nobody is on shift), and for now the
// 24/7 line for the youth's country and language.
func (t *turn) crisisReply() {
	key := "crisis.ack.staffed"
	if !t.staffed() {
		key = "crisis.ack.unstaffed"
	}
	t.say(tipline.Reply{Text: t.withLine(t.text(key))})
}

// askedPerson answers "talk to a person" (free text or the menu option)
// and puts the conversation in the queue of chats waiting for a person.
// A tipster hears about the emergency number, not the youth lines.
func (t *turn) askedPerson() {
	t.effect(EffectPerson, "")
	if t.st.Crisis != nil {
		t.st.Crisis.Person = true
	}
	staffed := t.staffed()
	key := "person.staffed"
	if !staffed {
		key = "person.unstaffed"
	}
	text := t.text(key)
	switch {
	case t.st.Flow == FlowReport:
		text += "\n" + t.text("person.tipster", "emergency", t.emergency())
	case !staffed || t.st.Crisis != nil:
		text = t.withLine(text)
	}
	t.say(tipline.Reply{Text: text})
}

// withLine adds the 24/7 line for now, or the emergency number alone where
// the country has none.
// The longest form that fits sms.MaxSegments is used.
func (t *turn) withLine(text string) string {
	emergency := text + "\n" + t.text("crisis.emergency", "emergency", t.emergency())
	r, ok := t.crisisLine()
	if !ok {
		return emergency
	}
	for _, next := range []string{
		text + "\n" + t.text("crisis.for_now") + "\n" + shortLine(t, r),
		text + "\n" + shortLine(t, r),
	} {
		if fitsSMS(next, nil) {
			return next
		}
	}
	return emergency
}

// textWays answers "i can't call" and "he checks my phone": the ways to
// reach a line without a voice call (text, chat), and that DELETE erases
// this chat.
func (t *turn) textWays() {
	lines := []string{t.text("crisis.text.head")}
	for _, r := range t.textLines() {
		lines = append(lines, "- "+r.Name+": "+t.silentWays(r)+".")
		if len(lines) == 3 {
			break
		}
	}
	if len(lines) == 1 {
		lines = []string{t.text("crisis.text.none", "emergency", t.emergency())}
	}
	lines = append(lines, t.text("crisis.text.delete", "delete", display(t.lang(), "delete")))
	t.say(tipline.Reply{Text: strings.Join(lines, "\n")})
}

// textLines are the lines that can be reached without a call, the one for
// what was disclosed first, then the country's crisis line.
func (t *turn) textLines() []directory.Resource {
	country, _ := t.lineCountry()
	ids := riskLineIDs(t.crisisDecision(), country)
	if id := dangerData.Crisis[country]; id != "" && !contains(ids, id) {
		ids = append(ids, id)
	}
	var out []directory.Resource
	for _, r := range t.resources(ids) {
		if t.silentWays(r) != "" {
			out = append(out, r)
		}
	}
	return out
}

// silentWays are the ways to reach r without speaking: text, chat.
func (t *turn) silentWays(r directory.Resource) string {
	var ways []string
	switch {
	case r.SMSNumber != "" && r.SMSKeyword != "":
		ways = append(ways, t.text("res.text_keyword", "keyword", r.SMSKeyword, "number", r.SMSNumber))
	case r.SMSNumber != "":
		ways = append(ways, t.text("res.text", "number", r.SMSNumber))
	}
	if r.ChatURL != "" {
		ways = append(ways, t.text("res.chat", "url", r.ChatURL))
	}
	return strings.Join(ways, ", ")
}

// crisisLine is the 24/7 line for now: the first line for what was
// disclosed that is open around the clock and speaks the youth's language,
// else the country's crisis line.
func (t *turn) crisisLine() (directory.Resource, bool) {
	country, _ := t.lineCountry()
	rs := t.resources(riskLineIDs(t.crisisDecision(), country))
	rs = append(rs, t.resources([]string{dangerData.Crisis[country]})...)
	for _, r := range rs {
		if t.hours(r.Hours) == t.text("res.hours_always") && speaks(r, t.lang()) {
			return r, true
		}
	}
	if len(rs) > 0 {
		return rs[len(rs)-1], true
	}
	return directory.Resource{}, false
}

// speaks reports whether r answers in lang (a record without languages is
// taken to answer in any).
func speaks(r directory.Resource, lang string) bool {
	return len(r.Languages) == 0 || contains(r.Languages, lang)
}

// crisisDecision is the crisis as a risk decision, for choosing lines.
func (t *turn) crisisDecision() risk.Decision {
	c := t.st.Crisis
	if c == nil {
		return risk.Decision{Level: risk.Danger}
	}
	d := risk.Decision{Level: c.level()}
	if c.Category != "" {
		d.Categories = []risk.Category{risk.Category(c.Category)}
	}
	return d
}

// shortLine renders a line with its first way to reach it only.
func shortLine(t *turn, r directory.Resource) string {
	ways, _, _ := strings.Cut(t.howToReach(r, false), ", ")
	return "- " + r.Name + ": " + ways + "."
}
