package risk

import "math/bits"

// patternIndex is an inverted index over a language's rule patterns, so
// that a message visits only the patterns that can match it. The patterns
// are numbered in rule order, then pattern order; per concept id, a
// bitset over those numbers marks the patterns whose key slot has that
// concept. A pattern matches only when every slot's concepts occur in the
// message (message.possible), so a pattern whose key slot has none of the
// message's concepts cannot match and is skipped.
type patternIndex struct {
	refs      []patternRef
	byConcept [][]uint64 // concept id -> patterns keyed on it, nil when none
	always    []uint64   // patterns with no slot, which every message visits
}

// patternRef is one numbered pattern and its rule.
type patternRef struct {
	r *rule
	p *pattern
}

// newPatternIndex numbers the patterns of rules (not their exceptions)
// and indexes each on its key slot.
func newPatternIndex(rules []*rule) *patternIndex {
	x := &patternIndex{byConcept: make([][]uint64, maxConcepts)}
	for _, r := range rules {
		for pi := range r.patterns {
			x.refs = append(x.refs, patternRef{r: r, p: &r.patterns[pi]})
		}
	}
	uses := slotUses(x.refs)
	words := (len(x.refs) + 63) / 64
	x.always = make([]uint64, words)
	for k, ref := range x.refs {
		bit := uint64(1) << (uint(k) & 63)
		if len(ref.p.slots) == 0 {
			x.always[k>>6] |= bit
			continue
		}
		for _, id := range keySlot(ref.p, uses).any.ids() {
			if x.byConcept[id] == nil {
				x.byConcept[id] = make([]uint64, words)
			}
			x.byConcept[id][k>>6] |= bit
		}
	}
	return x
}

// keySlot is the slot of p whose concepts the language's slots use least
// (uses counts the slots that name each concept): any slot would do,
// since every slot must occur in a message for p to match, and a slot
// of rare concepts ("passport") makes p a candidate for fewer messages
// than one of grammar words ("me", "i") that most messages have.
func keySlot(p *pattern, uses []int) *slot {
	best, cost := &p.slots[0], -1
	for i := range p.slots {
		c := 0
		for _, id := range p.slots[i].any.ids() {
			c += uses[id]
		}
		if cost < 0 || c < cost {
			best, cost = &p.slots[i], c
		}
	}
	return best
}

// slotUses counts, per concept id, the slots of refs that name it.
func slotUses(refs []patternRef) []int {
	uses := make([]int, maxConcepts)
	for _, ref := range refs {
		for i := range ref.p.slots {
			for _, id := range ref.p.slots[i].any.ids() {
				uses[id]++
			}
		}
	}
	return uses
}

// candidates returns, in out's storage, the set of patterns whose key
// slot has a concept of all: a superset of the patterns that can match
// a message whose concepts are all.
func (x *patternIndex) candidates(all *cset, out []uint64) []uint64 {
	out = append(out[:0], x.always...)
	for i, w := range all {
		for w != 0 {
			set := x.byConcept[i<<6|bits.TrailingZeros64(w)]
			w &= w - 1
			for j, v := range set {
				out[j] |= v
			}
		}
	}
	return out
}
