package flows

import (
	"strings"

	"tipline/risk/textnorm"
)

// intent is something a message asks of the bot itself, whatever step the
// conversation is in: a person, ways to get help without calling, or a
// thank-you (data/intents.json).
type intent string

// The intents, in the order they are tried.
const (
	intentNone     intent = ""
	intentCantCall intent = "cant_call" // "i cant call, he checks my phone"
	intentPerson   intent = "person"    // "are you a real person", "¿eres una persona?"
	intentThanks   intent = "thanks"    // "thanks", "gracias", "merci" (the whole message)
)

// intentOrder is the order intents are tried in: "i cant talk to a
// person rn" is about calling first.
var intentOrder = []intent{intentCantCall, intentPerson, intentThanks}

// intentFile is data/intents.json: per intent and language, patterns over
// the words of a message as the risk screen's normalisation reads them
// (package textnorm: accents and case folded, elisions and contractions
// split, stretched letters shortened).
type intentFile struct {
	Patterns map[intent]byLang `json:"patterns"`
	Filler   byLang            `json:"filler"`
}

// A pattern is words separated by spaces. A word may list alternatives
// ("talk|speak"); a trailing "?" makes it optional ("a?"); "~" skips up to
// three words; "^" and "$" anchor it to the start and end of the message
// (filler words aside). Patterns match anywhere unless anchored.
type pattern struct {
	slots      []slot
	start, end bool
	lang       string
}

type slot struct {
	alts     map[string]bool
	optional bool
	gap      bool
}

// compiledIntents are data/intents.json compiled, per intent.
var (
	intentData      = mustJSON[intentFile]("intents.json")
	compiledIntents = compileIntents(intentData)
	fillerWords     = fillerSet(intentData)
)

func compileIntents(f intentFile) map[intent][]pattern {
	out := map[intent][]pattern{}
	for _, in := range intentOrder {
		for _, lang := range Langs {
			for _, src := range f.Patterns[in][lang] {
				out[in] = append(out[in], compilePattern(src, lang))
			}
		}
	}
	return out
}

func compilePattern(src, lang string) pattern {
	p := pattern{lang: lang}
	for _, w := range strings.Fields(src) {
		switch {
		case w == "^":
			p.start = true
		case w == "$":
			p.end = true
		case w == "~":
			p.slots = append(p.slots, slot{gap: true})
		default:
			s := slot{alts: map[string]bool{}, optional: strings.HasSuffix(w, "?")}
			for _, a := range strings.Split(strings.TrimSuffix(w, "?"), "|") {
				s.alts[a] = true
			}
			p.slots = append(p.slots, s)
		}
	}
	return p
}

func fillerSet(f intentFile) map[string]bool {
	m := map[string]bool{}
	for _, l := range Langs {
		for _, w := range f.Filler[l] {
			m[w] = true
		}
	}
	return m
}

// intentWords are a message's words for intent matching: textnorm's
// tokens, clause breaks dropped; each word with its second reading.
func intentWords(text string) [][2]string {
	var out [][2]string
	for _, t := range textnorm.Tokens(text) {
		if t.Text != textnorm.Break {
			out = append(out, [2]string{t.Text, t.Alt})
		}
	}
	return out
}

// detectIntent finds what a message asks of the bot, and the language of
// the pattern that matched.
func detectIntent(text string) (intent, string) {
	words := intentWords(text)
	if len(words) == 0 || len(words) > 40 {
		return intentNone, ""
	}
	trimmed := trimFiller(words)
	for _, in := range intentOrder {
		for _, p := range compiledIntents[in] {
			ws := words
			if p.start || p.end {
				ws = trimmed
			}
			if p.matches(ws) {
				return in, p.lang
			}
		}
	}
	return intentNone, ""
}

// trimFiller drops filler words ("ok", "so", "lol", emoji) from both ends.
func trimFiller(ws [][2]string) [][2]string {
	for len(ws) > 0 && filler(ws[0][0]) {
		ws = ws[1:]
	}
	for len(ws) > 0 && filler(ws[len(ws)-1][0]) {
		ws = ws[:len(ws)-1]
	}
	return ws
}

// filler reports whether a word says nothing by itself: "ok", "lol", an emoji.
func filler(w string) bool { return fillerWords[w] || strings.HasPrefix(w, "emo_") }

// matches reports whether p matches ws.
func (p pattern) matches(ws [][2]string) bool {
	for i := 0; i <= len(ws); i++ {
		if p.start && i > 0 {
			return false
		}
		if end, ok := p.from(0, ws, i); ok && (!p.end || end == len(ws)) {
			return true
		}
	}
	return false
}

// from matches slots[k:] against ws from position i; it returns where the
// match ends. Optional words and gaps are tried greedily with backtracking.
func (p pattern) from(k int, ws [][2]string, i int) (int, bool) {
	if k == len(p.slots) {
		return i, true
	}
	s := p.slots[k]
	if s.gap {
		for skip := 0; skip <= 3 && i+skip <= len(ws); skip++ {
			if end, ok := p.from(k+1, ws, i+skip); ok && (!p.end || end == len(ws)) {
				return end, true
			}
		}
		return 0, false
	}
	if i < len(ws) && (s.alts[ws[i][0]] || ws[i][1] != "" && s.alts[ws[i][1]]) {
		if end, ok := p.from(k+1, ws, i+1); ok && (!p.end || end == len(ws)) {
			return end, true
		}
	}
	if s.optional {
		return p.from(k+1, ws, i)
	}
	return 0, false
}
