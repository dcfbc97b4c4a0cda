package correlate

import (
	"strconv"
	"strings"
	"unicode"

	"tipline/risk/textnorm"
)

// Profile is what one description says about who was seen.
type Profile struct {
	Lang   string                     // the language read ("" when unclear: every language's terms)
	Items  map[string]map[string]bool // "item:backpack", "vehicle:van" -> colours ("" alone)
	Hair   map[string]bool            // hair colours
	Child  map[string]bool            // girl, boy
	Adults map[string]bool            // man, woman with the child
	AgeMin int                        // 0: no age given
	AgeMax int
	Exact  bool            // an age given as a number (not "a teenager")
	Plates map[string]bool // letters and digits together, upper case (ABC1234)
	Words  map[string]bool // other words that say something (greyhound, skateboard)
}

// unit is one piece of a read description: a term, another word, or a
// sentence break.
type unit struct {
	words   []string
	entries []entry // nil for a word that is not a term
	brk     bool
}

// Read reads a description in lang ("" or unknown: the language is guessed
// from its words).
func Read(text, lang string) Profile {
	p := Profile{Items: map[string]map[string]bool{}, Hair: map[string]bool{}, Child: map[string]bool{},
		Adults: map[string]bool{}, Plates: plates(text), Words: map[string]bool{}}
	toks := textnorm.Tokens(text)
	words := make([]string, len(toks))
	for i, t := range toks {
		words[i] = t.Text
	}
	li := langIndex(lang)
	if li < 0 {
		li = guessLang(words)
	}
	if li >= 0 {
		p.Lang = Langs[li]
	}
	us := units(words, li)
	p.readUnits(us, li)
	return p
}

// langIndex is lang's column in the term data, or -1.
func langIndex(lang string) int {
	for i, l := range Langs {
		if strings.EqualFold(lang, l) {
			return i
		}
	}
	return -1
}

// guessLang picks the language with the most words known in it; -1 when
// none leads.
func guessLang(words []string) int {
	counts := make([]int, len(Langs))
	for _, w := range words {
		seen := map[int]bool{}
		for _, e := range lex.terms[w] {
			if !seen[e.lang] {
				counts[e.lang]++
				seen[e.lang] = true
			}
		}
	}
	best, bestN, tie := -1, 0, false
	for i, n := range counts {
		switch {
		case n > bestN:
			best, bestN, tie = i, n, false
		case n == bestN && n > 0:
			tie = true
		}
	}
	if tie {
		return -1
	}
	return best
}

// units cuts words into terms (longest first), other words and breaks.
func units(words []string, li int) []unit {
	var out []unit
	for i := 0; i < len(words); {
		if words[i] == textnorm.Break {
			out = append(out, unit{brk: true})
			i++
			continue
		}
		n, es := match(words[i:], li)
		if n == 0 {
			out = append(out, unit{words: words[i : i+1]})
			i++
			continue
		}
		out = append(out, unit{words: words[i : i+n], entries: es})
		i += n
	}
	return out
}

// match finds the longest term at the start of words: its length in
// words and meanings (0 when none). A word ending in s is also tried
// without it (backpacks, mochilas, vestes).
func match(words []string, li int) (int, []entry) {
	for n := min(lex.maxLen, len(words)); n >= 1; n-- {
		span := words[:n]
		if hasBreak(span) {
			continue
		}
		if es := lex.lookup(span, li); len(es) > 0 {
			return n, es
		}
		last := span[n-1]
		if len(last) > 3 && strings.HasSuffix(last, "s") {
			alt := append(append([]string(nil), span[:n-1]...), strings.TrimSuffix(last, "s"))
			if es := lex.lookup(alt, li); len(es) > 0 {
				return n, es
			}
		}
	}
	return 0, nil
}

func hasBreak(ws []string) bool {
	for _, w := range ws {
		if w == textnorm.Break {
			return true
		}
	}
	return false
}

// readUnits fills the profile from the units of a description.
func (p *Profile) readUnits(us []unit, li int) {
	for i, u := range us {
		if u.brk {
			continue
		}
		if u.entries == nil {
			p.readWord(us, i)
			continue
		}
		p.readTerm(us, i, li)
	}
}

// readTerm records what the term at us[i] says.
func (p *Profile) readTerm(us []unit, i, li int) {
	es := us[i].entries
	if e, ok := first(es, kItem); ok {
		p.item("item:" + e.concept)
	}
	if e, ok := first(es, kVehicle); ok {
		p.item("vehicle:" + e.concept)
	}
	if e, ok := first(es, kChild); ok {
		p.Child[e.concept] = true
	}
	if e, ok := first(es, kAdult); ok {
		p.Adults[e.concept] = true
	}
	if e, ok := first(es, kHairColour); ok {
		p.Hair[e.concept] = true
	}
	if _, ok := first(es, kTeen); ok && !p.Exact {
		p.AgeMin, p.AgeMax = 13, 17
	}
	if e, ok := first(es, kColour); ok {
		if j := partner(us, i, li); j >= 0 {
			p.colour(us[j].entries, e.concept)
		}
	}
}

// item notes an item or vehicle seen (its colour, if any, comes later).
func (p *Profile) item(key string) {
	if p.Items[key] == nil {
		p.Items[key] = map[string]bool{}
	}
}

// colour gives the noun with entries es the colour c.
func (p *Profile) colour(es []entry, c string) {
	if _, ok := first(es, kHair); ok {
		p.Hair[c] = true
		return
	}
	for _, k := range []kind{kItem, kVehicle} {
		if e, ok := first(es, k); ok {
			key := string(k) + ":" + e.concept
			p.item(key)
			p.Items[key][c] = true
			return
		}
	}
}

// partner finds the noun a colour at us[i] describes: the next one in
// English, the one before in Spanish and French (then the other way),
// at most three units away, never across a break or another noun.
func partner(us []unit, i, li int) int {
	dirs := []int{1, -1}
	if li > 0 {
		dirs = []int{-1, 1}
	}
	for _, d := range dirs {
		for k, j := 1, i+d; k <= 3 && j >= 0 && j < len(us); k, j = k+1, j+d {
			u := us[j]
			if u.brk {
				break
			}
			if isNoun(u.entries) {
				return j
			}
		}
	}
	return -1
}

func isNoun(es []entry) bool {
	for _, e := range es {
		if e.kind == kItem || e.kind == kVehicle || e.kind == kHair {
			return true
		}
	}
	return false
}

// readWord reads a word that is no term: an age (14, 14yo, after "age" or
// before "years") or a word that says something.
func (p *Profile) readWord(us []unit, i int) {
	w := us[i].words[0]
	if n, ok := ageNumber(us, i); ok {
		p.AgeMin, p.AgeMax, p.Exact = n, n, true
		return
	}
	if len(w) >= 3 && allLetters(w) && !isStop(w) {
		p.Words[w] = true
	}
}

// ageNumber reads an age at us[i]: 1 to 19 followed by a unit (years,
// años, ans) or preceded by a word such as "age" or "about", or written
// with its unit (14yo).
func ageNumber(us []unit, i int) (int, bool) {
	w := us[i].words[0]
	num := strings.TrimRightFunc(w, unicode.IsLetter)
	n, err := strconv.Atoi(num)
	if err != nil || n < 1 || n > 19 {
		return 0, false
	}
	if unit := w[len(num):]; unit != "" {
		return n, unit == "yo" || unit == "y" || unit == "ans" || unit == "anos" || unit == "yrs"
	}
	if i+1 < len(us) && hasKind(us[i+1].entries, kAgeWord) {
		return n, true
	}
	return n, i > 0 && hasKind(us[i-1].entries, kAgePre)
}

func hasKind(es []entry, k kind) bool {
	_, ok := first(es, k)
	return ok
}

func allLetters(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// isStop reports a word listed as saying nothing, in any language.
func isStop(w string) bool {
	return hasKind(lex.terms[w], kStop) || hasKind(lex.terms[w], kSkip) || hasKind(lex.terms[w], kAgePre)
}

// plates finds licence plates in raw text: 5 to 8 letters and digits in
// one word, with at least two of each.
func plates(text string) map[string]bool {
	out := map[string]bool{}
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(f) < 5 || len(f) > 8 {
			continue
		}
		letters, digits := 0, 0
		for _, r := range f {
			switch {
			case r >= '0' && r <= '9':
				digits++
			case r < 128 && unicode.IsLetter(r):
				letters++
			}
		}
		if letters >= 2 && digits >= 2 && letters+digits == len(f) {
			out[strings.ToUpper(f)] = true
		}
	}
	return out
}
