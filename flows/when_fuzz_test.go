package flows

import (
	"errors"
	"testing"
	"time"
)

// FuzzParseWhen feeds the sighting-time parser any text in any of the
// three languages. It must not panic, must answer the same twice, and a
// time it reads is in the organisation's zone and never in the future
// beyond the clock grace. Seeds live in testdata/fuzz/FuzzParseWhen.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"now", "20 minutes ago", "today at 3pm", "yesterday 15h30", "at 3", "Monday",
		"March 14", "14 de marzo a las 5", "3/14", "2026-03-14 15:00", "hace 2 horas", "il y a 1 heure",
		"hier vers 18h", "mañana", "99999999999999999999 hours ago", "31/02", "12:60", "0:00 am"} {
		f.Add(s, "en")
		f.Add(s, "fr")
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2026, 3, 14, 19, 5, 0, 0, ny)
	f.Fuzz(func(t *testing.T, text, lang string) {
		at, err := ParseWhen(text, lang, now, ny)
		again, err2 := ParseWhen(text, lang, now, ny)
		if !at.Equal(again) || (err == nil) != (err2 == nil) {
			t.Fatalf("ParseWhen(%q, %q) not deterministic: %v %v / %v %v", text, lang, at, err, again, err2)
		}
		if err != nil {
			if !errors.Is(err, errUnclear) && !errors.Is(err, errFuture) {
				t.Fatalf("ParseWhen(%q): unexpected error %v", text, err)
			}
			return
		}
		if at.IsZero() || at.After(now.Add(futureGrace)) || at.Location() != ny {
			t.Fatalf("ParseWhen(%q, %q) = %v (now %v)", text, lang, at, now)
		}
	})
}
