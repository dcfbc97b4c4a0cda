// Package risk is Tipline's risk screen: it reads one message and decides
// whether the sender is in danger, shows cause for concern, or neither, and
// why. It is pure (no I/O, no clock, no randomness): the same text always
// gives the same Decision. The turn calls Screen once per inbound message,
// before any keyword or flow (docs/design.md, the risk screen).
//
// Layers: normalisation (look-alike letters, hidden characters, slang and
// contractions per language), concepts and rules (who did what to whom,
// with negation), and a linear classifier over hashed word and character
// n-grams whose weights are compiled into the binary. Either layer may
// escalate; every Decision carries the reasons behind it.
package risk

// Level is how serious a message is.
type Level uint8

// The levels, from least to most serious.
const (
	None    Level = iota // no risk seen: the ordinary flow answers
	Concern              // fear or safety cues, no act disclosed: a discreet check-in
	Danger               // an act, threat or emergency disclosed: 911 first
)

// String returns "none", "concern" or "danger".
func (l Level) String() string {
	switch l {
	case Concern:
		return "concern"
	case Danger:
		return "danger"
	}
	return "none"
}

// Category is what a message discloses; it decides which line the reply gives.
type Category string

// The categories, in the order a reply ranks them when several apply.
const (
	Imminent    Category = "imminent"    // violence or threats now, a weapon, being followed or held right now
	SelfHarm    Category = "selfharm"    // suicide, self-harm, wanting to die
	Medical     Category = "medical"     // overdose, bleeding, unconscious, cannot breathe
	Trafficking Category = "trafficking" // forced work, debt, papers, phone or money taken, being sold or moved
	Sexual      Category = "sexual"      // sexual exploitation or violence: sex for something, pimping, rape
	Sextortion  Category = "sextortion"  // images of them taken, shared or threatened
	Abuse       Category = "abuse"       // abuse by a parent, relative or caregiver
	PutOut      Category = "putout"      // thrown out of home, ran away, sleeping outside
)

// Categories lists every category in rank order.
var Categories = []Category{Imminent, SelfHarm, Medical, Trafficking, Sexual, Sextortion, Abuse, PutOut}

// Reason is one piece of evidence behind a Decision. It may quote the
// normalised words of the message: show it to staff, never log it.
type Reason struct {
	Layer    string   `json:"layer"`              // "rule" or "model"
	Rule     string   `json:"rule,omitempty"`     // rule id, e.g. "en.harm_by_person"
	Concepts []string `json:"concepts,omitempty"` // concepts the rule combined, e.g. ["person", "harm", "me"]
	Evidence string   `json:"evidence,omitempty"` // the normalised words that matched, or a model feature
	Weight   float64  `json:"weight,omitempty"`   // model: the feature's contribution
}

// Decision is the screen's verdict on one message.
type Decision struct {
	Level      Level      `json:"level"`
	Categories []Category `json:"categories,omitempty"` // what was disclosed, most fitting first; empty for None
	Lang       string     `json:"lang,omitempty"`       // "en", "es" or "fr" as read from the text; "" when it cannot tell
	Score      float64    `json:"score"`                // the classifier's probability that this is danger
	Reasons    []Reason   `json:"reasons,omitempty"`
	excused    bool       // no rule fired danger, but an exception cancelled a danger rule's match
	placeOnly  bool       // the message's concepts are places, times and grammar words only
}

// Excused reports whether the rules found the words of a danger rule and
// an exception (hyperbole, a game, a mishap) cancelled every such match,
// no other rule firing: the classifier then needs to be surer to raise it.
func (d Decision) Excused() bool { return d.excused }

// PlaceOnly reports whether the message's concepts are places, times and
// grammar words only (an address, a cross street, a time): the classifier
// alone then needs to be nearly sure (risk/cmd/tune reads it).
func (d Decision) PlaceOnly() bool { return d.placeOnly }

// Category is the decision's main category, "" for None.
func (d Decision) Category() Category {
	if len(d.Categories) == 0 {
		return ""
	}
	return d.Categories[0]
}
