package risk

import (
	"slices"

	"tipline/risk/textnorm"
)

// Addresses, cross streets and place names: a young person asked where
// they are answers "5th ave and main" or "by the subway", and none of it
// is a disclosure.

// placeWords are the concepts that say where, when or who is talking and
// nothing of what happened: a message with these alone is an address, a
// cross street or a time ("im at main and 5th", "by the subway"), which
// a young person sends when asked where they are; the classifier alone
// raises it only when nearly sure (modelBare).
var placeWords = []string{"at", "by", "be", "i", "me", "my", "you", "our", "for", "have",
	"outplace", "outside", "isoutside", "now", "night", "school", "home", "other", "streetsfx"}

// placeMaxWords is the longest message read as a place alone: an answer
// to "where are you?" is short, while a longer message of place words
// ("im 16 and staying in the park, its getting really cold") may say what
// happened in words no concept holds.
const placeMaxWords = 8

// wordCount counts the words of toks (clause breaks aside).
func wordCount(toks []textnorm.Token) int {
	n := 0
	for _, t := range toks {
		if t.Text != textnorm.Break {
			n++
		}
	}
	return n
}

// placeOnly reports whether seen holds some concept and only place, time
// and grammar concepts (literal-word, negation and negation-skip
// concepts aside).
func (e *engine) placeOnly(seen *cset) bool {
	found := false
	for _, id := range e.informative(seen.ids()) {
		if id == e.negID {
			continue
		}
		if !slices.Contains(placeWords, e.reg.names[id]) {
			return false
		}
		found = true
	}
	return found
}

// featured reports whether the concepts that language code reads in a
// message detected as lang (with code's marker score) become classifier
// features: the message's own language, any other with some marker
// evidence, and every language when no marker is present at all. A
// language read only because the detection was weak keeps its rules but
// not its single-concept features: English "5th ave and main" must not
// carry French "main" (a hand, a belt in the abuse words) to the
// classifier.
func featured(code, lang string, score float64) bool {
	return lang == "" || code == lang || score > 0
}

// nameWords is how many words before a street suffix ("gun barrel city",
// "main st") are read as the street's name, not as what they mean.
const nameWords = 2

// unname clears the concepts of the words before a street suffix
// (streetsfx in concepts.tsv), within the clause: "Gun Barrel City",
// "Hurt Rd" and "Main St" are addresses, not a weapon, harm or a hand.
func (e *engine) unname(m *message) {
	for i := range m.sets {
		if !m.sets[i].has(e.sfxID) {
			continue
		}
		for k := 1; k <= nameWords && i-k >= 0 && !m.brk[i-k]; k++ {
			m.sets[i-k] = cset{}
		}
	}
}
