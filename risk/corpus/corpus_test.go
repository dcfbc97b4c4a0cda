package corpus

import (
	"fmt"
	"strings"
	"testing"

	"tipline/risk/textnorm"
)

func loadAll(t *testing.T) map[string][]Entry {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]Entry{}
	for _, s := range Splits {
		es, err := Load(dir, s)
		if err != nil {
			t.Fatal(err)
		}
		out[s] = es
	}
	return out
}

// TestFormat checks ids, labels and categories, and that a group lives in
// one split only.
func TestFormat(t *testing.T) {
	cats := map[string]bool{"imminent": true, "selfharm": true, "medical": true, "trafficking": true, "sexual": true, "sextortion": true, "abuse": true, "putout": true}
	groupSplit := map[string]string{}
	for split, es := range loadAll(t) {
		for _, e := range es {
			where := fmt.Sprintf("%s/%s.tsv line %d", e.Split, e.Lang, e.Line)
			if !strings.HasPrefix(e.Group, e.Lang+"-"+split+"-") {
				t.Errorf("%s: group %q should start %s-%s-", where, e.Group, e.Lang, split)
			}
			if s, ok := groupSplit[e.Group]; ok && s != split {
				t.Errorf("%s: group %q also in %s", where, e.Group, s)
			}
			groupSplit[e.Group] = split
			flagged := e.Label == Danger || e.Label == Concern
			if flagged != (len(e.Categories) > 0) {
				t.Errorf("%s: label %s with categories %v", where, e.Label, e.Categories)
			}
			for _, c := range e.Categories {
				if !cats[c] {
					t.Errorf("%s: unknown category %q", where, c)
				}
			}
		}
	}
}

// TestNoLeak fails when a test message is within edit distance 3 of a
// training message (Levenshtein on the normalised text): a rewording of a
// test message must not be trained on.
func TestNoLeak(t *testing.T) {
	all := loadAll(t)
	type item struct {
		text string
		e    Entry
	}
	byLen := map[int][]item{}
	for _, e := range all["train"] {
		n := normalised(e.Text)
		byLen[len(n)] = append(byLen[len(n)], item{n, e})
	}
	for _, e := range all["test"] {
		n := normalised(e.Text)
		for l := len(n) - 3; l <= len(n)+3; l++ {
			for _, tr := range byLen[l] {
				if levenshteinWithin(n, tr.text, 3) {
					t.Errorf("test %s line %d is within edit distance 3 of train %s line %d", e.Lang, e.Line, tr.e.Lang, tr.e.Line)
				}
			}
		}
	}
}

func normalised(s string) string {
	toks := textnorm.Tokens(s)
	parts := make([]string, 0, len(toks))
	for _, t := range toks {
		if t.Text != textnorm.Break {
			parts = append(parts, t.Text)
		}
	}
	return strings.Join(parts, " ")
}

// levenshteinWithin reports whether the edit distance of a and b is at
// most k, computing only the diagonal band of width 2k+1.
func levenshteinWithin(a, b string, k int) bool {
	if d := len(a) - len(b); d > k || -d > k {
		return false
	}
	const inf = 1 << 30
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
		if j > k {
			prev[j] = inf
		}
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-k), min(len(b), i+k)
		for j := range cur {
			cur[j] = inf
		}
		if i <= k {
			cur[0] = i
		}
		rowMin := cur[0]
		for j := lo; j <= hi; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j-1]+cost, prev[j]+1, cur[j-1]+1)
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > k {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(b)] <= k
}

func TestLevenshteinWithin(t *testing.T) {
	for _, c := range []struct {
		a, b string
		k    int
		want bool
	}{{"kitten", "sitting", 3, true}, {"kitten", "sitting", 2, false}, {"", "abc", 3, true}, {"abcd", "", 3, false}, {"same", "same", 0, true}} {
		if got := levenshteinWithin(c.a, c.b, c.k); got != c.want {
			t.Errorf("levenshteinWithin(%q, %q, %d) = %v", c.a, c.b, c.k, got)
		}
	}
}
