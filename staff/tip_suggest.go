package staff

import (
	"context"
	"math"
	"time"

	"tipline/correlate"
	"tipline/directory"
	"tipline/store"
)

// Correlation on the tip page: the open cases and the sightings of the
// week around this one, scored (package correlate), the best few shown
// with their reasons for a person to confirm or ignore.
const (
	suggestWindow = 7 * 24 * time.Hour
	suggestPool   = 500 // candidate tips scored at most
	suggestShown  = 5
)

// suggestion is one ranked candidate as the tip page shows it.
type suggestion struct {
	Kind    string // tip, case
	ID      int64
	Ref     string
	Link    string
	Score   float64
	Percent int
	Reason  string
}

// loadCorrelation fills the tip page's suggestions and merges.
func (db *Dashboard) loadCorrelation(ctx context.Context, p *tipPage) error {
	var err error
	if p.Suggestions, err = db.suggestions(ctx, p.Tip); err != nil {
		return err
	}
	p.Merges, err = db.store.TipMerges(ctx, p.Tip.ID)
	return err
}

// suggestions scores tip t against the candidates the store finds.
func (db *Dashboard) suggestions(ctx context.Context, t store.DashTipDetail) ([]suggestion, error) {
	me := tipSighting(t.DashTip, t.Lang)
	tips, cases, err := db.store.CorrelationCandidates(ctx, t.ID, *me.At, suggestWindow, suggestPool)
	if err != nil {
		return nil, err
	}
	cands := make([]correlate.Sighting, 0, len(tips)+len(cases))
	for _, r := range tips {
		at := r.At
		cands = append(cands, correlate.Sighting{Kind: correlate.KindTip, ID: r.ID, Ref: r.Code, At: &at,
			Lat: r.Lat, Lon: r.Lon, Place: r.Place, Text: r.Description, Lang: r.Lang})
	}
	for _, c := range cases {
		cands = append(cands, caseSighting(c))
	}
	var out []suggestion
	for _, sg := range correlate.Suggest(me, cands, suggestShown) {
		c := sg.Candidate
		link := "/staff/tips/" + idString(c.ID)
		if c.Kind == correlate.KindCase {
			link = "/staff/cases/" + idString(c.ID)
		}
		out = append(out, suggestion{Kind: string(c.Kind), ID: c.ID, Ref: c.Ref, Link: link,
			Score: math.Round(sg.Score*1000) / 1000, Percent: int(math.Round(sg.Score * 100)), Reason: sg.Reason})
	}
	return out, nil
}

// tipSighting is a tip as correlation reads it: seen when the tipster
// said, else when it was submitted or received.
func tipSighting(t store.DashTip, lang string) correlate.Sighting {
	at := t.CreatedAt
	switch {
	case t.SeenAt != nil:
		at = *t.SeenAt
	case t.SubmittedAt != nil:
		at = *t.SubmittedAt
	}
	return correlate.Sighting{Kind: correlate.KindTip, ID: t.ID, Ref: t.Code, At: &at, Lat: t.Lat, Lon: t.Lon,
		Place: t.PlaceText, Text: t.Description, Lang: lang}
}

// caseSighting is an open case as the child's last sighting; its place
// is placed on the map when the directory's geocoder knows it (a ZIP or
// postal code, a city).
func caseSighting(c store.Case) correlate.Sighting {
	s := correlate.Sighting{Kind: correlate.KindCase, ID: c.ID, Ref: c.Number, At: c.LastSeenAt, Place: c.LastSeenPlace,
		Text: c.Description, Name: c.DisplayName, Age: c.Age, Sex: c.Sex}
	if p, ok := directory.Geocode(c.LastSeenPlace); ok && (p.Point.Lat != 0 || p.Point.Lon != 0) {
		lat, lon := p.Point.Lat, p.Point.Lon
		s.Lat, s.Lon = &lat, &lon
	}
	return s
}
