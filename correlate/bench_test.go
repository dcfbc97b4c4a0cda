package correlate

import (
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkRank500 scores a sighting against 500 candidates, the most
// the tip page reads (suggestPool in staff), as it does on every view.
func BenchmarkRank500(b *testing.B) {
	r := rand.New(rand.NewPCG(1, 2))
	base := time.Date(2026, 12, 5, 18, 0, 0, 0, time.UTC)
	var cands []Sighting
	var query Sighting
	for len(cands) < 500 {
		sc := newScenario(r, base)
		query = sc.query
		cands = append(cands, sc.cands...)
	}
	for i := range cands {
		cands[i].ID = int64(1000 + i)
	}
	b.ReportAllocs()
	for b.Loop() {
		Rank(query, cands[:500])
	}
}
