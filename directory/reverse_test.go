package directory

import (
	"testing"

	"tipline"
)

func TestPlaceAt(t *testing.T) {
	cases := []struct {
		name    string
		p       tipline.Location
		country string
		ok      bool
	}{
		{"Manhattan", tipline.Location{Lat: 40.75, Lon: -73.99}, "US", true},
		{"Montreal", tipline.Location{Lat: 45.50, Lon: -73.57}, "CA", true},
		{"Windsor, across the river from Detroit", tipline.Location{Lat: 42.30, Lon: -83.02}, "CA", true},
		{"mid-Atlantic", tipline.Location{Lat: 35.0, Lon: -40.0}, "", false},
		{"Mexico City", tipline.Location{Lat: 19.43, Lon: -99.13}, "", false},
	}
	for _, c := range cases {
		got, ok := PlaceAt(c.p)
		if ok != c.ok || got.Country != c.country {
			t.Errorf("%s: got %q %v, want %q %v", c.name, got.Country, ok, c.country, c.ok)
		}
	}
}

func BenchmarkPlaceAt(b *testing.B) {
	if err := Preload(); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		PlaceAt(tipline.Location{Lat: 45.5, Lon: -73.57})
	}
}
