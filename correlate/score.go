package correlate

import (
	"math"
	"sort"
	"strings"
	"time"

	"tipline"
	"tipline/directory"
)

// Kind is what a candidate is: another sighting (a tip) or an open case.
type Kind string

// The kinds of candidate.
const (
	KindTip  Kind = "tip"
	KindCase Kind = "case"
)

// Sighting is a tip's sighting, or an open case as a sighting of the
// child when last seen.
type Sighting struct {
	Kind     Kind
	ID       int64
	Ref      string     // the tip ID or case number staff know it by
	At       *time.Time // when seen (a case: last seen)
	Lat, Lon *float64
	Place    string
	Text     string // what was seen (a case: its description)
	Lang     string // the description's language ("" to guess)
	Name     string // a case's child's name, looked for in the sighting
	Age      *int   // a case's age
	Sex      string // a case's sex (female, male, f, m)
}

// Suggestion is one candidate scored against a sighting.
type Suggestion struct {
	Candidate Sighting
	Score     float64        // 0 to 1: how likely the same child
	Km        *float64       // distance, when both have coordinates
	Apart     *time.Duration // time between them, when both have one (positive: the candidate is earlier)
	Shared    []string       // what both descriptions say ("a purple backpack")
	Conflicts []string       // what they contradict ("a girl in one, a boy in the other")
	Reason    string         // all of it in one sentence
}

// Threshold is the score from which a candidate is suggested to staff.
const Threshold = 0.55

// Scales and weights of the score's parts. A case is a child missing for
// days or weeks, last seen somewhere: its time and place count over
// longer spans than another sighting's.
var (
	tipScale  = scale{flatTime: 3 * time.Hour, time: 12 * time.Hour, flatKm: 2, km: 5}
	caseScale = scale{flatTime: 3 * 24 * time.Hour, time: 14 * 24 * time.Hour, flatKm: 10, km: 25}
)

const (
	wTime, wPlace, wText = 0.15, 0.2, 0.65
	maxKmh               = 150 // faster than this between two sightings: not the same child
)

// scale says how time and distance count. Within flatTime and flatKm a
// child could have walked from one sighting to the other: nearness counts
// only a little there (a fifth of the score, for the same place and hour:
// two reports of one sighting). Beyond, the score falls by e every time
// and km more.
type scale struct {
	flatTime, time time.Duration
	flatKm, km     float64
}

// near scores x against a flat zone and a decay scale; close is what
// "the same" means (0.5 km, 1 h).
func near(x, flat, decay, close float64) float64 {
	return math.Exp(-math.Max(0, x-flat)/decay) * (0.8 + 0.2*math.Exp(-x/close))
}

// Rank scores every candidate against s, best first. The candidate that
// is s itself (same kind and ID) is left out.
func Rank(s Sighting, cands []Sighting) []Suggestion {
	ps := profileOf(s)
	out := make([]Suggestion, 0, len(cands))
	for _, c := range cands {
		if c.Kind == s.Kind && c.ID == s.ID {
			continue
		}
		out = append(out, score(s, ps, c))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
	return out
}

// Suggest returns at most limit candidates scoring Threshold or more,
// best first.
func Suggest(s Sighting, cands []Sighting, limit int) []Suggestion {
	var out []Suggestion
	for _, sg := range Rank(s, cands) {
		if sg.Score < Threshold || len(out) == limit {
			break
		}
		out = append(out, sg)
	}
	return out
}

// profileOf reads a sighting's description, with a case's age and sex.
func profileOf(s Sighting) Profile {
	p := Read(s.Text, s.Lang)
	if s.Age != nil && *s.Age > 0 {
		p.AgeMin, p.AgeMax, p.Exact = *s.Age, *s.Age, true
	}
	switch strings.ToLower(strings.TrimSpace(s.Sex)) {
	case "f", "female", "girl":
		p.Child = map[string]bool{"girl": true}
	case "m", "male", "boy":
		p.Child = map[string]bool{"boy": true}
	}
	return p
}

// score weighs one candidate.
func score(s Sighting, ps Profile, c Sighting) Suggestion {
	sg := Suggestion{Candidate: c}
	sc := tipScale
	if c.Kind == KindCase || s.Kind == KindCase {
		sc = caseScale
	}
	var sum, weights float64
	if s.At != nil && c.At != nil {
		d := s.At.Sub(*c.At)
		sg.Apart = &d
		sum += wTime * near(math.Abs(d.Hours()), sc.flatTime.Hours(), sc.time.Hours(), 1)
		weights += wTime
	}
	if place, ok := placeScore(&sg, s, c, sc); ok {
		sum += wPlace * place
		weights += wPlace
	}
	cmp := compare(ps, profileOf(c))
	cmp.nameMatch(s, c)
	travelCheck(&cmp, sg)
	text := math.Tanh((cmp.shared - cmp.conflict) / 4)
	sum += wText * text
	weights += wText
	sg.Score = math.Max(0, math.Min(1, sum/weights))
	sg.Shared, sg.Conflicts = cmp.sharedText, cmp.conflictText
	sg.Reason = reason(sg)
	return sg
}

// placeScore is 1 for the same place, falling with distance; without
// coordinates on both, the share of place words they have in common.
func placeScore(sg *Suggestion, s, c Sighting, sc scale) (float64, bool) {
	if s.Lat != nil && s.Lon != nil && c.Lat != nil && c.Lon != nil {
		km := directory.DistanceKm(tipline.Location{Lat: *s.Lat, Lon: *s.Lon}, tipline.Location{Lat: *c.Lat, Lon: *c.Lon})
		sg.Km = &km
		return near(km, sc.flatKm, sc.km, 0.5), true
	}
	a, b := placeWords(s.Place), placeWords(c.Place)
	if len(a) == 0 || len(b) == 0 {
		return 0, false
	}
	same := sortedShared(a, b)
	union := len(a) + len(b) - len(same)
	return float64(len(same)) / float64(union), true
}

func placeWords(place string) map[string]bool {
	out := map[string]bool{}
	for _, w := range fold(place) {
		if len(w) >= 2 && !isStop(w) && w != "|" {
			out[w] = true
		}
	}
	return out
}

// nameMatch counts a case's child's first name found in the sighting.
func (c *comparison) nameMatch(s, cand Sighting) {
	name, text := cand.Name, s.Text
	if s.Kind == KindCase {
		name, text = s.Name, cand.Text
	}
	first := fold(name)
	if len(first) == 0 || len(first[0]) < 3 {
		return
	}
	for _, w := range fold(text) {
		if w == first[0] {
			c.share(wName, "the name "+strings.Fields(name)[0])
			return
		}
	}
}

// travelCheck contradicts two sightings too far apart for the time
// between them.
func travelCheck(c *comparison, sg Suggestion) {
	if sg.Km == nil || sg.Apart == nil || *sg.Km < 5 {
		return
	}
	h := math.Abs(sg.Apart.Hours())
	if h == 0 || *sg.Km/h > maxKmh {
		c.contradict(4, formatKm(*sg.Km)+" in "+formatDuration(*sg.Apart)+": too far apart")
	}
}
