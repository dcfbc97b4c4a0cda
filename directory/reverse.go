package directory

import (
	"math"

	"tipline"
)

// reverseMaxKm is how far the nearest centroid may be for PlaceAt to
// answer: beyond it the point is taken to be outside the covered countries.
const reverseMaxKm = 60

// PlaceAt finds the country and region of a point from the nearest US ZIP
// or Canadian FSA centroid within 60 km. Points elsewhere (Mexico, the
// sea, other countries) give false: the caller treats the country as
// unknown.
func PlaceAt(p tipline.Location) (Place, bool) {
	g, err := loadGeo()
	if err != nil {
		return Place{}, false
	}
	best, bestKm := Place{}, math.Inf(1)
	scan := func(table map[string]geoPoint, country string) {
		for code, gp := range table {
			if math.Abs(gp.loc.Lat-p.Lat) > 1 || math.Abs(gp.loc.Lon-p.Lon) > 2 {
				continue
			}
			if d := DistanceKm(p, gp.loc); d < bestKm {
				bestKm = d
				best = Place{Country: country, Region: country + "-" + gp.region, Point: gp.loc, Label: code}
			}
		}
	}
	scan(g.zips, "US")
	scan(g.fsas, "CA")
	if bestKm > reverseMaxKm {
		return Place{}, false
	}
	return best, true
}
