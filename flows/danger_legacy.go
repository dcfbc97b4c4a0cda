package flows

import (
	"fmt"
	"strings"

	"tipline/risk"
)

// TRANSITIONAL: the old phrase screen (data/danger_legacy.json), kept only
// while the risk engine (package risk) is being built, so that a message
// the engine does not yet read is still answered. riskScreen asks the
// engine first; this file and its data are deleted once the engine lands.

// legacyCategory maps the old phrase categories onto the risk categories.
var legacyCategory = map[string]risk.Category{
	"danger": risk.Imminent, "held": risk.Trafficking, "selfharm": risk.SelfHarm,
	"medical": risk.Medical, "exploitation": risk.Sexual,
}

// legacyFile is data/danger_legacy.json.
type legacyFile struct {
	Order   []string          `json:"order"`
	Phrases map[string]byLang `json:"phrases"`
	Except  byLang            `json:"except"`
}

// legacyDecision is the old screen's verdict as a Decision: danger, or none.
func legacyDecision(norm string) risk.Decision {
	hit, ok := legacyScreen.match(words(norm))
	if !ok {
		return risk.Decision{}
	}
	d := risk.Decision{Level: risk.Danger, Lang: hit.Lang, Score: 1,
		Reasons: []risk.Reason{{Layer: "rule", Rule: "legacy." + hit.Category, Evidence: hit.Phrase}}}
	for _, c := range hit.Categories {
		d.Categories = append(d.Categories, legacyCategory[c])
	}
	return d
}

// legacyHit is the result of the old screen on one message.
type legacyHit struct {
	Category   string   // the first category hit, in data/danger_legacy.json order
	Categories []string // every category hit, in that order
	Lang       string   // language of the first phrase hit
	Phrase     string   // the normalised phrase that hit
}

// wildcard in a phrase matches 0 to maxGap words.
const (
	wildcard = "*"
	maxGap   = 2
)

// phrase is one compiled danger or exception phrase.
type phrase struct {
	words    []string
	category string // "" for an exception
	lang     string
	text     string
}

// screen is the compiled phrase list: phrases indexed by their first word.
type screen struct {
	order  []string
	rank   map[string]int
	first  map[string][]*phrase
	except map[string][]*phrase
}

// legacyScreen is compiled once from data/danger_legacy.json.
var legacyScreen = mustCompileScreen(mustJSON[legacyFile]("danger_legacy.json"))

func mustCompileScreen(f legacyFile) *screen {
	s, err := compileScreen(f)
	if err != nil {
		panic(err)
	}
	return s
}

// compileScreen normalises and indexes every phrase of f.
func compileScreen(f legacyFile) (*screen, error) {
	s := &screen{order: f.Order, rank: map[string]int{},
		first: map[string][]*phrase{}, except: map[string][]*phrase{}}
	for i, c := range f.Order {
		s.rank[c] = i
	}
	for cat, list := range f.Phrases {
		if _, ok := s.rank[cat]; !ok {
			return nil, fmt.Errorf("danger_legacy.json: category %q not in order", cat)
		}
		if err := s.add(s.first, list, cat); err != nil {
			return nil, err
		}
	}
	if err := s.add(s.except, f.Except, ""); err != nil {
		return nil, err
	}
	return s, nil
}

// add compiles the phrases of list into index.
func (s *screen) add(index map[string][]*phrase, list byLang, cat string) error {
	for lang, texts := range list {
		for _, t := range texts {
			w := words(Normalize(strings.ReplaceAll(t, wildcard, " zzwildzz ")))
			for i := range w {
				if w[i] == "zzwildzz" {
					w[i] = wildcard
				}
			}
			if len(w) == 0 || w[0] == wildcard || w[len(w)-1] == wildcard {
				return fmt.Errorf("danger_legacy.json: bad phrase %q", t)
			}
			p := &phrase{words: w, category: cat, lang: lang, text: strings.Join(w, " ")}
			index[w[0]] = append(index[w[0]], p)
		}
	}
	return nil
}

// match finds the hits in the words of a normalised message.
func (s *screen) match(w []string) (legacyHit, bool) {
	var hit legacyHit
	best := len(s.order)
	var seen uint64 // bit r: category of rank r was hit
	for i := range w {
		for _, p := range s.first[w[i]] {
			end, ok := matchAt(w, i, p.words)
			if !ok || s.excepted(w, i, end) {
				continue
			}
			r := s.rank[p.category]
			seen |= 1 << r
			if r < best {
				best = r
				hit.Category, hit.Lang, hit.Phrase = p.category, p.lang, p.text
			}
		}
	}
	if hit.Category == "" {
		return legacyHit{}, false
	}
	for r, c := range s.order {
		if seen&(1<<r) != 0 {
			hit.Categories = append(hit.Categories, c)
		}
	}
	return hit, true
}

// excepted reports whether an exception phrase matches a span of w that
// overlaps [from, to).
func (s *screen) excepted(w []string, from, to int) bool {
	lo := max(0, from-8)
	for i := lo; i < to; i++ {
		for _, p := range s.except[w[i]] {
			if end, ok := matchAt(w, i, p.words); ok && end > from {
				return true
			}
		}
	}
	return false
}

// matchAt reports whether pattern matches w starting at i, and where the
// match ends. A wildcard matches 0 to maxGap words; the shortest match wins.
func matchAt(w []string, i int, pattern []string) (int, bool) {
	if len(pattern) == 0 {
		return i, true
	}
	if pattern[0] == wildcard {
		for gap := 0; gap <= maxGap && i+gap <= len(w); gap++ {
			if end, ok := matchAt(w, i+gap, pattern[1:]); ok {
				return end, true
			}
		}
		return 0, false
	}
	if i >= len(w) || w[i] != pattern[0] {
		return 0, false
	}
	return matchAt(w, i+1, pattern[1:])
}
