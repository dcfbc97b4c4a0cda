package flows

import (
	"math"
	"strconv"
	"strings"

	"tipline"
	"tipline/directory"
)

// kmPerMile converts distances for the US, where people count in miles.
const kmPerMile = 1.609344

// localAnswer is the part of an answer about places near p: up to maxLocal
// places that fit the need, the youth's age (when they said it) and the
// hour, under "Near you:"; or, when nothing is listed, the honest sentence
// that says so, glued to the national lines as their heading ("Nothing is
// listed near you. These lines can find a place tonight:"). It returns the
// local blocks and the national ones.
func (t *turn) localAnswer(p tipline.Location, need string) (local, national []string) {
	cats := needsData.Local[need]
	if len(cats) == 0 {
		return nil, t.nationalBlocks(need)
	}
	age, _ := strconv.Atoi(t.st.Data[dataAge])
	hits := t.e.Dir.Search(directory.Query{Point: p, Categories: cats, Lang: t.lang(), Age: age,
		Now: t.now, Max: maxLocal})
	if len(hits) > 0 {
		for _, h := range hits {
			local = append(local, t.localLine(h))
		}
		local[0] = t.text("help.local") + "\n" + local[0]
		return local, t.nationalBlocks(need)
	}
	country, _ := t.lineCountry()
	rs := t.resources(needsData.National[need][country])
	if len(rs) == 0 {
		return nil, []string{t.text("help.none_near.none")}
	}
	national = make([]string, 0, len(rs))
	for _, r := range rs {
		national = append(national, t.contactLine(r, true))
	}
	national[0] = t.text("help.none_near."+need) + "\n" + national[0]
	return nil, national
}

// localLine renders a nearby place: how to reach it, its hours and whether
// it is open now, the ages it serves, its languages, how far it is, and
// where.
func (t *turn) localLine(h directory.Hit) string {
	parts := []string{t.howToReach(h.Resource, true)}
	if o := t.openText(h); o != "" {
		parts = append(parts, o)
	}
	if a := t.agesText(h.AgesMin, h.AgesMax); a != "" {
		parts = append(parts, a)
	}
	if l := t.languages(h.Languages); l != "" {
		parts = append(parts, l)
	}
	where := t.distance(h.Km)
	if h.Address != "" {
		where += ", " + t.text("res.address", "address", h.Address)
	}
	parts = append(parts, where)
	return "- " + h.Name + ": " + strings.Join(parts, "; ") + "."
}

// openText is a place's hours, with "open now" or "closed now" when its
// schedule tells.
func (t *turn) openText(h directory.Hit) string {
	hours := t.hours(h.Hours)
	if !h.OpenKnown || hours == t.text("res.hours_always") {
		return hours
	}
	now := t.text("res.closed_now")
	if h.Open {
		now = t.text("res.open_now")
	}
	if hours == "" {
		return now
	}
	return hours + ", " + now
}

// agesText names the ages a place serves; "" when it serves all ages.
func (t *turn) agesText(lo, hi int) string {
	switch {
	case lo > 0 && hi > 0:
		return t.text("res.ages", "min", strconv.Itoa(lo), "max", strconv.Itoa(hi))
	case lo > 0:
		return t.text("res.ages_from", "min", strconv.Itoa(lo))
	case hi > 0:
		return t.text("res.ages_to", "max", strconv.Itoa(hi))
	}
	return ""
}

// distance says how far a place is: in miles in the US, else in
// kilometres, never less than 1.
func (t *turn) distance(km float64) string {
	if c, _ := t.lineCountry(); c == "US" {
		return t.text("res.dist_mi", "n", strconv.Itoa(max(1, int(math.Round(km/kmPerMile)))))
	}
	return t.text("res.dist_km", "n", strconv.Itoa(max(1, int(math.Round(km)))))
}
