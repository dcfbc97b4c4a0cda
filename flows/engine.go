package flows

import (
	"strconv"
	"time"

	"tipline"
	"tipline/directory"
	"tipline/risk"
)

// Engine runs the conversation logic. It is safe for concurrent use: it
// holds only read-only data, and Step works on copies.
type Engine struct {
	Dir     *directory.Directory // help lines and local services; every number comes from here
	TZ      *time.Location       // the organisation's time zone (TIPLINE_TIMEZONE)
	Timeout time.Duration        // FLOW_TIMEOUT: a flow waiting longer restarts silently
}

// Step handles one inbound message and returns the new state, the replies
// and the effects. It is the single entry point the bot calls inside its
// per-message transaction. In order:
//
//  1. expiry: a flow that waited longer than Timeout restarts silently (an
//     expired report draft becomes an incomplete tip);
//  2. crisis mode ends after CrisisTimeout or a staff release (crisis.go);
//  3. the risk screen, always, also when opted out or claimed (danger.go);
//  4. the keyword layer (STOP, START, HELP, DELETE, MENU, LANGUAGE, REPORT…);
//  5. nothing more while the contact is opted out or staff have claimed the chat;
//  6. crisis mode's reply, or "talk to a person" from anywhere (crisis.go);
//  7. the current flow's step, else the start menu.
func (e *Engine) Step(st State, in Input, now time.Time) Output {
	t := e.newTurn(st, in, now)
	return t.run(riskScreen(in.Text))
}

// run is Step once the risk screen has decided d.
func (t *turn) run(d risk.Decision) Output {
	t.expire()
	t.endCrisis()
	d = t.reportDatum(d)
	t.sighting = t.readsAsSighting(d)
	t.screen(d)
	switch {
	case t.keyword():
	case t.in.OptedOut || t.in.Claimed:
	case t.crisisTurn():
	case t.hit && t.st.Flow == FlowNone:
		// a first message that hit the screen gets the risk answer alone
	default:
		t.flow()
	}
	return t.output()
}

// turn is one Step in progress.
type turn struct {
	e       *Engine
	st      State
	in      Input
	now     time.Time
	norm    string        // the normalised text
	risk    risk.Decision // the risk screen's decision on this message
	hit     bool          // the risk screen answered this message: the flow adds nothing it did not ask for
	entered bool          // this message started crisis mode
	again   bool          // crisis mode: the risk screen answered this message again, briefly
	ws      [][2]string   // the message's words as textnorm reads them (words())
	// sighting: the message describes a child seen (a tipster's words), outside a report
	sighting bool
	placed   bool // this message gave the youth's place (noteGiven)
	replies  []tipline.Reply
	effects  []Effect
}

func (e *Engine) newTurn(st State, in Input, now time.Time) *turn {
	st.Options = append([]string(nil), st.Options...)
	st.More = append([]string(nil), st.More...)
	st.Data = cloneMap(st.Data)
	if st.Crisis != nil {
		c := *st.Crisis
		st.Crisis = &c
	}
	return &turn{e: e, st: st, in: in, now: now, norm: Normalize(in.Text)}
}

func (t *turn) output() Output {
	return Output{State: t.st, Replies: t.replies, Effects: t.effects}
}

// expire restarts a flow that waited longer than the timeout, silently.
func (t *turn) expire() {
	if t.st.Waiting.IsZero() || t.e.Timeout <= 0 || t.now.Sub(t.st.Waiting) <= t.e.Timeout {
		return
	}
	if t.st.Flow == FlowReport {
		t.effects = append(t.effects, reportHook().Abandon(t.st, t.now)...)
	}
	t.reset()
	t.st.Data = nil // a place or age given goes with the flow's expiry
}

// reset leaves any flow: only the language, the country, crisis mode and
// what the youth said of themselves (kept: their place and age) are kept
// (crisis mode ends on the youth's MENU: leaveCrisis).
func (t *turn) reset() {
	t.st = State{Lang: t.st.Lang, Country: t.st.Country, Crisis: t.st.Crisis, Data: keptData(t.st.Data)}
}

// leaveCrisis ends crisis mode on the youth's word (MENU, START, "start
// over").
func (t *turn) leaveCrisis() { t.st.Crisis = nil }

// flow runs the current flow's step, or the start of a conversation.
func (t *turn) flow() {
	if t.st.Flow == FlowReport {
		reportHook().Step(t)
		return
	}
	t.noteGiven()
	if v, ok := t.choice(); ok && t.command(v) {
		return
	}
	if t.st.Flow == FlowHelp {
		t.helpStep()
		return
	}
	t.startStep()
}

// lang is the conversation's language, English until known.
func (t *turn) lang() string {
	if t.st.Lang != "" {
		return t.st.Lang
	}
	return "en"
}

// text is a catalogue message in the conversation's language.
func (t *turn) text(key string, args ...string) string {
	return messages.Text(t.lang(), key, args...)
}

// say queues a reply. When it offers options, their values are what a
// numbered SMS answer maps to, and the conversation starts waiting.
func (t *turn) say(r tipline.Reply) {
	r.Text = ensureNeutral(r.Text, t.lang())
	t.replies = append(t.replies, r)
	if len(r.Options) > 0 || r.AskLocation {
		t.st.Options = t.st.Options[:0]
		for _, o := range r.Options {
			t.st.Options = append(t.st.Options, o.Value)
		}
		t.st.Waiting = t.now
	}
}

// effect queues a side effect.
func (t *turn) effect(kind EffectKind, detail string) {
	t.effects = append(t.effects, Effect{Kind: kind, Detail: detail})
}

// option builds an option whose label is a catalogue message.
func (t *turn) option(value, labelKey string) tipline.Option {
	return tipline.Option{Label: t.text(labelKey), Value: value}
}

// choice resolves the message into one of the values offered last: a
// pressed button, a number on SMS ("2"), or an option's label typed out.
func (t *turn) choice() (string, bool) {
	if t.in.Callback != "" {
		return t.in.Callback, true
	}
	if n, err := strconv.Atoi(t.norm); err == nil && n >= 1 && n <= len(t.st.Options) {
		return t.st.Options[n-1], true
	}
	for _, v := range t.st.Options {
		for _, lang := range Langs {
			if t.norm != "" && normText(lang, optionLabelKey(v)) == t.norm {
				return v, true
			}
		}
	}
	return "", false
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
