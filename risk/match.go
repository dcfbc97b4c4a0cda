package risk

import (
	"slices"

	"tipline/risk/textnorm"
)

// message is a normalised, annotated message in one language.
type message struct {
	toks   []textnorm.Token
	sets   []cset
	all    cset // union of sets
	brk    []bool
	negID  int
	skipID int
	cand   []uint64 // scratch: the patterns that may match (patternIndex)
}

// hit is where a pattern matched: the token index of each slot.
type hit struct {
	pos []int
}

func (h hit) start() int { return slices.Min(h.pos) }
func (h hit) end() int   { return slices.Max(h.pos) }

// possible reports whether every slot's concepts occur somewhere in the
// message (a cheap test before matching).
func (m *message) possible(p *pattern) bool {
	for i := range p.slots {
		if !p.slots[i].hit(&m.all) {
			return false
		}
	}
	return true
}

// find returns every match of p, at most one per first-slot position.
func (m *message) find(p *pattern) []hit {
	if !m.possible(p) {
		return nil
	}
	var hits []hit
	pos := make([]int, len(p.slots))
	for i := range m.toks {
		if !m.slotAt(&p.slots[0], i) {
			continue
		}
		pos[0] = i
		var ok bool
		if p.ordered {
			ok = m.seq(p, pos, 1)
		} else {
			ok = m.around(p, pos)
		}
		if ok {
			hits = append(hits, hit{pos: append([]int(nil), pos...)})
		}
	}
	return hits
}

// slotAt reports whether token i fills slot s.
func (m *message) slotAt(s *slot, i int) bool {
	if !s.hit(&m.sets[i]) {
		return false
	}
	if !s.negatable {
		return true
	}
	for i > 0 && !m.brk[i-1] && s.hit(&m.sets[i-1]) {
		i-- // negation governs a phrase from its first word ("never hurt me")
	}
	return !m.negated(i)
}

// seq fills slots k.. in order after pos[k-1], with at most p.win tokens
// between two slots and no clause break among them.
func (m *message) seq(p *pattern, pos []int, k int) bool {
	if k == len(p.slots) {
		return true
	}
	for j := pos[k-1] + 1; j <= pos[k-1]+1+p.win && j < len(m.toks); j++ {
		if m.brk[j] {
			return false
		}
		if m.slotAt(&p.slots[k], j) {
			pos[k] = j
			if m.seq(p, pos, k+1) {
				return true
			}
		}
	}
	return false
}

// around fills every other slot anywhere within p.win tokens of pos[0]
// (breaks allowed), each at a position different from the anchor.
func (m *message) around(p *pattern, pos []int) bool {
	for k := 1; k < len(p.slots); k++ {
		found := false
		for d := 1; d <= p.win && !found; d++ {
			for _, j := range [2]int{pos[0] - d, pos[0] + d} {
				if j >= 0 && j < len(m.toks) && m.slotAt(&p.slots[k], j) {
					pos[k], found = j, true
					break
				}
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// negated reports whether a negation word governs token i: reading back
// through at most four pronouns, clitics or auxiliaries ("he did not even
// hit me", "no me pega", "il ne me frappe pas", "il m'a jamais frappé"),
// without crossing a clause break, the first other word is a negation.
func (m *message) negated(i int) bool {
	for j, skipped := i-1, 0; j >= 0 && skipped <= 4; j-- {
		if m.brk[j] {
			return false
		}
		if m.sets[j].has(m.negID) {
			return true
		}
		if !m.sets[j].has(m.skipID) {
			return false
		}
		skipped++
	}
	return false
}

// clause returns the region around [a, b] where an exception may cancel
// a match: reach tokens beyond each end, across at most one clause break
// ("sat through a 3 hour exam, i wanna die lol").
func (m *message) clause(a, b, reach int) (int, int) {
	lo, hi := a, b
	for breaks := 0; lo > 0 && a-lo < reach; lo-- {
		if m.brk[lo-1] {
			if breaks++; breaks > 1 {
				break
			}
		}
	}
	for breaks := 0; hi < len(m.toks)-1 && hi-b < reach; hi++ {
		if m.brk[hi+1] {
			if breaks++; breaks > 1 {
				break
			}
		}
	}
	return lo, hi
}
