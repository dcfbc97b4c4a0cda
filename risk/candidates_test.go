package risk

import (
	"fmt"
	"math/bits"
	"slices"
	"testing"

	"tipline/risk/corpus"
	"tipline/risk/textnorm"
)

// corpusTexts is every corpus message, or skips the test when there is
// no corpus.
func corpusTexts(tb testing.TB) []string {
	tb.Helper()
	dir, err := corpus.Dir()
	if err != nil {
		tb.Skip(err)
	}
	var texts []string
	for _, s := range corpus.Splits {
		es, err := corpus.Load(dir, s)
		if err != nil {
			tb.Fatal(err)
		}
		for _, e := range es {
			texts = append(texts, e.Text)
		}
	}
	return texts
}

// matchLinear is engine.match without the index: every rule and every
// pattern in order, as the screen read them before patternIndex.
func matchLinear(l *language, m *message) ([]fired, Level) {
	var out []fired
	cancelled := None
	for _, r := range l.rules {
		var uh [][]hit
		for pi := range r.patterns {
			f, ok, cut := m.matchPattern(r, &r.patterns[pi], &uh)
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

// TestPatternIndex: on every corpus message, in every language, the
// candidates include every pattern that can match, and the indexed
// match finds exactly what the linear scan finds, in the same order.
func TestPatternIndex(t *testing.T) {
	e := theEngine()
	texts := append(corpusTexts(t), "", "my stepdad hits me", "il me frappe, lol")
	for _, l := range e.langs {
		if len(l.index.refs) == 0 {
			t.Fatalf("%s: no pattern indexed", l.code)
		}
		for _, text := range texts {
			m := e.annotated(l, textnorm.Tokens(text), true)
			cand := l.index.candidates(&m.all, nil)
			for k, ref := range l.index.refs {
				if m.possible(ref.p) && cand[k>>6]&(1<<(uint(k)&63)) == 0 {
					t.Fatalf("%s %q: pattern %s %v possible but not a candidate", l.code, text, ref.r.id, ref.p.names)
				}
			}
			got, gx := e.match(l, m)
			want, wx := matchLinear(l, m)
			if gx != wx || firedString(got) != firedString(want) {
				t.Fatalf("%s %q: indexed %v %s, linear %v %s", l.code, text, gx, firedString(got), wx, firedString(want))
			}
			messages.Put(m)
		}
	}
}

func firedString(fs []fired) string {
	var s string
	for _, f := range fs {
		s += fmt.Sprintf("[%s %p %v %q]", f.r.id, f.p, f.h.pos, f.evidence)
	}
	return s
}

// TestPatternIndexOrder: the patterns are numbered in rule order, then
// pattern order, so the indexed match fires rules in the linear order.
func TestPatternIndexOrder(t *testing.T) {
	for _, l := range theEngine().langs {
		var want []*pattern
		for _, r := range l.rules {
			for pi := range r.patterns {
				want = append(want, &r.patterns[pi])
			}
		}
		var got []*pattern
		for _, ref := range l.index.refs {
			got = append(got, ref.p)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s: patterns out of rule order", l.code)
		}
	}
}

// BenchmarkMatch runs the rules of every language on every corpus
// message, annotated beforehand: the matching alone, which the index
// speeds up. It reports the share of patterns a message visits.
func BenchmarkMatch(b *testing.B) {
	e := theEngine()
	type job struct {
		l *language
		m *message
	}
	var jobs []job
	for _, text := range corpusTexts(b) {
		for _, l := range e.langs {
			jobs = append(jobs, job{l, e.annotated(l, textnorm.Tokens(text), true)})
		}
	}
	visited, total := 0, 0
	for _, j := range jobs {
		for _, w := range j.l.index.candidates(&j.m.all, nil) {
			visited += bits.OnesCount64(w)
		}
		total += len(j.l.index.refs)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		j := jobs[i%len(jobs)]
		e.match(j.l, j.m)
	}
	b.ReportMetric(float64(visited)/float64(total), "visited/pattern")
}
