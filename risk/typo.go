package risk

import (
	"slices"
	"strings"
)

// fuzzyIndex finds the lexicon word a misspelt token stands for: edit
// distance 1 for words of 5 letters or more, 2 for 8 or more (optimal
// string alignment, so a swap of two letters counts 1). It is a
// symmetric-delete index (as in SymSpell) built once at start: every
// lexicon word and its deletions point back to the word, and a token is
// looked up by its own deletions, so a lookup is a few dozen map reads.
type fuzzyIndex struct {
	deletes map[string][]string
	known   []uint32 // sorted hashes of dictionary words: real words are not typos
}

// setKnown records the language's dictionary (risk/data/dict/<lang>.txt,
// one word a line): a token that is itself a word ("hunting", "prisoner")
// is never read as a typo of a lexicon word ("hurting", "poisoned").
func (f *fuzzyIndex) setKnown(dict string) {
	f.known = f.known[:0]
	for len(dict) > 0 {
		i := strings.IndexByte(dict, '\n')
		if i < 0 {
			i = len(dict)
		}
		if w := strings.TrimSpace(dict[:i]); w != "" {
			f.known = append(f.known, hash32(w))
		}
		dict = dict[min(i+1, len(dict)):]
	}
	slices.Sort(f.known)
}

func (f *fuzzyIndex) isKnown(w string) bool {
	_, ok := slices.BinarySearch(f.known, hash32(w))
	return ok
}

// hash32 is FNV-1a.
func hash32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h ^= uint32(s[i])
		h *= 16777619
	}
	return h
}

// allowed is the edit distance tolerated for a word of n bytes.
func allowed(n int) int {
	switch {
	case n >= 8:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}

func newFuzzyIndex(words []string) *fuzzyIndex {
	f := &fuzzyIndex{deletes: map[string][]string{}}
	for _, w := range words {
		d := allowed(len(w))
		if d == 0 {
			continue
		}
		forDeletes(w, d, func(v string) { f.deletes[v] = appendOnce(f.deletes[v], w) })
	}
	return f
}

func appendOnce(list []string, w string) []string {
	for _, x := range list {
		if x == w {
			return list
		}
	}
	return append(list, w)
}

// forDeletes calls fn with w and every string made by deleting up to d
// bytes of it (duplicates possible).
func forDeletes(w string, d int, fn func(string)) {
	fn(w)
	if d == 0 || len(w) <= 1 {
		return
	}
	for i := 0; i < len(w); i++ {
		forDeletes(w[:i]+w[i+1:], d-1, fn)
	}
}

// lookup returns the closest lexicon word within the distance its length
// allows, if any (the first in index order on ties). It builds the
// token's deletions in a scratch buffer, so a lookup allocates nothing.
func (f *fuzzyIndex) lookup(tok string) (string, bool) {
	if len(tok) < 5 || len(tok) > 24 || f.isKnown(tok) {
		return "", false
	}
	best, bestD := "", 3
	try := func(v []byte) {
		for _, w := range f.deletes[string(v)] {
			lim := allowed(min(len(w), len(tok)))
			if w[0] != tok[0] || (lim == 2 && w[len(w)-1] != tok[len(tok)-1]) {
				continue // typos rarely touch the first letter; two edits must keep the last
			}
			if d := osa(tok, w, lim); d <= lim && d < bestD && d > 0 {
				best, bestD = w, d
			}
		}
	}
	var buf [24]byte
	try([]byte(tok))
	for i := 0; i < len(tok); i++ {
		v := append(append(buf[:0], tok[:i]...), tok[i+1:]...)
		try(v)
		if allowed(len(tok)) < 2 {
			continue
		}
		var buf2 [24]byte
		for j := i; j < len(v); j++ {
			try(append(append(buf2[:0], v[:j]...), v[j+1:]...))
		}
	}
	return best, best != ""
}

// osa is the optimal string alignment distance between a and b, or
// limit+1 when it is larger than limit.
func osa(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit {
		return limit + 1
	}
	var rows [3][32]int
	if len(b) >= 31 || len(a) >= 31 {
		return limit + 1
	}
	prev2, prev, cur := &rows[0], &rows[1], &rows[2]
	for j := 0; j <= len(b); j++ {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
