package flows

import (
	"time"

	"tipline"
)

// ReportDeepLink is the ReportCommand kind of a Telegram /start case_<id>
// deep link (a poster's QR code); Arg is the case link id.
const ReportDeepLink Action = "deep_link"

// ReportCommand is how the sighting-report flow is entered: the start
// menu's "Report a sighting" (ActReport, no Arg), REPORT/SEEN <case>,
// ADD/STATUS <tip ID>, or a deep link. Arg is the word after the keyword,
// uppercased, or the deep link's id.
type ReportCommand struct {
	Kind Action
	Arg  string
}

// ReportFlow is the hook the sighting-report flow implements, in files
// named report*.go of this package, registering itself from an init
// function: func init() { reportFlow = sightings{} }.
//
// The engine calls Start for a ReportCommand (after the danger screen and
// with any other flow already left), Step for every message while
// State.Flow is FlowReport (a message that hit the danger screen too: the
// danger answer is already queued and t.hit is set), and Abandon when a
// draft is given up: expired after FLOW_TIMEOUT, STOP, MENU, another
// command. Abandon returns the effects that keep the draft as an
// incomplete tip (DESIGN.md rule 7); DELETE never calls it.
//
// Inside Start and Step, the turn's helpers do the work: t.st is the state
// to change (set Flow = FlowReport and Step), t.in the message, t.norm its
// normalised text, t.choice() resolves a button or SMS number against the
// options offered last, t.text(key, args...) reads catalog/<lang>/report.json,
// t.say(reply) queues a reply (options make the conversation wait),
// t.sendBlocks pages long texts on SMS, t.effect/t.effects add effects,
// t.emergency() is the emergency number, t.menu() returns to the start.
// Never use STOP, CANCEL, END or QUIT as commands: they are opt-out words.
type ReportFlow interface {
	Start(t *turn, cmd ReportCommand)
	Step(t *turn)
	Abandon(st State, now time.Time) []Effect
}

// reportFlow is the registered sighting-report flow; nil until one is.
var reportFlow ReportFlow

// reportHook returns the registered report flow, or the stand-in that says
// reporting is not available yet.
func reportHook() ReportFlow {
	if reportFlow != nil {
		return reportFlow
	}
	return noReports{}
}

// noReports stands in for the report flow until it exists.
type noReports struct{}

// Start says that reporting is not available yet, with the emergency number.
func (noReports) Start(t *turn, _ ReportCommand) {
	t.reset()
	if t.st.Lang == "" && !t.settleLanguage() {
		return
	}
	t.say(tipline.Reply{Text: t.text("hook.report_unavailable", "emergency", t.emergency())})
}

// Step cannot be reached (no flow is ever FlowReport); it restarts.
func (noReports) Step(t *turn) {
	t.reset()
	t.startStep()
}

// Abandon keeps whatever a draft held as an incomplete tip.
func (noReports) Abandon(st State, _ time.Time) []Effect {
	return []Effect{{Kind: EffectTip, Detail: "incomplete", Tip: snapshot(st)}}
}
