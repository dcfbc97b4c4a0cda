package risk

import (
	"slices"
	"strings"
	"sync"

	"tipline/risk/textnorm"
)

// maxBytes is how much of a message the screen reads: disclosures come
// early, and the bound keeps a pasted essay from slowing the turn.
const maxBytes = 4096

var (
	engOnce sync.Once
	eng     *engine
	engErr  error
)

// theEngine loads the embedded data once; a broken data file is a build
// defect that the package tests catch.
func theEngine() *engine {
	engOnce.Do(func() { eng, engErr = load(dataFS) })
	if engErr != nil {
		panic(engErr)
	}
	return eng
}

// Screen reads one message and decides its level, categories and reasons.
// It is safe for concurrent use and never panics.
func Screen(text string) (d Decision) {
	defer func() {
		if recover() != nil {
			d = Decision{}
		}
	}()
	if len(text) > maxBytes {
		text = text[:maxBytes]
	}
	return theEngine().screen(text, true)
}

// ScreenRules is Screen without the classifier: the rules layer alone,
// for measuring the layers apart (risk/cmd/try).
func ScreenRules(text string) (d Decision) {
	defer func() {
		if recover() != nil {
			d = Decision{}
		}
	}()
	if len(text) > maxBytes {
		text = text[:maxBytes]
	}
	return theEngine().screen(text, false)
}

// fired is one rule match.
type fired struct {
	r        *rule
	p        *pattern
	h        hit
	evidence string
}

func (e *engine) screen(text string, withModel bool) Decision {
	toks := textnorm.Tokens(text)
	lang, scores := e.detect(toks)
	best := slices.Max(scores)
	// The message's language's rules read it, and so do those of any other
	// language it clearly mixes in; with no marker word at all, every
	// language's rules read it.
	var all []fired
	for i, l := range e.langs {
		if lang == "" || l.code == lang || (scores[i] >= 1 && scores[i] >= best/4) {
			all = append(all, e.runRules(l, toks, l.code == lang || lang == "")...)
		}
	}
	d := Decision{Lang: lang}
	d.Level, d.Categories = combineRules(all)
	for _, f := range all {
		d.Reasons = append(d.Reasons, Reason{Layer: "rule", Rule: f.r.id, Concepts: f.p.names, Evidence: f.evidence})
	}
	if withModel {
		e.applyModel(&d, text, toks)
	}
	return d
}

// runRules expands l's slang, annotates concepts and returns every rule
// match that no exception cancels.
func (e *engine) runRules(l *language, toks []textnorm.Token, fuzzy bool) []fired {
	m := e.annotated(l, toks, fuzzy)
	var out []fired
	for _, r := range l.rules {
		for pi := range r.patterns {
			p := &r.patterns[pi]
			for _, h := range m.find(p) {
				if !m.cancelled(r, h) {
					out = append(out, fired{r: r, p: p, h: h, evidence: m.span(h)})
					break
				}
			}
		}
	}
	return out
}

// annotated expands l's slang in toks and marks every token's concepts
// (with typo tolerance when fuzzy: only for the message's own language).
func (e *engine) annotated(l *language, toks []textnorm.Token, fuzzy bool) *message {
	m := &message{toks: l.expand(toks), negID: e.negID, skipID: e.skipID}
	m.sets = make([]cset, len(m.toks))
	m.brk = make([]bool, len(m.toks))
	for i, t := range m.toks {
		m.brk[i] = t.Text == textnorm.Break
	}
	l.lex.annotate(m.toks, m.sets, fuzzy)
	for i := range m.sets {
		m.all.union(&m.sets[i])
	}
	return m
}

// span is the normalised words a hit covers.
func (m *message) span(h hit) string {
	var b strings.Builder
	for i := h.start(); i <= h.end(); i++ {
		if i > h.start() {
			b.WriteByte(' ')
		}
		b.WriteString(m.toks[i].Text)
	}
	return b.String()
}

// combineRules takes the highest level among the matches and lists the
// categories: first those of the highest-level rules' main category in
// rank order, then their other categories, then the rest.
func combineRules(all []fired) (Level, []Category) {
	var lvl Level
	for _, f := range all {
		lvl = max(lvl, f.r.level)
	}
	if lvl == None {
		return None, nil
	}
	var cats []Category
	addRanked := func(keep func(f fired, i int) bool) {
		var add []Category
		for _, f := range all {
			for i, c := range f.r.cats {
				if keep(f, i) && !slices.Contains(cats, c) && !slices.Contains(add, c) {
					add = append(add, c)
				}
			}
		}
		slices.SortFunc(add, func(a, b Category) int { return rank(a) - rank(b) })
		cats = append(cats, add...)
	}
	addRanked(func(f fired, i int) bool { return f.r.level == lvl && i == 0 })
	addRanked(func(f fired, i int) bool { return f.r.level == lvl })
	addRanked(func(f fired, i int) bool { return true })
	return lvl, cats
}

func rank(c Category) int { return slices.Index(Categories, c) }
