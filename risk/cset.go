package risk

import "math/bits"

// maxConcepts is how many distinct concept names all languages together
// may use.
const maxConcepts = 1024

// cset is a set of concept ids.
type cset [maxConcepts / 64]uint64

func (s *cset) add(id int)      { s[id>>6] |= 1 << (uint(id) & 63) }
func (s *cset) has(id int) bool { return s[id>>6]&(1<<(uint(id)&63)) != 0 }
func (s *cset) union(o *cset) {
	for i := range s {
		s[i] |= o[i]
	}
}
func (s *cset) empty() bool { return *s == cset{} }
func (s *cset) intersects(o *cset) bool {
	for i := range s {
		if s[i]&o[i] != 0 {
			return true
		}
	}
	return false
}

// ids lists the members in order.
func (s *cset) ids() []int { return s.appendIDs(nil) }

// appendIDs appends the members in order to out.
func (s *cset) appendIDs(out []int) []int {
	for i, w := range s {
		for w != 0 {
			b := bits.TrailingZeros64(w)
			out = append(out, i*64+b)
			w &^= 1 << uint(b)
		}
	}
	return out
}
