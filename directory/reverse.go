package directory

import (
	"math"
	"sync"

	"tipline"
)

// reverseMaxKm is how far the nearest centroid may be for PlaceAt to
// answer: beyond it the point is taken to be outside the covered countries.
const reverseMaxKm = 60

// cell is a one-degree square of the reverse index.
type cell struct{ lat, lon int }

// reverseEntry is one centroid in the reverse index.
type reverseEntry struct {
	place Place
}

var (
	reverseOnce  sync.Once
	reverseCells map[cell][]reverseEntry
)

func cellOf(p tipline.Location) cell {
	return cell{int(math.Floor(p.Lat)), int(math.Floor(p.Lon))}
}

// reverseIndex buckets every US ZIP and Canadian FSA centroid by its
// one-degree cell, so a lookup reads only the cells around a point.
func reverseIndex() map[cell][]reverseEntry {
	reverseOnce.Do(func() {
		g, err := loadGeo()
		reverseCells = map[cell][]reverseEntry{}
		if err != nil {
			return
		}
		add := func(table map[string]geoPoint, country string) {
			for code, gp := range table {
				c := cellOf(gp.loc)
				reverseCells[c] = append(reverseCells[c], reverseEntry{Place{Country: country,
					Region: country + "-" + gp.region, Point: gp.loc, Label: code}})
			}
		}
		add(g.zips, "US")
		add(g.fsas, "CA")
	})
	return reverseCells
}

// PlaceAt finds the country and region of a point from the nearest US ZIP
// or Canadian FSA centroid within 60 km. Points elsewhere (Mexico, the
// sea, other countries) give false: the caller treats the country as
// unknown.
func PlaceAt(p tipline.Location) (Place, bool) {
	idx := reverseIndex()
	c := cellOf(p)
	best, bestKm := Place{}, math.Inf(1)
	for dlat := -1; dlat <= 1; dlat++ {
		for dlon := -1; dlon <= 1; dlon++ {
			for _, e := range idx[cell{c.lat + dlat, c.lon + dlon}] {
				if d := DistanceKm(p, e.place.Point); d < bestKm || (d == bestKm && e.place.Label < best.Label) {
					best, bestKm = e.place, d
				}
			}
		}
	}
	if bestKm > reverseMaxKm {
		return Place{}, false
	}
	return best, true
}
