package directory

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"tipline"
)

// The centroid tables; directory/data/SOURCES.md says where they come from.
var (
	//go:embed data/us_zip.csv.gz
	usZipGz []byte
	//go:embed data/ca_fsa.csv.gz
	caFSAGz []byte
)

// Place is a geocoded place: a country, a subdivision, a point and a label.
type Place struct {
	Country string           // ISO 3166-1 alpha-2
	Region  string           // ISO 3166-2, e.g. "US-NY"
	Point   tipline.Location // centroid; zero from ParseRegion
	Label   string           // what was recognised, e.g. "10001" or "Montreal, QC"
}

// geoPoint is one row of a centroid table.
type geoPoint struct {
	loc    tipline.Location
	region string // two letters
	name   string // city (US) or area label (CA)
}

// geoIndex holds the parsed tables and the city centroids derived from
// them (the mean of a city's ZIP or FSA centroids).
type geoIndex struct {
	zips   map[string]geoPoint
	fsas   map[string]geoPoint
	cities map[string]Place // key: cityKey + "|" + country-region
}

var (
	geoOnce sync.Once
	geo     *geoIndex
	geoErr  error
)

// Preload parses the bundled centroid tables now (a few hundred
// milliseconds) rather than on the first Geocode call; servers call it at
// start so no user waits for it.
func Preload() error {
	_, err := loadGeo()
	return err
}

func loadGeo() (*geoIndex, error) {
	geoOnce.Do(func() { geo, geoErr = buildGeo() })
	return geo, geoErr
}

var (
	zipRe = regexp.MustCompile(`(?:^|[^0-9])([0-9]{5})(?:-[0-9]{4})?(?:$|[^0-9])`)
	fsaRe = regexp.MustCompile(`(?i)(?:^|[^a-z0-9])([abceghj-nprstvxy][0-9][abceghj-nprstv-z])(?:\s?([0-9][abceghj-nprstv-z][0-9]))?(?:$|[^a-z0-9])`)
)

// Geocode recognises a US ZIP code (5 digits or ZIP+4), a Canadian postal
// code (its first three characters, the FSA, are enough) or "City, ST" /
// "City ST" / "City, State" for US states and Canadian provinces (names in
// English, Spanish or French), and returns its centroid. A code that is
// well formed but unknown, a city the tables do not have, or a bare state
// name (see ParseRegion) gives false.
func Geocode(text string) (Place, bool) {
	g, err := loadGeo()
	if err != nil {
		return Place{}, false
	}
	if m := zipRe.FindStringSubmatch(text); m != nil {
		p, ok := g.zips[m[1]]
		if !ok {
			return Place{}, false
		}
		return Place{Country: "US", Region: "US-" + p.region, Point: p.loc, Label: m[1]}, true
	}
	if m := fsaRe.FindStringSubmatch(text); m != nil {
		fsa := strings.ToUpper(m[1])
		if p, ok := g.fsas[fsa]; ok {
			label := strings.TrimSpace(fsa + " " + strings.ToUpper(m[2]))
			return Place{Country: "CA", Region: "CA-" + p.region, Point: p.loc, Label: label}, true
		}
	}
	return g.city(text)
}

// city finds "City, ST": the subdivision at the end, then the longest
// tail of the words before it that names a city there.
func (g *geoIndex) city(text string) (Place, bool) {
	rn, rest, ok := matchRegionSuffix(foldWords(text))
	if !ok {
		return Place{}, false
	}
	for i := 0; i < len(rest); i++ {
		if p, ok := g.cities[cityKey(rest[i:])+"|"+rn.country+"-"+rn.code]; ok {
			return p, true
		}
	}
	return Place{}, false
}

func buildGeo() (*geoIndex, error) {
	g := &geoIndex{cities: map[string]Place{}}
	var err error
	if g.zips, err = readCentroids("us_zip.csv.gz", usZipGz); err != nil {
		return nil, err
	}
	if g.fsas, err = readCentroids("ca_fsa.csv.gz", caFSAGz); err != nil {
		return nil, err
	}
	g.addCities("US", g.zips, func(name string) []string { return []string{name} })
	g.addCities("CA", g.fsas, fsaCityNames)
	return g, nil
}

// addCities takes as a city's centroid the median latitude and longitude of
// the rows naming it (robust against a stray row).
func (g *geoIndex) addCities(country string, rows map[string]geoPoint, names func(string) []string) {
	type acc struct {
		lats, lons []float64
		label      string
	}
	sums := map[string]*acc{}
	for _, p := range rows {
		for _, name := range names(p.name) {
			words := foldWords(name)
			if len(words) == 0 {
				continue
			}
			key := cityKey(words) + "|" + country + "-" + p.region
			a := sums[key]
			if a == nil {
				a = &acc{}
				sums[key] = a
			}
			if l := name + ", " + p.region; a.label == "" || len(l) < len(a.label) || len(l) == len(a.label) && l < a.label {
				a.label = l // the shortest spelling, so the label does not depend on map order
			}
			a.lats, a.lons = append(a.lats, p.loc.Lat), append(a.lons, p.loc.Lon)
		}
	}
	for key, a := range sums {
		region := key[strings.IndexByte(key, '|')+1:]
		g.cities[key] = Place{Country: country, Region: region, Label: a.label,
			Point: tipline.Location{Lat: median(a.lats), Lon: median(a.lons)}}
	}
}

// fsaQualifiers are the words that divide a city into FSAs in the labels
// of the Canadian table ("Downtown Montreal North", "Quebec City East").
var fsaQualifiers = map[string]bool{
	"north": true, "south": true, "east": true, "west": true, "northeast": true,
	"northwest": true, "southeast": true, "southwest": true, "central": true,
	"downtown": true, "inner": true, "outer": true, "upper": true, "lower": true,
}

// fsaCityNames returns the city names an FSA label stands for: the label
// without its bracketed part and direction words, and for "X City" also X.
func fsaCityNames(label string) []string {
	if i := strings.IndexByte(label, '('); i >= 0 {
		label = label[:i]
	}
	var kept []string
	for _, w := range strings.Fields(label) {
		if !fsaQualifiers[strings.ToLower(w)] {
			kept = append(kept, w)
		}
	}
	if len(kept) == 0 {
		return nil
	}
	name := strings.Join(kept, " ")
	names := []string{name}
	if len(kept) > 1 && strings.EqualFold(kept[len(kept)-1], "city") {
		names = append(names, strings.Join(kept[:len(kept)-1], " "))
	}
	return names
}

// readCentroids parses a gzip'd CSV: code, lat, lon, region, name.
func readCentroids(name string, gz []byte) (map[string]geoPoint, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r := csv.NewReader(zr)
	r.FieldsPerRecord = 5
	if _, err := r.Read(); err != nil {
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	out := map[string]geoPoint{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		lat, err1 := strconv.ParseFloat(rec[1], 64)
		lon, err2 := strconv.ParseFloat(rec[2], 64)
		if err1 != nil || err2 != nil {
			line, _ := r.FieldPos(0)
			return nil, fmt.Errorf("%s:%d: bad coordinates", name, line)
		}
		out[rec[0]] = geoPoint{loc: tipline.Location{Lat: lat, Lon: lon}, region: rec[3], name: rec[4]}
	}
}

// median returns the median of xs (xs is reordered).
func median(xs []float64) float64 {
	sort.Float64s(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
