package correlate

import (
	_ "embed"
	"fmt"
	"strings"

	"tipline/risk/textnorm"
)

//go:embed data/terms.tsv
var termsTSV string

//go:embed data/colours.tsv
var coloursTSV string

// Langs are the languages the term data covers, in column order.
var Langs = []string{"en", "es", "fr"}

// kind is what a term says about a sighting.
type kind string

const (
	kColour     kind = "colour"
	kHairColour kind = "haircolour"
	kItem       kind = "item"
	kHair       kind = "hair"
	kVehicle    kind = "vehicle"
	kChild      kind = "child"
	kAdult      kind = "adult"
	kAgeWord    kind = "ageword"
	kAgePre     kind = "agepre"
	kTeen       kind = "teen"
	kSkip       kind = "skip"
	kStop       kind = "stop"
)

// entry is one meaning of a term in one language.
type entry struct {
	kind    kind
	concept string
	lang    int // index in Langs
}

// lexicon maps a folded term (words joined by one space) to its meanings.
type lexicon struct {
	terms   map[string][]entry
	maxLen  int // the most words in one term
	colours map[string]bool
}

var (
	lex       = mustLexicon(termsTSV)
	nearPairs = parseNear(coloursTSV)
)

// parseNear reads data/colours.tsv into a symmetric relation.
func parseNear(src string) map[[2]string]bool {
	out := map[[2]string]bool{}
	for _, line := range strings.Split(src, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		c, list, _ := strings.Cut(line, "\t")
		for _, d := range strings.Split(list, ",") {
			out[[2]string{c, d}], out[[2]string{d, c}] = true, true
		}
	}
	return out
}

// nearColours reports whether two colour sets have near colours.
func nearColours(a, b map[string]bool) bool {
	for x := range a {
		for y := range b {
			if nearPairs[[2]string{x, y}] {
				return true
			}
		}
	}
	return false
}

func mustLexicon(src string) *lexicon {
	l, err := parseLexicon(src)
	if err != nil {
		panic("correlate: " + err.Error())
	}
	return l
}

// parseLexicon reads data/terms.tsv.
func parseLexicon(src string) (*lexicon, error) {
	l := &lexicon{terms: map[string][]entry{}, colours: map[string]bool{}}
	for n, line := range strings.Split(src, "\n") {
		if line = strings.TrimRight(line, "\r"); line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 2+len(Langs) {
			return nil, fmt.Errorf("terms.tsv:%d: want %d columns, got %d", n+1, 2+len(Langs), len(cols))
		}
		k, concept := kind(cols[0]), cols[1]
		if k == kColour {
			l.colours[concept] = true
		}
		for li, cell := range cols[2:] {
			for _, term := range strings.Split(cell, ",") {
				if err := l.add(term, entry{kind: k, concept: concept, lang: li}); err != nil {
					return nil, fmt.Errorf("terms.tsv:%d: %w", n+1, err)
				}
			}
		}
	}
	return l, nil
}

// add files one term under its folded words.
func (l *lexicon) add(term string, e entry) error {
	words := fold(term)
	if len(words) == 0 {
		return fmt.Errorf("empty term in %s %s", e.kind, e.concept)
	}
	key := strings.Join(words, " ")
	l.terms[key] = append(l.terms[key], e)
	l.maxLen = max(l.maxLen, len(words))
	return nil
}

// fold cuts text into folded words, as messages are (sentence breaks
// dropped).
func fold(text string) []string {
	var out []string
	for _, t := range textnorm.Tokens(text) {
		out = append(out, t.Text)
	}
	return out
}

// lookup returns the meanings of words in lang (-1: any language).
func (l *lexicon) lookup(words []string, lang int) []entry {
	key := words[0] // one word, the common case, without building a key
	if len(words) > 1 {
		key = strings.Join(words, " ")
	}
	es := l.terms[key]
	if lang < 0 {
		return es
	}
	var out []entry
	for _, e := range es {
		if e.lang == lang {
			out = append(out, e)
		}
	}
	return out
}

// first returns the first meaning of kind k among es.
func first(es []entry, k kind) (entry, bool) {
	for _, e := range es {
		if e.kind == k {
			return e, true
		}
	}
	return entry{}, false
}
