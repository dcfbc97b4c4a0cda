package risk

import (
	"strings"

	"tipline/risk/textnorm"
)

// detect scores each language by its marker words (risk/data/<lang>/
// markers.tsv) and returns the language the message reads as ("" when no
// marker is present) and the scores. English mixed with Spanish reads as
// Spanish: a Spanish score of at least a third of the English one (and
// at least 1) wins, since Spanglish writers are best answered in Spanish.
func (e *engine) detect(toks []textnorm.Token) (string, []float64) {
	scores := make([]float64, len(e.langs))
	for _, t := range toks {
		for i, l := range e.langs {
			w, ok := l.markers[t.Text]
			if !ok && t.Alt != "" {
				w = l.markers[t.Alt]
			}
			scores[i] += w
		}
	}
	best := -1
	for i, s := range scores {
		if s > 0 && (best < 0 || s > scores[best]) {
			best = i
		}
	}
	if best < 0 {
		return "", scores
	}
	en, es := e.index("en"), e.index("es")
	if en >= 0 && es >= 0 && best == en && scores[es] >= 1 && scores[es]*3 >= scores[en] {
		best = es
	}
	return e.langs[best].code, scores
}

// expand rewrites slang, abbreviations and contractions, longest entry
// first, trying each token's main then alternative reading.
func (l *language) expand(toks []textnorm.Token) []textnorm.Token {
	out := make([]textnorm.Token, 0, len(toks)+8)
	for i := 0; i < len(toks); {
		if e, ok := l.slangAt(toks, i); ok {
			out = append(out, e.to...)
			i += len(e.from)
			continue
		}
		out = append(out, l.gdrop(toks[i]))
		i++
	}
	return out
}

// gdrop gives English words written without their final g ("punchin",
// "walkin", "bleedin") the full form as their alternative reading.
func (l *language) gdrop(t textnorm.Token) textnorm.Token {
	if l.code == "en" && t.Alt == "" && len(t.Text) >= 5 && strings.HasSuffix(t.Text, "in") {
		t.Alt = t.Text + "g"
	}
	return t
}

func (l *language) slangAt(toks []textnorm.Token, i int) (slangEntry, bool) {
	for _, first := range [2]string{toks[i].Text, toks[i].Alt} {
		if first == "" {
			continue
		}
		for _, e := range l.slang[first] {
			if slangMatch(e.from, toks[i:]) {
				return e, true
			}
		}
	}
	return slangEntry{}, false
}

func slangMatch(from []string, toks []textnorm.Token) bool {
	if len(from) > len(toks) {
		return false
	}
	for k, w := range from {
		if toks[k].Text != w && toks[k].Alt != w {
			return false
		}
	}
	return true
}

// index is the position of the language code among the loaded languages,
// or -1.
func (e *engine) index(code string) int {
	for i, l := range e.langs {
		if l.code == code {
			return i
		}
	}
	return -1
}

// maxScore is the highest language score, 0 when no language loaded.
func maxScore(scores []float64) float64 {
	best := 0.0
	for _, s := range scores {
		best = max(best, s)
	}
	return best
}
