package directory

import (
	"math"
	"sort"
	"strings"

	"tipline"
)

// NearbyMaxKm is how far a local resource may be from the user's point and
// still be offered by Nearby.
const NearbyMaxKm = 100

// maxLatDelta is NearbyMaxKm in degrees of latitude, a cheap first filter.
const maxLatDelta = NearbyMaxKm / 110.0

// Directory is an immutable in-memory snapshot of the resource directory.
// Only verified records are reachable through its methods, and always as
// Public copies.
type Directory struct {
	all    []Resource          // every record given to New, in order
	public []Resource          // verified records, Public, in order
	byID   map[string]Resource // verified records by id, Public
}

// New builds a Directory from rs. Records that are not Verified, or are
// Hidden, are kept out of every method's answer.
func New(rs []Resource) *Directory {
	d := &Directory{byID: make(map[string]Resource)}
	for _, r := range rs {
		d.all = append(d.all, r.clone())
		if !r.Verified || r.Hidden {
			continue
		}
		p := r.Public()
		d.public = append(d.public, p)
		d.byID[p.ID] = p
	}
	return d
}

// Len returns the number of verified records.
func (d *Directory) Len() int { return len(d.public) }

// Get returns the verified resource id, with hidden fields blanked.
func (d *Directory) Get(id string) (Resource, bool) {
	r, ok := d.byID[id]
	if !ok {
		return Resource{}, false
	}
	return r.clone(), true
}

// emergencyIDs names the emergency record of each country that has one.
var emergencyIDs = map[string]string{"US": "us-911", "CA": "ca-911", "MX": "mx-911"}

// Country normalises a country code for lookups: upper case, the country
// part of a subdivision code, and "US" for a country the directory has no
// emergency record for (docs/design.md rule 3: unknown means the US lines).
func Country(country string) string {
	c := strings.ToUpper(strings.TrimSpace(country))
	if i := strings.IndexByte(c, '-'); i > 0 {
		c = c[:i]
	}
	if _, ok := emergencyIDs[c]; ok {
		return c
	}
	return "US"
}

// Emergency returns the emergency number record for country (us-911,
// ca-911, mx-911); the US one for any other country. When the directory
// lacks it, the bundled record is returned, so 911 is never missing.
func (d *Directory) Emergency(country string) Resource {
	id := emergencyIDs[Country(country)]
	if r, ok := d.Get(id); ok {
		return r
	}
	if r, ok := bundledEmergency(id); ok {
		return r
	}
	return Resource{}
}

// National returns the verified non-local resources serving country as a
// whole that have any of categories (all when none given), hidden fields
// blanked. An unknown country gets the US lines. Results follow the order
// of categories (resources matching an earlier category first), then the
// directory's order.
func (d *Directory) National(country string, categories ...string) []Resource {
	return d.serving(Country(country), categories)
}

// Regional returns the verified non-local resources that list region (an
// ISO 3166-2 code such as "US-NY") and have any of categories.
func (d *Directory) Regional(region string, categories ...string) []Resource {
	return d.serving(strings.ToUpper(strings.TrimSpace(region)), categories)
}

func (d *Directory) serving(region string, categories []string) []Resource {
	var out []Resource
	for _, r := range d.public {
		if !r.Local && r.Serves(region) && r.HasCategory(categories...) {
			out = append(out, r.clone())
		}
	}
	rank := func(r Resource) int {
		for i, c := range categories {
			if r.HasCategory(c) {
				return i
			}
		}
		return len(categories)
	}
	sort.SliceStable(out, func(i, j int) bool { return rank(out[i]) < rank(out[j]) })
	return out
}

// Nearby returns up to max verified local resources with any of categories
// (all when none given), within NearbyMaxKm of p, nearest first by
// haversine distance. When lang is given, resources that list languages
// without lang come after those that list it or list none.
func (d *Directory) Nearby(p tipline.Location, categories []string, lang string, max int) []Resource {
	if max <= 0 {
		return nil
	}
	type hit struct {
		r     Resource
		km    float64
		other bool
	}
	var hits []hit
	for _, r := range d.public {
		if !r.Local || r.Point == nil || math.Abs(r.Point.Lat-p.Lat) > maxLatDelta || !r.HasCategory(categories...) {
			continue
		}
		km := DistanceKm(p, *r.Point)
		if km > NearbyMaxKm {
			continue
		}
		other := lang != "" && len(r.Languages) > 0 && !contains(r.Languages, lang)
		hits = append(hits, hit{r, km, other})
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].other != hits[j].other {
			return !hits[i].other
		}
		return hits[i].km < hits[j].km
	})
	out := make([]Resource, 0, min(max, len(hits)))
	for _, h := range hits[:min(max, len(hits))] {
		out = append(out, h.r.clone())
	}
	return out
}

// All returns every record given to New, verified or not, hidden fields
// included: for staff screens and exports, never for users.
func (d *Directory) All() []Resource {
	out := make([]Resource, len(d.all))
	for i, r := range d.all {
		out[i] = r.clone()
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
