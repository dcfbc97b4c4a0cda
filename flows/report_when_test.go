package flows

import (
	"errors"
	"testing"
	"time"
)

// TestParseWhen reads times in the three languages, in TIPLINE_TIMEZONE.
func TestParseWhen(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	now := time.Date(2026, 3, 14, 19, 5, 0, 0, ny) // Saturday 7:05 PM
	at := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, ny) }
	cases := []struct {
		text, lang string
		want       time.Time
	}{
		{"now", "en", now},
		{"Just now!", "en", now},
		{"ahora mismo", "es", now},
		{"à l'instant", "fr", now},
		{"20 minutes ago", "en", now.Add(-20 * time.Minute)},
		{"an hour ago", "en", now.Add(-time.Hour)},
		{"hace 2 horas", "es", now.Add(-2 * time.Hour)},
		{"il y a une heure", "fr", now.Add(-time.Hour)},
		{"today at 3pm", "en", at(3, 14, 15, 0)},
		{"3:30 p.m.", "en", at(3, 14, 15, 30)},
		{"at 3", "en", at(3, 14, 15, 0)},
		{"at 8", "en", at(3, 14, 8, 0)}, // 8 PM is still to come
		{"9pm", "en", at(3, 13, 21, 0)}, // no day: yesterday's
		{"yesterday 15:30", "en", at(3, 13, 15, 30)},
		{"hier à 15h30", "fr", at(3, 13, 15, 30)},
		{"hier 9h", "fr", at(3, 13, 9, 0)},
		{"hoy a las 5 de la tarde", "es", at(3, 14, 17, 0)},
		{"around noon", "en", at(3, 14, 12, 0)},
		{"Monday around 8", "en", at(3, 9, 8, 0)},
		{"March 13 at 9:15 pm", "en", at(3, 13, 21, 15)},
		{"14 de marzo", "es", at(3, 14, 0, 0)},
		{"12 mars", "fr", at(3, 12, 0, 0)},
		{"Dec 24", "en", time.Date(2025, 12, 24, 0, 0, 0, 0, ny)},
		{"3/12", "en", at(3, 12, 0, 0)},
		{"12/3", "es", at(3, 12, 0, 0)},
		{"2026-03-01 10:00", "en", at(3, 1, 10, 0)},
	}
	for _, c := range cases {
		got, err := ParseWhen(c.text, c.lang, now, ny)
		if err != nil || !got.Equal(c.want) {
			t.Errorf("ParseWhen(%q) = %v, %v; want %v", c.text, got, err, c.want)
		}
	}
	for _, text := range []string{"", "sometime last week", "the bus", "99:99", "10001"} {
		if _, err := ParseWhen(text, "en", now, ny); !errors.Is(err, errUnclear) {
			t.Errorf("ParseWhen(%q): err %v, want errUnclear", text, err)
		}
	}
	for _, text := range []string{"today at 11pm", "tomorrow 2026-03-20", "March 20 2026"} {
		if _, err := ParseWhen(text, "en", now, ny); !errors.Is(err, errFuture) {
			t.Errorf("ParseWhen(%q): err %v, want errFuture", text, err)
		}
	}
}

// TestCasesByName: fuzzy names find public cases; numbers never fuzzy-match.
func TestCasesByName(t *testing.T) {
	r := &report{ri: &ReportInput{Cases: reportCases}}
	cases := []struct {
		text string
		want []string
	}{
		{"maria lopez", []string{"Maria Lopez", "Mariana Lopes"}},
		{"marai lopes", []string{"Maria Lopez", "Mariana Lopes"}},
		{"jaden", []string{"Jayden Brooks"}},
		{"brooks", []string{"Jayden Brooks"}},
		{"I saw a girl", nil},
		{"2026-0143", nil}, // a number is never "corrected" into another case
	}
	for _, c := range cases {
		var got []string
		for _, k := range r.casesByName(c.text) {
			got = append(got, k.Name)
		}
		if len(got) == 0 && len(c.want) == 0 {
			continue
		}
		if len(got) < len(c.want) || got[0] != c.want[0] {
			t.Errorf("casesByName(%q) = %v, want %v first", c.text, got, c.want)
		}
	}
	if _, ok := r.caseByNumber("case #2026-0142"); !ok {
		t.Error("a case number inside a sentence is found")
	}
	if _, ok := r.caseByNumber("20260142"); !ok {
		t.Error("a case number without its dash is found")
	}
}
