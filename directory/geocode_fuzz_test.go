package directory

import (
	"strings"
	"testing"
)

// FuzzGeocode feeds the place parsers (Geocode: ZIP, postal code, "City,
// ST"; ParseRegion: a state or province) any text. They must not panic,
// and a place they return is in the US or Canada, in a region of that
// country, at a real point. Seeds live in testdata/fuzz/FuzzGeocode.
func FuzzGeocode(f *testing.F) {
	if err := Preload(); err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"10001", "10001-1234", "H2X 1Y4", "h2x", "Austin, TX", "i am in houston texas",
		"Montréal, QC", "Nueva York", "Texas", "nowhere", "00000", "K1A0B1", ", TX", "San Juan, PR", "12345678"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for name, parse := range map[string]func(string) (Place, bool){"Geocode": Geocode, "ParseRegion": ParseRegion} {
			p, ok := parse(text)
			if !ok {
				continue
			}
			if p.Country != "US" && p.Country != "CA" || !strings.HasPrefix(p.Region, p.Country+"-") {
				t.Fatalf("%s(%q) = %+v: not a US or Canadian region", name, text, p)
			}
			if name == "Geocode" && (p.Point.Lat < -90 || p.Point.Lat > 90 || p.Point.Lon < -180 || p.Point.Lon > 180 ||
				p.Point.Lat == 0 && p.Point.Lon == 0) {
				t.Fatalf("Geocode(%q) = %+v: not a point", text, p)
			}
		}
	})
}
