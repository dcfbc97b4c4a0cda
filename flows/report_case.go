package flows

import (
	"sort"
	"strings"
	"unicode"

	"tipline"
)

// maxCandidates is how many cases a name may offer to choose from.
const maxCandidates = 3

// caseStep reads which case: a case number, a name, or skip.
func (r *report) caseStep() {
	text := strings.TrimSpace(r.in.Text)
	if c, ok := r.caseByNumber(text); ok {
		r.setCase(c)
		return
	}
	switch {
	case r.skipped():
		r.noCase()
	case r.in.Callback != "" || r.in.Location != nil || text == "":
		r.ask(stepCase)
	default:
		r.caseAnswer(text)
	}
}

// caseAnswer looks a typed case up: by number, else by name among the
// public active cases. Whatever is not found gets the same answer, so an
// unknown, a private and a closed case cannot be told apart.
func (r *report) caseAnswer(text string) {
	if c, ok := r.caseByNumber(text); ok {
		r.setCase(c)
		return
	}
	r.st.Data[TipKeyCaseText] = clip(text, maxCaseText)
	if cands := r.casesByName(text); len(cands) > 0 {
		r.offerCases(cands)
		return
	}
	r.caseNotFound()
}

// caseNotFound says the case was not found and asks again.
func (r *report) caseNotFound() {
	r.st.Flow, r.st.Step = FlowReport, stepCase
	r.say(tipline.Reply{Text: r.text("rpt.case.unknown"), Options: []tipline.Option{r.option(optSkip, "rpt.skip")}})
}

// offerCases offers the cases whose name matched, and "none of these".
func (r *report) offerCases(cands []Case) {
	r.st.Flow, r.st.Step = FlowReport, stepCasePick
	opts := make([]tipline.Option, 0, len(cands)+1)
	for _, c := range cands {
		opts = append(opts, tipline.Option{Label: caseLabel(c), Value: optCasePfx + c.ID})
	}
	opts = append(opts, r.option(optNoCase, "rpt.nocase"))
	r.say(tipline.Reply{Text: r.text("rpt.case.pick"), Options: opts})
}

// casePick takes the case chosen among the offered ones.
func (r *report) casePick() {
	v := r.chosen()
	switch {
	case strings.HasPrefix(v, optCasePfx):
		if c, ok := r.caseByID(strings.TrimPrefix(v, optCasePfx)); ok {
			r.setCase(c)
			return
		}
		r.caseNotFound()
	case v == optNoCase:
		r.caseNotFound()
	case r.skipped():
		r.noCase()
	case strings.TrimSpace(r.in.Text) != "":
		r.caseAnswer(strings.TrimSpace(r.in.Text))
	default:
		r.ask(stepCase)
	}
}

// setCase records the case and moves on.
func (r *report) setCase(c Case) {
	r.ensureDraft()
	r.set(TipKeyCase, c.ID)
	r.set(TipKeyCaseText, "")
	r.st.Data[tipKeyLabel] = caseLabel(c)
	r.next(stepCase)
}

// noCase goes on without a case: a sighting without a known case is still
// a tip, and keeps what was typed.
func (r *report) noCase() {
	r.ensureDraft()
	r.set(TipKeyCase, "")
	delete(r.st.Data, tipKeyLabel)
	r.dirty = true
	r.next(stepCase)
}

// caseLabel is how a case is shown: its name and number.
func caseLabel(c Case) string {
	return c.Name + " (" + c.Number + ")"
}

// caseByID finds a case by its deep-link id.
func (r *report) caseByID(id string) (Case, bool) {
	id = strings.ToLower(strings.TrimSpace(id))
	for _, c := range r.ri.Cases {
		if id != "" && strings.ToLower(c.ID) == id {
			return c, true
		}
	}
	return Case{}, false
}

// caseByNumber finds a case whose number is the whole text, or one of its
// words ("case 2026-0142"), ignoring case and punctuation.
func (r *report) caseByNumber(text string) (Case, bool) {
	want := []string{canonNumber(text)}
	for _, w := range strings.Fields(text) {
		if c := canonNumber(w); len(c) >= 3 {
			want = append(want, c)
		}
	}
	for _, c := range r.ri.Cases {
		n := canonNumber(c.Number)
		if n != "" && contains(want, n) {
			return c, true
		}
	}
	return Case{}, false
}

// canonNumber keeps the letters and digits of a case number, uppercased.
func canonNumber(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// casesByName returns the cases whose name looks like the text, best
// first: each word of the text scores against the name's words (exact,
// prefix, or one or two typos), and a case needs at least one good match.
// Numbers never match names, so a mistyped case number is not "corrected"
// into another case.
func (r *report) casesByName(text string) []Case {
	q := nameTokens(text)
	if len(q) == 0 {
		return nil
	}
	type scored struct {
		c Case
		s float64
	}
	var found []scored
	for _, c := range r.ri.Cases {
		if s := nameScore(q, nameTokens(c.Name)); s >= 0.75 {
			found = append(found, scored{c, s})
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].s > found[j].s })
	var out []Case
	for i := 0; i < len(found) && i < maxCandidates; i++ {
		out = append(out, found[i].c)
	}
	return out
}

// nameTokens are the normalised words of s made of two or more letters.
func nameTokens(s string) []string {
	var out []string
	for _, w := range words(Normalize(s)) {
		if len(w) >= 2 && strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) < 0 {
			out = append(out, w)
		}
	}
	return out
}

// nameScore sums, over the query's words, the best score against the
// name's words.
func nameScore(query, name []string) float64 {
	total := 0.0
	for _, w := range query {
		best := 0.0
		for _, n := range name {
			best = max(best, tokenScore(w, n))
		}
		total += best
	}
	return total
}

// tokenScore scores one query word against one name word.
func tokenScore(w, n string) float64 {
	switch d := editDistance(w, n); {
	case w == n:
		return 1
	case len(w) >= 3 && strings.HasPrefix(n, w):
		return 0.8
	case d <= 1 && len(w) >= 4:
		return 0.75
	case d <= 2 && len(w) >= 7:
		return 0.6
	}
	return 0
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of neighbours cost 1.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}
