package correlate

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// reason says in one sentence why a candidate is suggested: "0.4 km and
// 20 min from tip X; both mention a purple backpack and a girl of about
// 14; but: brown hair and blond hair".
func reason(sg Suggestion) string {
	c := sg.Candidate
	var where []string
	if sg.Km != nil {
		where = append(where, formatKm(*sg.Km))
	}
	if sg.Apart != nil {
		where = append(where, formatDuration(*sg.Apart))
	}
	name := "tip " + c.Ref
	if c.Kind == KindCase {
		name = "case " + c.Ref + " (last seen)"
	}
	var parts []string
	if len(where) > 0 {
		parts = append(parts, strings.Join(where, " and ")+" from "+name)
	} else {
		parts = append(parts, name)
	}
	if len(sg.Shared) > 0 {
		parts = append(parts, "both mention "+list(sg.Shared))
	}
	if len(sg.Conflicts) > 0 {
		parts = append(parts, "but: "+strings.Join(sg.Conflicts, "; "))
	}
	return strings.Join(parts, "; ")
}

// list joins phrases as English does: "a, b and c".
func list(xs []string) string {
	if len(xs) <= 1 {
		return strings.Join(xs, "")
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// formatKm writes a distance: one decimal under 10 km.
func formatKm(km float64) string {
	if km < 10 {
		return fmt.Sprintf("%.1f km", km)
	}
	return fmt.Sprintf("%.0f km", km)
}

// formatDuration writes the time between two sightings, rounded: 20 min,
// 3 h 10 min, 4 days.
func formatDuration(d time.Duration) string {
	d = time.Duration(math.Abs(float64(d)))
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Round(time.Minute).Minutes()))
	case d < 48*time.Hour:
		h, m := int(d.Hours()), int(d.Round(time.Minute).Minutes())%60
		if m == 0 || h >= 10 {
			return fmt.Sprintf("%d h", int(d.Round(time.Hour).Hours()))
		}
		return fmt.Sprintf("%d h %d min", h, m)
	}
	return fmt.Sprintf("%d days", int(d.Round(24*time.Hour).Hours()/24))
}
