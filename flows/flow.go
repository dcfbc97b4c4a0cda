// Package flows is Tipline's conversation logic: the keyword layer, the
// danger screen, the youth-help flow and the sighting-report flow. It is
// pure: (state, input, clock) in; (new state, replies, effects) out. It does
// no I/O and imports no package that does.
package flows

import (
	"encoding/json"
	"fmt"
	"time"

	"tipline"
	"tipline/risk"
)

// State is what a conversation remembers between turns. The bot stores it
// as JSON on the conversation row.
type State struct {
	Lang    string            `json:"lang,omitempty"`    // en, es, fr; "" until known
	Country string            `json:"country,omitempty"` // ISO alpha-2 once known
	Flow    string            `json:"flow,omitempty"`    // "", "help", "report"
	Step    string            `json:"step,omitempty"`    // step within Flow
	Options []string          `json:"options,omitempty"` // values offered last, for numbered SMS answers
	Data    map[string]string `json:"data,omitempty"`    // answers collected so far
	Waiting time.Time         `json:"waiting,omitempty"` // when the flow started waiting for an answer
	More    []string          `json:"more,omitempty"`    // SMS pages not yet sent, released one per MORE
	Crisis  *Crisis           `json:"crisis,omitempty"`  // crisis mode (crisis.go); nil when not in it
}

// DecodeState reads a conversation's saved state (JSON); an empty one is
// the zero State. A damaged one is an error: the caller starts afresh.
func DecodeState(raw []byte) (State, error) {
	var st State
	if len(raw) == 0 {
		return st, nil
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return State{}, fmt.Errorf("flows: state unreadable: %w", err)
	}
	return st, nil
}

// The flows a conversation can be in (State.Flow).
const (
	FlowNone   = ""       // no flow: the start menu and language choice live here
	FlowHelp   = "help"   // youth help: need, place, answer
	FlowReport = "report" // sighting report, implemented by the files report*.go
)

// Input is one inbound message as the flows see it.
type Input struct {
	Channel    tipline.Channel
	Text       string
	Callback   string
	Payload    string
	Location   *tipline.Location
	MediaCount int
	Country    string       // provider country hint (Twilio FromCountry)
	LangHint   string       // Telegram language_code
	OptedOut   bool         // the contact has sent STOP and not START
	Claimed    bool         // staff have claimed this chat: only the danger screen answers
	Report     *ReportInput // cases, the sender's tips, media results (report*.go); nil when not loaded
	// Staffed reports whether a person from the team can write now in a
	// language (someone on shift within STAFF_HOURS); nil means nobody.
	// It is asked only when a reply depends on it.
	Staffed func(lang string) bool
	// ReleasedAt is when staff last released the chat (zero: never); a
	// release since the last risk outcome ends crisis mode.
	ReleasedAt time.Time
}

// EffectKind names a side effect the bot applies in the same transaction.
type EffectKind string

// The effects a step may ask for.
const (
	EffectOptOut   EffectKind = "opt_out"   // record STOP for the contact
	EffectOptIn    EffectKind = "opt_in"    // record START
	EffectDelete   EffectKind = "delete"    // erase the sender's data (DESIGN rule 6), after the replies are queued
	EffectHighRisk EffectKind = "high_risk" // flag the conversation; Detail is "level:category"; Risk holds the decision
	EffectPage     EffectKind = "page"      // page staff; Detail is the reason
	EffectTip      EffectKind = "tip"       // create or update the tip; Detail is the operation (Tip*), Tip the draft
	EffectPerson   EffectKind = "person"    // the sender asked for a person: the chat waits in the staff queue
)

// Effect is one side effect of a step.
type Effect struct {
	Kind   EffectKind     `json:"kind"`
	Detail string         `json:"detail,omitempty"`
	Tip    *Tip           `json:"tip,omitempty"`
	Lang   string         `json:"lang,omitempty"` // language of the message that caused it (risk metrics)
	Risk   *risk.Decision `json:"risk,omitempty"` // EffectHighRisk: the risk screen's decision, stored with its reasons
}

// Output is the result of one step.
type Output struct {
	State   State
	Replies []tipline.Reply
	Effects []Effect
}
