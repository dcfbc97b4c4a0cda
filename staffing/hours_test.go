package staffing

import (
	"strings"
	"testing"
	"time"
)

func mustParse(t *testing.T, spec string, loc *time.Location) Hours {
	t.Helper()
	h, err := Parse(spec, loc)
	if err != nil {
		t.Fatalf("Parse(%q): %v", spec, err)
	}
	return h
}

func TestOpenFollowsDaysTimesAndMidnight(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no tzdata")
	}
	h := mustParse(t, "en=Mon-Fri 09:00-21:00,Sat 10:00-16:00; es=Fri-Sun 22:00-06:00; fr=Mon-Sun 00:00-24:00", ny)
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, ny)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// 2026-12-04 is a Friday.
	cases := []struct {
		lang, when string
		want       bool
	}{
		{"en", "2026-12-04 09:00", true},
		{"en", "2026-12-04 08:59", false},
		{"en", "2026-12-04 20:59", true},
		{"en", "2026-12-04 21:00", false},
		{"", "2026-12-04 12:00", true}, // unknown language reads as English
		{"en", "2026-12-05 15:59", true},
		{"en", "2026-12-06 12:00", false}, // Sunday
		{"es", "2026-12-04 23:30", true},
		{"es", "2026-12-05 05:59", true}, // Friday's night runs into Saturday
		{"es", "2026-12-05 06:00", false},
		{"es", "2026-12-07 05:00", true},  // Sunday's night runs into Monday
		{"es", "2026-12-08 05:00", false}, // but Monday's does not exist
		{"fr", "2026-12-08 23:59", true},
		{"de", "2026-12-04 12:00", false}, // a language without hours is closed
	}
	for _, c := range cases {
		if got := h.Open(c.lang, at(c.when)); got != c.want {
			t.Errorf("Open(%q, %s) = %v, want %v", c.lang, c.when, got, c.want)
		}
	}
	// The zone is the organisation's, whatever the caller's clock zone.
	if !h.Open("en", at("2026-12-04 20:30").UTC()) {
		t.Error("UTC instant not read in the organisation's zone")
	}
}

func TestAvailableNeedsHoursAndSomeoneOnShift(t *testing.T) {
	now := time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC) // Saturday
	var none Hours
	if !Available(none, "fr", now, 1) || Available(none, "fr", now, 0) {
		t.Error("without hours, availability is whether anyone is on shift")
	}
	h := mustParse(t, "en=Mon-Fri 09:00-17:00", time.UTC)
	if Available(h, "en", now, 3) {
		t.Error("on shift outside the hours counts as available")
	}
	if !Available(h, "en", now.AddDate(0, 0, 2), 1) || Available(h, "en", now.AddDate(0, 0, 2), 0) {
		t.Error("Monday noon")
	}
}

func TestParseErrorsSayWhat(t *testing.T) {
	for spec, want := range map[string]string{
		"en":                          "lang=DAYS",
		"english=Mon 09:00-10:00":     "two-letter",
		"en=Mon 9:00-10:00":           "HH:MM",
		"en=Mon 09:00-25:00":          "HH:MM",
		"en=Mon 24:00-10:00":          "only end",
		"en=Mnd 09:00-10:00":          "unknown day",
		"en=Mon 09:00":                "time range",
		"en=Mon09:00-10:00":           "DAYS HH:MM",
		"en=Mon 09:00-10:00;en=Tue 0": "twice",
	} {
		_, err := Parse(spec, time.UTC)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) = %v, want an error mentioning %q", spec, err, want)
		}
	}
	if h, err := Parse(" ; ", time.UTC); err != nil || h.Set() {
		t.Errorf("empty spec: %v %v", h.Set(), err)
	}
}

func TestStringRoundTrips(t *testing.T) {
	spec := "en=Mon 09:00-21:00,Sat 22:00-02:00;fr=Sun 00:00-24:00"
	h := mustParse(t, spec, time.UTC)
	if got := h.String(); got != spec {
		t.Errorf("String() = %q, want %q", got, spec)
	}
}
