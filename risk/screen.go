package risk

import (
	"math/bits"
	"slices"
	"strings"
	"sync"

	"tipline/risk/model"
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
// defect that the package tests catch (DataError).
func theEngine() *engine {
	engOnce.Do(func() {
		eng, engErr = load(dataFS)
		if engErr != nil {
			eng = &engine{err: engErr} // no rules at all: the classifier still screens
		}
	})
	return eng
}

// DataError reports risk data that did not load (a build defect: the
// tests fail on it). The languages that did load, and the classifier,
// keep screening; call it at start-up to refuse to run with broken data.
func DataError() error { return theEngine().err }

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
	best := maxScore(scores)
	r := e.readRules(toks, lang, scores, withModel)
	d := Decision{Lang: lang}
	d.Level, d.Categories = combineRules(r.all)
	if best < weakLang {
		d.Lang = ruleLang(r.all, d.Level, lang)
	}
	d.excused = r.cancelled == Danger && d.Level < Danger
	d.placeOnly = r.placeOnly && wordCount(toks) <= placeMaxWords
	for _, f := range r.all {
		d.Reasons = append(d.Reasons, Reason{Layer: "rule", Rule: f.r.id, Concepts: f.p.names, Evidence: f.evidence})
	}
	if withModel {
		e.applyModel(&d, toks, r.feats, r.msgs)
	}
	for _, m := range r.msgs {
		messages.Put(m)
	}
	return d
}

// reading is what the rules of every language that read a message found.
type reading struct {
	all       []fired
	feats     []uint32 // the classifier's concept features (withModel only)
	msgs      []*message
	cancelled Level // the highest level of a rule whose match an exception cancelled
	placeOnly bool  // the featured concepts are places, times and grammar words only
}

// readRules runs the rules of the message's language, of any other that
// it clearly mixes in, and of every language when the detection is weak
// or absent. With a weak detection, when one language's exceptions read
// the message as benign ("overdose de chocolat", no marker word of
// weight), the matches of every other language with no higher marker
// score are dropped: a language read only because the detection was weak
// must not overrule one that understood the message at least as well.
func (e *engine) readRules(toks []textnorm.Token, lang string, scores []float64, withModel bool) reading {
	best := maxScore(scores)
	var r reading
	if withModel {
		r.feats = make([]uint32, 0, 256)
	}
	var per [8]langFound // one per language read (three today)
	n := 0
	var seen cset // the concepts of every featured language
	for i, l := range e.langs {
		if !reads(l.code, lang, scores[i], best) || n == len(per) {
			continue
		}
		m := e.annotated(l, toks, l.code == lang || lang == "")
		f, x := e.match(l, m)
		per[n], n = langFound{f, scores[i], x == Danger}, n+1
		r.cancelled = max(r.cancelled, x)
		if featured(l.code, lang, scores[i]) {
			seen.union(&m.all)
		}
		if withModel && featured(l.code, lang, scores[i]) {
			m.features(e, func(a, b, c, d string) { r.feats = append(r.feats, model.ExtraBucket(a, b, c, d)) })
		}
		r.msgs = append(r.msgs, m)
	}
	r.placeOnly = e.placeOnly(&seen)
	for i := range per[:n] {
		if best < weakLang && !per[i].excused && excusedAtLeast(per[:n], per[i].score) {
			continue
		}
		r.all = append(r.all, per[i].all...)
	}
	return r
}

// langFound is what one language's rules found in a message.
type langFound struct {
	all     []fired
	score   float64 // the language's marker score
	excused bool
}

// excusedAtLeast reports whether some language read excused the message
// with a marker score of at least score.
func excusedAtLeast(per []langFound, score float64) bool {
	for _, p := range per {
		if p.excused && p.score >= score {
			return true
		}
	}
	return false
}

// weakLang is the marker weight below which the detected language is a
// guess ("allergic reaction no epipen" scores 0.5 for French on one
// shared word): every language's rules then read the message.
const weakLang = 2.0

// reads reports whether the rules of language code read a message whose
// detected language is lang, with that language's marker score and the
// best score: the message's own language, any other that it clearly
// mixes in, and every language when the detection is weak or absent.
func reads(code, lang string, score, best float64) bool {
	return lang == "" || code == lang || best < weakLang || (score >= 1 && score >= best/4)
}

// ruleLang is the language of the first rule that fired at level lvl, or
// lang when none did: with a weak detection, the rules that understood
// the message say better what language it is in.
func ruleLang(all []fired, lvl Level, lang string) string {
	for _, f := range all {
		if f.r.level == lvl {
			if code, _, ok := strings.Cut(f.r.id, "."); ok {
				return code
			}
		}
	}
	return lang
}

// messages keeps annotated messages for reuse, so a screen allocates its
// per-word concept sets only when a message is longer than any before.
var messages = sync.Pool{New: func() any { return new(message) }}

// EngineFeatures are the concept features the classifier receives for
// text (risk/cmd/train uses them, so training and screening agree).
func EngineFeatures(text string) []string {
	e := theEngine()
	toks := textnorm.Tokens(text)
	lang, scores := e.detect(toks)
	best := maxScore(scores)
	var feats []string
	for i, l := range e.langs {
		if reads(l.code, lang, scores[i], best) && featured(l.code, lang, scores[i]) {
			e.annotated(l, toks, l.code == lang || lang == "").features(e, func(a, b, c, d string) {
				feats = append(feats, a+b+c+d)
			})
		}
	}
	return feats
}

// features appends the message's concept features for the classifier:
// every concept present, and every pair of concepts on neighbouring
// concept-bearing words, in order ("person>harm", "harm>me"). Concept
// names are shared across languages, so these features carry what the
// classifier learns from one language to the others.
func (m *message) features(e *engine, emit func(a, b, c, d string)) {
	prev := -1
	var prevIDs []int
	var bufs [2][48]int // this word's concepts and the previous one's, without allocating
	cur := 0
	for i := range m.toks {
		ids := e.informative(m.sets[i].appendIDs(bufs[cur][:0]))
		if len(ids) == 0 {
			continue
		}
		for _, a := range ids {
			emit("c:", e.reg.names[a], "", "")
		}
		if prev >= 0 && i-prev <= 3 {
			for _, a := range prevIDs {
				for _, b := range ids {
					emit("p:", e.reg.names[a], ">", e.reg.names[b])
				}
			}
		}
		prev, prevIDs = i, ids
		cur ^= 1
	}
}

// informative drops literal-word and negation-skip concepts.
func (e *engine) informative(ids []int) []int {
	out := ids[:0]
	for _, id := range ids {
		if id != e.skipID && !strings.HasPrefix(e.reg.names[id], "=") {
			out = append(out, id)
		}
	}
	return out
}

// match returns every rule match of l in m that no exception cancels,
// and the highest level of a rule whose match an exception cancelled
// (hyperbole, a game, a mishap: the words were there and read as benign).
// It visits only the candidate patterns of m's concepts (patternIndex),
// in rule order then pattern order.
func (e *engine) match(l *language, m *message) ([]fired, Level) {
	var out []fired
	cancelled := None
	var last *rule
	var uh [][]hit // the current rule's exceptions' matches, found on first need
	m.cand = l.index.candidates(&m.all, m.cand)
	for i, w := range m.cand {
		for ; w != 0; w &= w - 1 {
			ref := l.index.refs[i<<6|bits.TrailingZeros64(w)]
			r, p := ref.r, ref.p
			if r != last {
				last, uh = r, nil
			}
			f, ok, cut := m.matchPattern(r, p, &uh)
			if cut {
				cancelled = max(cancelled, r.level)
			}
			if ok {
				out = append(out, f)
			}
		}
	}
	return out, cancelled
}

// matchPattern returns p's first match in m that no exception of r
// cancels (ok), and whether an exception cancelled a match before it
// (cut). uh holds r's exceptions' matches, found on first need.
func (m *message) matchPattern(r *rule, p *pattern, uh *[][]hit) (f fired, ok, cut bool) {
	for _, h := range m.find(p) {
		if *uh == nil {
			*uh = m.unlessHits(r)
		}
		if m.cancelledByHits(r, h, *uh) == "" {
			return fired{r: r, p: p, h: h, evidence: m.span(h)}, true, cut
		}
		cut = true
	}
	return fired{}, false, cut
}

// annotated expands l's slang in toks and marks every token's concepts
// (with typo tolerance when fuzzy: only for the message's own language).
func (e *engine) annotated(l *language, toks []textnorm.Token, fuzzy bool) *message {
	m := messages.Get().(*message)
	*m = message{toks: l.expand(toks), negID: e.negID, skipID: e.skipID, sets: m.sets[:0], brk: m.brk[:0], cand: m.cand}
	m.sets = slices.Grow(m.sets, len(m.toks))[:len(m.toks)]
	clear(m.sets)
	m.brk = slices.Grow(m.brk, len(m.toks))[:len(m.toks)]
	for i, t := range m.toks {
		m.brk[i] = t.Text == textnorm.Break
	}
	l.lex.annotate(m.toks, m.sets, fuzzy)
	e.unname(m)
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
// categories: first the main categories of the highest-level rules, the
// one with most matches first (rank order on ties), then their other
// categories, then the rest.
func combineRules(all []fired) (Level, []Category) {
	var lvl Level
	for _, f := range all {
		lvl = max(lvl, f.r.level)
	}
	if lvl == None {
		return None, nil
	}
	var cats []Category
	evidence := map[Category]int{} // matches whose main category it is
	for _, f := range all {
		if f.r.level == lvl {
			evidence[f.r.cats[0]]++
		}
	}
	addRanked := func(keep func(f fired, i int) bool) {
		var add []Category
		for _, f := range all {
			for i, c := range f.r.cats {
				if keep(f, i) && !slices.Contains(cats, c) && !slices.Contains(add, c) {
					add = append(add, c)
				}
			}
		}
		slices.SortFunc(add, func(a, b Category) int {
			if evidence[a] != evidence[b] {
				return evidence[b] - evidence[a]
			}
			return rank(a) - rank(b)
		})
		cats = append(cats, add...)
	}
	addRanked(func(f fired, i int) bool { return f.r.level == lvl && i == 0 })
	addRanked(func(f fired, i int) bool { return f.r.level == lvl })
	addRanked(func(f fired, i int) bool { return true })
	return lvl, cats
}

func rank(c Category) int { return slices.Index(Categories, c) }
