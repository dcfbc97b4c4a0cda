package directory

import (
	"math"
	"sort"
	"strings"
	"sync"
	"time"

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

// Query is a youth's question to the directory: what (Categories, all when
// none), where (Point), in which language (Lang), for what age (Age, 0 when
// not said) and when (Now; zero leaves opening hours out), at most Max
// answers.
type Query struct {
	Point      tipline.Location
	Categories []string
	Lang       string
	Age        int
	Now        time.Time
	Max        int
}

// Hit is one answer to a Query: a verified local resource (hidden fields
// blanked), its distance from the query's point, and whether it is open at
// the query's time (OpenKnown is false without a schedule or a time zone).
type Hit struct {
	Resource
	Km        float64
	Open      bool
	OpenKnown bool
}

// Search returns up to q.Max verified local resources within NearbyMaxKm
// of q.Point that have any of q.Categories, ordered to answer the
// question: a place whose ages exclude q.Age is left out; youth services
// come first when the age is under 18 or not said (the tipline is for
// young people, so an unknown age may be a minor's); then places open now,
// those whose hours are unknown, and those closed now; then places that
// speak q.Lang or list no language; then the nearest.
func (d *Directory) Search(q Query) []Hit {
	if q.Max <= 0 {
		return nil
	}
	var hits []rankedHit
	for _, r := range d.public {
		if !r.Local || r.Point == nil || math.Abs(r.Point.Lat-q.Point.Lat) > maxLatDelta || !r.HasCategory(q.Categories...) {
			continue
		}
		if q.Age > 0 && !r.ServesAge(q.Age) {
			continue
		}
		if km := DistanceKm(q.Point, *r.Point); km <= NearbyMaxKm {
			hits = append(hits, rank(q, r, km))
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].key != hits[j].key {
			return hits[i].key < hits[j].key
		}
		return hits[i].Km < hits[j].Km
	})
	out := make([]Hit, 0, min(q.Max, len(hits)))
	for _, h := range hits[:min(q.Max, len(hits))] {
		h.Resource = h.Resource.clone()
		out = append(out, h.Hit)
	}
	return out
}

// rankedHit is a Hit with its order key: lower comes first.
type rankedHit struct {
	Hit
	key int
}

// rank builds r's hit for q; its key orders, most important first: a
// youth service for a possible minor, open now (unknown in between),
// the language.
func rank(q Query, r Resource, km float64) rankedHit {
	h := rankedHit{Hit: Hit{Resource: r, Km: km}}
	if !q.Now.IsZero() {
		if loc := zoneOf(r); loc != nil {
			h.Open, h.OpenKnown = r.OpenAt(q.Now.In(loc))
		}
	}
	open := 1 // unknown
	if h.OpenKnown {
		open = 2 * b2i(!h.Open)
	}
	minor := q.Age == 0 || q.Age < 18
	h.key = 100*b2i(minor && !r.ServesMinors()) + 10*open +
		b2i(q.Lang != "" && len(r.Languages) > 0 && !contains(r.Languages, q.Lang))
	return h
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// zoneOf is the time zone of a local resource: that of the first
// subdivision it serves, else of the place its point lies in; nil when
// neither is known (its opening hours then say nothing about now).
func zoneOf(r Resource) *time.Location {
	region := ""
	for _, g := range r.Regions {
		if strings.Contains(g, "-") {
			region = strings.ToUpper(g)
			break
		}
	}
	if region == "" && r.Point != nil {
		if p, ok := PlaceAt(*r.Point); ok {
			region = p.Region
		}
	}
	if region == "" {
		return nil
	}
	name := regionZones[region]
	if name == "" {
		name = regionZones[Country(region)+"-*"]
	}
	if name == "" {
		return nil
	}
	if loc, ok := zoneCache.Load(name); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	zoneCache.Store(name, loc)
	return loc
}

var zoneCache sync.Map // zone name → *time.Location

// regionZones is the time zone most of a subdivision's people live in
// ("CC-*": the country's default). A state split between zones gets its
// larger part's: opening hours then err by an hour at its edge.
var regionZones = func() map[string]string {
	m := map[string]string{"US-*": "America/New_York", "CA-*": "America/Toronto", "MX-*": "America/Mexico_City"}
	for zone, regions := range map[string]string{
		"America/Chicago":     "US-AL US-AR US-IL US-IA US-KS US-LA US-MN US-MS US-MO US-NE US-ND US-OK US-SD US-TN US-TX US-WI",
		"America/Denver":      "US-CO US-MT US-NM US-UT US-WY US-ID",
		"America/Phoenix":     "US-AZ",
		"America/Los_Angeles": "US-CA US-NV US-OR US-WA MX-BCN",
		"America/Anchorage":   "US-AK",
		"Pacific/Honolulu":    "US-HI",
		"America/Puerto_Rico": "US-PR",
		"America/Vancouver":   "CA-BC",
		"America/Edmonton":    "CA-AB CA-NT",
		"America/Regina":      "CA-SK",
		"America/Winnipeg":    "CA-MB",
		"America/Halifax":     "CA-NB CA-NS CA-PE",
		"America/St_Johns":    "CA-NL",
		"America/Whitehorse":  "CA-YT",
		"America/Iqaluit":     "CA-NU",
		"America/Hermosillo":  "MX-SON",
		"America/Mazatlan":    "MX-BCS MX-SIN MX-NAY",
		"America/Chihuahua":   "MX-CHH",
		"America/Cancun":      "MX-ROO",
	} {
		for _, r := range strings.Fields(regions) {
			m[r] = zone
		}
	}
	return m
}()

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
