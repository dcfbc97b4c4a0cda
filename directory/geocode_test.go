package directory

import (
	"math"
	"testing"
)

func TestGeocode(t *testing.T) {
	cases := []struct {
		in, region, label string
		lat, lon          float64 // expected centroid, within 0.2 degrees
	}{
		{"10001", "US-NY", "10001", 40.75, -74.0},
		{"my zip is 78701-1234", "US-TX", "78701", 30.27, -97.74},
		{"00601", "US-PR", "00601", 18.18, -66.75},
		{"H2X 1Y4", "CA-QC", "H2X 1Y4", 45.51, -73.57},
		{"h2x1y4", "CA-QC", "H2X 1Y4", 45.51, -73.57},
		{"M5V", "CA-ON", "M5V", 43.65, -79.37},
		{"Austin, TX", "US-TX", "Austin, TX", 30.3, -97.75},
		{"austin tx", "US-TX", "Austin, TX", 30.3, -97.75},
		{"I'm in Houston Texas", "US-TX", "Houston, TX", 29.8, -95.4},
		{"St. Louis, MO", "US-MO", "Saint Louis, MO", 38.6, -90.3},
		{"New York, NY", "US-NY", "New York, NY", 40.75, -73.98},
		{"Brooklyn, Nueva York", "US-NY", "Brooklyn, NY", 40.65, -73.95},
		{"Montréal, QC", "CA-QC", "Montreal, QC", 45.5, -73.6},
		{"Montreal Québec", "CA-QC", "Montreal, QC", 45.5, -73.6},
		{"Québec, Québec", "CA-QC", "Quebec, QC", 46.8, -71.25},
		{"Whitehorse, Yukon", "CA-YT", "Whitehorse, YT", 60.7, -135.05},
		{"Vancouver, Colombie-Britannique", "CA-BC", "Vancouver, BC", 49.25, -123.1},
		{"Billings MT", "US-MT", "Billings, MT", 45.8, -108.5},
	}
	for _, c := range cases {
		p, ok := Geocode(c.in)
		if !ok {
			t.Errorf("Geocode(%q) failed", c.in)
			continue
		}
		if p.Region != c.region || p.Label != c.label || p.Country != c.region[:2] ||
			math.Abs(p.Point.Lat-c.lat) > 0.2 || math.Abs(p.Point.Lon-c.lon) > 0.2 {
			t.Errorf("Geocode(%q) = %+v", c.in, p)
		}
	}
}

func TestGeocodeMisses(t *testing.T) {
	for _, in := range []string{"", "hello", "99999", "00000", "Texas", "New York", "Springfield",
		"Atlantis, TX", "D1A", "H0H 0H0", "call 911", "Paris, France"} {
		if p, ok := Geocode(in); ok {
			t.Errorf("Geocode(%q) = %+v, want no match", in, p)
		}
	}
}

func TestParseRegion(t *testing.T) {
	cases := map[string]string{"Texas": "US-TX", "tx": "US-TX", "Québec": "CA-QC", "nueva york": "US-NY",
		"Caroline du Nord": "US-NC", "West Virginia": "US-WV", "Île-du-Prince-Édouard": "CA-PE",
		"Terre-Neuve-et-Labrador": "CA-NL", "columbia británica": "CA-BC"}
	for in, want := range cases {
		p, ok := ParseRegion(in)
		if !ok || p.Region != want {
			t.Errorf("ParseRegion(%q) = %+v, %v; want %s", in, p, ok, want)
		}
	}
	if _, ok := ParseRegion("Austin, TX"); ok {
		t.Error("ParseRegion took a city")
	}
}
