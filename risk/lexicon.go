package risk

import (
	"fmt"
	"strings"

	"tipline/risk/textnorm"
)

// registry gives every concept name, across languages, a small id.
type registry struct {
	ids   map[string]int
	names []string
}

func (r *registry) id(name string) (int, error) {
	if id, ok := r.ids[name]; ok {
		return id, nil
	}
	if len(r.names) == maxConcepts {
		return 0, fmt.Errorf("more than %d concepts", maxConcepts)
	}
	r.ids[name] = len(r.names)
	r.names = append(r.names, name)
	return len(r.names) - 1, nil
}

// term is one word of a lexicon entry: a whole word or, ending in '*' in
// the data, a prefix ("golpe*" matches golpea, golpeó, golpearon).
type term struct {
	text   string
	prefix bool
}

func (t term) matches(tok textnorm.Token) bool {
	if t.prefix {
		return strings.HasPrefix(tok.Text, t.text) || (tok.Alt != "" && strings.HasPrefix(tok.Alt, t.text))
	}
	return tok.Text == t.text || tok.Alt == t.text || plural(tok.Text, t.text)
}

// plural reports whether w is s with a plural "s" (passports, papeles ->
// papele is not tried: only the final s is dropped).
func plural(w, s string) bool {
	return len(w) == len(s)+1 && len(s) >= 3 && w[len(w)-1] == 's' && w[:len(s)] == s
}

// phrase is a multi-word lexicon entry.
type phrase struct {
	terms []term
	set   cset
}

// lexicon maps words, prefixes and phrases of one language to concepts.
type lexicon struct {
	words    map[string]*cset
	prefixes map[string]*cset               // prefix text -> concepts, and every shorter path to one (see addPrefix)
	phrases  map[string][]phrase            // by first word, when the second term is a prefix
	phrases2 map[string]map[string][]phrase // by first word, then second word
	pphrases map[string][]phrase            // phrases whose first term is a prefix, by its first two bytes
	fuzzy    *fuzzyIndex
	// single-letter keys ("took" -> "tok"): a stretched word ("tttook")
	// is found by its key when its own forms are not in the lexicon
	dwords    map[string]*cset
	dprefixes map[string]*cset
}

func newLexicon() *lexicon {
	return &lexicon{words: map[string]*cset{}, prefixes: map[string]*cset{}, phrases: map[string][]phrase{}, phrases2: map[string]map[string][]phrase{}, pphrases: map[string][]phrase{},
		dwords: map[string]*cset{}, dprefixes: map[string]*cset{}}
}

// add records one entry (already split into normalised words) for concept id.
func (lx *lexicon) add(words []string, id int) {
	terms := make([]term, len(words))
	for i, w := range words {
		terms[i] = term{text: strings.TrimSuffix(w, "*"), prefix: strings.HasSuffix(w, "*")}
	}
	if len(terms) == 1 {
		t := terms[0]
		key := textnorm.Single(t.text)
		if t.prefix {
			addPrefix(lx.prefixes, t.text, id)
			addPrefix(lx.dprefixes, key, id)
			return
		}
		addWord(lx.words, t.text, id)
		addWord(lx.dwords, key, id)
		return
	}
	var s cset
	s.add(id)
	p := phrase{terms: terms, set: s}
	if terms[0].prefix {
		k := terms[0].text[:min(2, len(terms[0].text))]
		lx.pphrases[k] = append(lx.pphrases[k], p)
		return
	}
	if terms[1].prefix {
		lx.phrases[terms[0].text] = append(lx.phrases[terms[0].text], p)
		return
	}
	m := lx.phrases2[terms[0].text]
	if m == nil {
		m = map[string][]phrase{}
		lx.phrases2[terms[0].text] = m
	}
	m[terms[1].text] = append(m[terms[1].text], p)
}

func addWord(m map[string]*cset, w string, id int) {
	if m[w] == nil {
		m[w] = new(cset)
	}
	m[w].add(id)
}

// addPrefix records prefix p for concept id, and an empty set under each
// shorter start of p (down to two bytes) that has none, so that a lookup
// trying ever longer starts of a word stops at the first one missing.
func addPrefix(m map[string]*cset, p string, id int) {
	addWord(m, p, id)
	for n := len(p) - 1; n >= 2; n-- {
		if m[p[:n]] == nil {
			m[p[:n]] = new(cset)
		}
	}
}

// annotate gives each token the concepts it belongs to. Phrase concepts
// are set on every token of the phrase.
func (lx *lexicon) annotate(toks []textnorm.Token, sets []cset, fuzzy bool) {
	for i, t := range toks {
		lx.word(t, &sets[i], fuzzy)
		for _, p := range lx.phrases[t.Text] {
			lx.phrase(p, toks, sets, i)
		}
		lx.phrasesAt(lx.phrases2[t.Text], toks, sets, i)
		if t.Alt != "" {
			for _, p := range lx.phrases[t.Alt] {
				lx.phrase(p, toks, sets, i)
			}
			lx.phrasesAt(lx.phrases2[t.Alt], toks, sets, i)
		}
		for _, w := range [2]string{t.Text, t.Alt} {
			if len(w) >= 2 {
				for _, p := range lx.pphrases[w[:2]] {
					lx.phrase(p, toks, sets, i)
				}
			}
			if t.Alt == "" || t.Alt[:min(2, len(t.Alt))] == t.Text[:min(2, len(t.Text))] {
				break
			}
		}
	}
}

// phrasesAt tries the phrases whose first word is at i, found by the
// next token's readings (main, alternative, singular).
func (lx *lexicon) phrasesAt(bySecond map[string][]phrase, toks []textnorm.Token, sets []cset, i int) {
	if bySecond == nil || i+1 >= len(toks) {
		return
	}
	next := toks[i+1]
	keys := [3]string{next.Text, next.Alt, ""}
	if n := len(next.Text); n > 3 && next.Text[n-1] == 's' {
		keys[2] = next.Text[:n-1]
	}
	for k, key := range keys {
		if key == "" || (k > 0 && (key == keys[0] || (k == 2 && key == keys[1]))) {
			continue
		}
		for _, p := range bySecond[key] {
			lx.phrase(p, toks, sets, i)
		}
	}
}

func (lx *lexicon) phrase(p phrase, toks []textnorm.Token, sets []cset, i int) {
	if i+len(p.terms) > len(toks) {
		return
	}
	for k, t := range p.terms {
		if !t.matches(toks[i+k]) {
			return
		}
	}
	for k := range p.terms {
		sets[i+k].union(&p.set)
	}
}

// word adds the concepts of one token: exact word, any prefix, then (when
// nothing matched) the same for Alt, then typo tolerance.
func (lx *lexicon) word(t textnorm.Token, s *cset, fuzzy bool) {
	if lx.form(t.Text, s) || (t.Alt != "" && lx.form(t.Alt, s)) {
		return
	}
	if t.Alt != "" && lx.single(textnorm.Single(t.Text), s) {
		return
	}
	if n := len(t.Text); n > 4 && t.Text[n-1] == 's' && lx.form(t.Text[:n-1], s) {
		return // a plural of a lexicon word
	}
	if fuzzy && lx.fuzzy != nil && t.Text != textnorm.Break {
		if w, ok := lx.fuzzy.lookup(t.Text); ok {
			if ws := lx.words[w]; ws != nil {
				s.union(ws)
			}
		}
	}
}

func (lx *lexicon) form(w string, s *cset) bool {
	found := false
	if ws := lx.words[w]; ws != nil {
		s.union(ws)
		found = true
	}
	return lx.prefixed(lx.prefixes, w, s) || found
}

// prefixed adds the concepts of every prefix entry that starts w.
func (lx *lexicon) prefixed(m map[string]*cset, w string, s *cset) bool {
	found := false
	for n := 2; n <= len(w); n++ {
		ps := m[w[:n]]
		if ps == nil {
			break
		}
		if !ps.empty() {
			s.union(ps)
			found = true
		}
	}
	return found
}

// single looks a single-letter key up among the lexicon's keys.
func (lx *lexicon) single(key string, s *cset) bool {
	found := false
	if ws := lx.dwords[key]; ws != nil {
		s.union(ws)
		found = true
	}
	return lx.prefixed(lx.dprefixes, key, s) || found
}
