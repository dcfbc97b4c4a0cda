package flows

import (
	"strings"

	"tipline"
	"tipline/risk"
)

// stepWho waits for the answer to the neutral question: is this for you,
// or about someone you saw?
const stepWho = "who"

// State.Data keys kept while the neutral question waits: the need named
// in the message (used if the answer is "for me") and the message itself
// (the start of the description if it is "someone I saw").
const (
	dataPending     = "pending_need"
	dataPendingText = "pending_text"
)

// tipKeyDescFirst marks a report description that began as the tipster's
// first message: the answer to "What did you see?" is added to it.
const tipKeyDescFirst = "desc_first"

// choiceFile is data/choices.json: free text read as a start-menu choice,
// as the answer to the neutral question, or as a sighting.
type choiceFile struct {
	Patterns map[string]byLang `json:"patterns"`
}

// The pattern sets of choices.json that are not option values.
const (
	choiceReport   = "report"   // explicit words for reporting a sighting
	choiceSighting = "sighting" // a description of a child seen
	choiceMedia    = "media"    // seen on a screen or in class: not a sighting
	choiceSelf     = "self"     // the sender speaks of themselves
)

var choicePatterns = compileChoices(mustJSON[choiceFile]("choices.json"))

func compileChoices(f choiceFile) map[string][]pattern {
	out := map[string][]pattern{}
	for name, byL := range f.Patterns {
		for _, lang := range Langs {
			for _, src := range byL[lang] {
				out[name] = append(out[name], compilePattern(src, lang))
			}
		}
	}
	return out
}

// says reports whether the message matches the pattern set name of
// choices.json.
func (t *turn) says(name string) bool {
	ws := t.words()
	if len(ws) == 0 || len(ws) > 80 {
		return false
	}
	trimmed := trimFiller(ws)
	for _, p := range choicePatterns[name] {
		w := ws
		if p.start || p.end {
			w = trimmed
		}
		if p.matches(w) {
			return true
		}
	}
	return false
}

// readsAsSighting reports whether a message outside a report describes a
// child seen or asks to report one: a tipster's words, which are never
// answered with the lines for a youth in danger nor start crisis mode, and
// never take a youth's place from the text. Where the risk screen found
// something, safety comes first: a sighting that also speaks of the sender
// ("he hit me") and report words alone ("quiero denunciar a mi padrastro")
// stay the youth's.
func (t *turn) readsAsSighting(d risk.Decision) bool {
	if t.st.Flow == FlowReport || t.st.Crisis != nil || t.in.Callback != "" || t.in.Text == "" {
		return false
	}
	if t.says(choiceSighting) && !t.says(choiceMedia) {
		return d.Level == risk.None || !t.says(choiceSelf)
	}
	return d.Level == risk.None && t.says(choiceReport)
}

// needIn finds a need named in the message: in its words as flows and as
// the risk screen normalise them ("hungryyy", "j'ai faim").
func (t *turn) needIn() string {
	if n := matchNeed(t.norm, t.lang()); n != "" {
		return n
	}
	var ws, alts []string
	for _, w := range t.words() {
		ws = append(ws, w[0])
		alts = append(alts, w[0])
		if w[1] != "" {
			alts[len(alts)-1] = w[1] // "hungryy" read as "hungry"
		}
	}
	if n := matchNeed(strings.Join(ws, " "), t.lang()); n != "" {
		return n
	}
	return matchNeed(strings.Join(alts, " "), t.lang())
}

// classify answers free text outside any flow (a first message, or words
// typed at the start menu): report words or a description of a child seen
// start a report, unless the message also asks for help for the sender
// ("i need", "j'ai besoin", "para mí"), when the neutral question decides
// (need words alone do not count: "ce soir", "seule" describe the child
// too); a need
// (with a place, answered at once), a place alone, help for oneself typed
// at the menu, or a language change is the youth's choice; anything else
// gets the menu, itself the neutral question.
func (t *turn) classify() {
	need := t.needIn()
	self := t.says("start:help")
	switch {
	case t.sighting && self:
		t.askWho(need)
	case t.sighting:
		t.startReport(t.in.Text)
	case t.says("start:language"): // before needs: "other language" is no need
		t.askLanguage()
	case need != "":
		t.setNeed(need)
	case t.placed, self && t.st.Step == stepMenu:
		t.askNeed() // a first "i need help" gets the menu: it may be a tipster's
	default:
		t.menu()
	}
}

// askWho asks the neutral question: a first message that could be a
// youth's or a tipster's. Its words name neither.
func (t *turn) askWho(need string) {
	text := t.in.Text
	t.reset()
	if need != "" {
		t.setData(dataPending, need)
	}
	if t.sighting && fits(text, maxDescText) {
		t.setData(dataPendingText, strings.TrimSpace(text))
	}
	t.st.Step = stepWho
	t.say(tipline.Reply{Text: t.text("who.ask"), Options: []tipline.Option{
		t.option("who:me", "who.me"), t.option("who:seen", "who.seen")}})
}

// who handles the answer to the neutral question.
func (t *turn) who(arg string) bool {
	need, text := t.st.Data[dataPending], t.st.Data[dataPendingText]
	switch arg {
	case "me":
		delete(t.st.Data, dataPending)
		delete(t.st.Data, dataPendingText)
		if need != "" {
			t.setNeed(need)
		} else {
			t.askNeed()
		}
	case "seen":
		t.startReport(text)
	default:
		return false
	}
	return true
}

// whoText reads a typed answer to the neutral question.
func (t *turn) whoText() bool {
	switch {
	case t.says("who:seen"):
		return t.who("seen")
	case t.says("who:me"):
		return t.who("me")
	}
	return false
}

// startReport starts a sighting report, as the menu's "Report a sighting".
// A sighting described in words (the message, or the one the neutral
// question was about) is the start of the report's description: the answer
// to "What did you see?" is added to it.
func (t *turn) startReport(described string) {
	reportHook().Start(t, ReportCommand{Kind: ActReport})
	if described != "" && t.st.Flow == FlowReport && t.st.Data != nil && fits(described, maxDescText) {
		t.st.Data[TipKeyDesc] = strings.TrimSpace(described)
		t.st.Data[tipKeyDescFirst] = "1"
	}
}
