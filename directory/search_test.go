package directory

import (
	"testing"
	"time"

	"tipline"
)

// searchFixture: four shelters around Midtown Manhattan.
func searchFixture() *Directory {
	at := func(lat, lon float64) *tipline.Location { return &tipline.Location{Lat: lat, Lon: lon} }
	weekdays := []Opening{{Days: []string{"MO", "TU", "WE", "TH", "FR"}, Opens: "09:00", Closes: "17:00"}}
	nights := []Opening{{Days: []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}, Opens: "20:00", Closes: "08:00"}}
	return New([]Resource{
		{ID: "adult-near", Name: "Adult", Categories: []string{"shelter"}, AgesMin: 18, Local: true, Point: at(40.752, -73.993), Regions: []string{"US-NY"}, Verified: true},
		{ID: "youth-far", Name: "Youth", Categories: []string{"shelter"}, AgesMin: 12, AgesMax: 21, Local: true, Point: at(40.80, -73.95), Regions: []string{"US-NY"}, Verified: true},
		{ID: "day-mid", Name: "Day", Categories: []string{"shelter"}, Local: true, Point: at(40.76, -73.98), Regions: []string{"US-NY"}, Schedule: weekdays, Verified: true},
		{ID: "night-far", Name: "Night", Categories: []string{"shelter"}, Local: true, Point: at(40.85, -73.90), Schedule: nights, Verified: true},
		{ID: "far-away", Name: "Boston", Categories: []string{"shelter"}, Local: true, Point: at(42.36, -71.06), Verified: true},
	})
}

func ids(hs []Hit) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.ID)
	}
	return out
}

func TestSearchAgesFirst(t *testing.T) {
	d := searchFixture()
	p := tipline.Location{Lat: 40.752, Lon: -73.993}
	// A minor: the adult-only shelter is left out; the youth one comes first.
	got := ids(d.Search(Query{Point: p, Categories: []string{"shelter"}, Age: 16, Max: 5}))
	if len(got) != 3 || got[0] != "youth-far" || contains(got, "adult-near") || contains(got, "far-away") {
		t.Errorf("age 16: %v", got)
	}
	// Age not said: youth services first, the adult one still listed.
	got = ids(d.Search(Query{Point: p, Categories: []string{"shelter"}, Max: 5}))
	if got[0] != "youth-far" || !contains(got, "adult-near") {
		t.Errorf("age unknown: %v", got)
	}
	// An adult: the youth shelter (up to 21) is left out for 30.
	got = ids(d.Search(Query{Point: p, Categories: []string{"shelter"}, Age: 30, Max: 5}))
	if contains(got, "youth-far") || got[0] != "adult-near" {
		t.Errorf("age 30: %v", got)
	}
}

func TestSearchOpenNow(t *testing.T) {
	d := searchFixture()
	p := tipline.Location{Lat: 40.752, Lon: -73.993}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone data")
	}
	q := Query{Point: p, Categories: []string{"shelter"}, Age: 30, Max: 5}
	// Monday 10:00 in New York: the day shelter is open, the night one closed.
	q.Now = time.Date(2026, 3, 16, 10, 0, 0, 0, ny).UTC()
	hs := d.Search(q)
	if got := ids(hs); got[0] != "day-mid" || got[len(got)-1] != "night-far" {
		t.Errorf("Monday 10:00: %v", got)
	}
	if !hs[0].OpenKnown || !hs[0].Open || hs[len(hs)-1].Open || !hs[len(hs)-1].OpenKnown {
		t.Errorf("open flags: %+v", hs)
	}
	// Monday 23:00: the night shelter is open (it runs past midnight).
	q.Now = time.Date(2026, 3, 16, 23, 0, 0, 0, ny).UTC()
	if got := ids(d.Search(q)); got[0] != "night-far" {
		t.Errorf("Monday 23:00: %v", got)
	}
	// Tuesday 02:00: still open from Monday night; the day shelter closed.
	q.Now = time.Date(2026, 3, 17, 2, 0, 0, 0, ny).UTC()
	if got := ids(d.Search(q)); got[0] != "night-far" || got[len(got)-1] != "day-mid" {
		t.Errorf("Tuesday 02:00: %v", got)
	}
	// No time: hours say nothing, the nearest comes first.
	q.Now = time.Time{}
	if hs := d.Search(q); hs[0].ID != "adult-near" || hs[0].OpenKnown {
		t.Errorf("no time: %+v", hs[0])
	}
}

func TestSearchDistanceAndLimit(t *testing.T) {
	d := searchFixture()
	hs := d.Search(Query{Point: tipline.Location{Lat: 40.752, Lon: -73.993}, Age: 30, Max: 2})
	if len(hs) != 2 || hs[0].Km > 0.1 || hs[1].Km < hs[0].Km {
		t.Errorf("nearest two: %+v", hs)
	}
	if d.Search(Query{Max: 0}) != nil {
		t.Error("Max 0 answers nothing")
	}
}

func TestZoneOf(t *testing.T) {
	for _, c := range []struct {
		r    Resource
		want string
	}{
		{Resource{Regions: []string{"US", "US-TX"}}, "America/Chicago"},
		{Resource{Regions: []string{"CA-QC"}}, "America/Toronto"},
		{Resource{Regions: []string{"US-VT"}}, "America/New_York"},
		{Resource{Point: &tipline.Location{Lat: 34.05, Lon: -118.25}}, "America/Los_Angeles"},
		{Resource{}, ""},
	} {
		loc := zoneOf(c.r)
		got := ""
		if loc != nil {
			got = loc.String()
		}
		if got != c.want {
			t.Errorf("%+v: %q, want %q", c.r.Regions, got, c.want)
		}
	}
}
