package flows

import (
	"strconv"
	"strings"
	"time"

	"tipline"
)

func init() { reportFlow = sightings{} }

// sightings is the sighting-report flow (DESIGN.md section 3): which case,
// in danger now, when, where, what, photos, may staff write back, contact
// details, a summary to send, change or discard, then the tip ID. It is
// confidential, never anonymous, and never uses an opt-out word as a
// command.
type sightings struct{}

// Steps of FlowReport (State.Step), in the order they are asked.
const (
	stepCase     = "case"      // which case: number, name or skip
	stepCasePick = "case_pick" // choosing among cases whose name matched
	stepDanger   = "danger"    // is the child in danger right now
	stepWhen     = "when"      // when they saw the child
	stepPlace    = "place"     // where
	stepWhat     = "what"      // what they saw
	stepPhotos   = "photos"    // photos, optional
	stepFollow   = "follow"    // may staff write back
	stepContact  = "contact"   // contact details, optional
	stepSummary  = "summary"   // send, change or discard
	stepEdit     = "edit"      // which answer to change
	stepFollowUp = "followup"  // after the tip: messages land on it
)

// askOrder is the order of the questions.
var askOrder = []string{stepCase, stepDanger, stepWhen, stepPlace, stepWhat, stepPhotos, stepFollow, stepContact, stepSummary}

// Limits of what a tipster may send (abuse limits and sane records).
const (
	maxCaseText    = 100
	maxWhenText    = 200
	maxPlaceText   = 500
	maxDescText    = 2000
	maxContactText = 300
	maxAppendText  = 2000
	maxPhotos      = 5
	reportsPerHour = 5 // new reports a sender may start in an hour
)

// report is a turn of the report flow, with the report input at hand.
type report struct {
	*turn
	ri     *ReportInput
	dirty  bool   // the draft changed: save it
	op     string // TipDraft, or TipSubmit once confirmed
	page   bool   // page staff: the child is in danger now
	photos int    // photos accepted in this message
	redact bool   // this message holds contact details
}

func newReport(t *turn) *report {
	ri := t.in.Report
	if ri == nil {
		ri = &ReportInput{}
	}
	if t.st.Data == nil {
		t.st.Data = map[string]string{}
	}
	return &report{turn: t, ri: ri, op: TipDraft}
}

// Start enters the flow for a command: a new report (menu, REPORT, SEEN,
// a deep link), ADD or STATUS.
func (sightings) Start(t *turn, cmd ReportCommand) {
	r := newReport(t)
	r.settleLang()
	switch cmd.Kind {
	case ActStatus:
		r.status(cmd.Arg)
	case ActAdd:
		r.leaveDraft()
		r.add(cmd.Arg)
	default:
		r.leaveDraft()
		r.begin(cmd)
	}
	r.finish()
}

// Step answers the question the conversation is waiting on.
func (sightings) Step(t *turn) {
	r := newReport(t)
	if t.inDanger() && r.st.Step != stepFollowUp {
		r.set(TipKeyUrgent, "1") // the engine already answered and paged
	}
	if r.st.Step != stepFollowUp && r.takePhotos() && strings.TrimSpace(r.in.Text) == "" {
		r.ask(r.st.Step)
		r.finish()
		return
	}
	r.answer()
	r.finish()
}

// Abandon keeps a draft that was given up as an incomplete tip.
func (sightings) Abandon(st State, now time.Time) []Effect {
	if st.Flow != FlowReport || st.Step == stepFollowUp || st.Data[TipKeyCode] == "" {
		return nil
	}
	tip := snapshot(st)
	tip.At = now.UTC()
	return []Effect{{Kind: EffectTip, Detail: TipAbandon, Tip: tip}}
}

// settleLang takes the language of a report's first message, else
// Telegram's hint, else English: a deep link must not be lost to a
// language question.
func (r *report) settleLang() {
	if r.st.Lang != "" {
		return
	}
	r.st.Lang = "en"
	if l := DetectLanguage(r.in.Text); l != "" {
		r.st.Lang = l
	} else if l := hintLanguage(r.in.LangHint); l != "" {
		r.st.Lang = l
	}
}

// leaveDraft keeps a draft in progress as an incomplete tip before another
// report command starts afresh.
func (r *report) leaveDraft() {
	if r.st.Flow == FlowReport {
		r.effects = append(r.effects, reportHook().Abandon(r.st, r.now)...)
	}
	r.reset()
	r.st.Data = map[string]string{}
}

// begin starts a new report, unless the sender started too many lately.
func (r *report) begin(cmd ReportCommand) {
	if r.tooMany() {
		r.say(tipline.Reply{Text: r.text("rpt.too_many", "emergency", r.emergency())})
		r.reset()
		return
	}
	r.st.Flow = FlowReport
	if r.inDanger() {
		r.set(TipKeyUrgent, "1") // a sighting described in danger: the engine answered and paged
	}
	r.say(tipline.Reply{Text: r.text("rpt.intro")})
	switch {
	case cmd.Kind == ReportDeepLink:
		if c, ok := r.caseByID(cmd.Arg); ok {
			r.setCase(c)
			return
		}
		r.caseNotFound()
	case cmd.Arg != "":
		r.caseAnswer(cmd.Arg)
	default:
		r.ask(stepCase)
	}
}

// tooMany reports whether the sender started reportsPerHour reports in
// the last hour (abuse limit).
func (r *report) tooMany() bool {
	n := 0
	for _, tip := range r.ri.Tips {
		if r.now.Sub(tip.CreatedAt) < time.Hour {
			n++
		}
	}
	return n >= reportsPerHour
}

// set changes a draft field.
func (r *report) set(key, value string) {
	if r.st.Data[key] != value {
		r.st.Data[key] = value
		r.dirty = true
	}
}

// ensureDraft gives the draft its tip ID, once.
func (r *report) ensureDraft() {
	if r.st.Data[TipKeyCode] == "" && r.ri.NewCode != "" {
		r.set(TipKeyCode, r.ri.NewCode)
		r.set(TipKeyLang, r.lang())
	}
}

// finish queues the effects of the turn: the draft (or the submitted tip)
// first, then the photos, then the page, so the bot knows the tip each
// belongs to.
func (r *report) finish() {
	code := r.st.Data[TipKeyCode]
	if r.dirty && code != "" && r.st.Flow == FlowReport {
		tip := snapshot(r.st)
		if r.op == TipSubmit {
			tip.At = r.now.UTC()
		}
		tip.Redact = r.redact
		r.effects = append(r.effects, Effect{Kind: EffectTip, Detail: r.op, Tip: tip})
	}
	if r.photos > 0 && code != "" {
		r.effects = append(r.effects, Effect{Kind: EffectTip, Detail: TipMedia,
			Tip: &Tip{Code: code, Count: r.photos}})
	}
	if r.page {
		r.effects = append(r.effects, Effect{Kind: EffectPage, Detail: "urgent_tip"})
	}
}

// snapshot is the draft as the bot stores it: every tip field of the state.
func snapshot(st State) *Tip {
	d := st.Data
	tip := &Tip{Code: d[TipKeyCode], Case: d[TipKeyCase], CaseText: d[TipKeyCaseText], Urgent: d[TipKeyUrgent] == "1",
		SeenText: d[TipKeySeenText], Place: d[TipKeyPlace], Desc: d[TipKeyDesc], NoFollowUp: d[TipKeyFollow] == "no",
		Contact: d[TipKeyContact], Lang: d[TipKeyLang]}
	if at, ok := parseStamp(d[TipKeySeenAt]); ok {
		tip.SeenAt = &at
	}
	tip.Lat, tip.Lon = parseCoord(d[TipKeyLat]), parseCoord(d[TipKeyLon])
	return tip
}

// parseCoord reads a coordinate kept in the state; nil when there is none.
func parseCoord(s string) *float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil
	}
	return &v
}

// next asks the question after step, or shows the summary again when the
// answer was a change chosen from it.
func (r *report) next(step string) {
	if r.st.Data[tipKeyEdit] == "1" {
		delete(r.st.Data, tipKeyEdit)
		r.ask(stepSummary)
		return
	}
	for i, s := range askOrder {
		if s == step && i+1 < len(askOrder) {
			r.ask(askOrder[i+1])
			return
		}
	}
	r.ask(stepSummary)
}

// fits reports whether text is between 2 and max characters once trimmed.
func fits(text string, max int) bool {
	n := len([]rune(strings.TrimSpace(text)))
	return n >= 2 && n <= max
}

// clip shortens text to max characters, with an ellipsis when cut.
func clip(text string, max int) string {
	r := []rune(strings.TrimSpace(text))
	if len(r) <= max {
		return string(r)
	}
	return strings.TrimSpace(string(r[:max-3])) + "..."
}
