package staff

import (
	"testing"

	"tipline/store"
)

// BenchmarkCaseMapPage measures the case map through the real server and
// a session, for a case with 1,000 sightings (the most a map shows), 900
// of them with coordinates and 100 merged into the others.
func BenchmarkCaseMapPage(b *testing.B) {
	e := newEnv(b)
	e.exec(`INSERT INTO tips (code, channel, case_id, incomplete, lat, lon, seen_at, submitted_at)
		SELECT 'MB' || g, 'sms', $1, false, CASE WHEN g % 10 <> 0 THEN 40.6 + (g % 37) * 0.01 END,
			CASE WHEN g % 10 <> 0 THEN -74.2 + (g % 41) * 0.012 END, now() - g * interval '7 minutes', now()
		FROM generate_series(1, 899) g`, e.fx.caseID)
	e.exec(`INSERT INTO tips (code, channel, incomplete, lat, lon, seen_at, submitted_at, status, duplicate_of)
		SELECT 'MD' || g, 'sms', false, 40.7, -74.0, now() - g * interval '5 minutes', now(), 'duplicate',
			(SELECT id FROM tips WHERE code = 'MB' || g)
		FROM generate_series(1, 100) g`)
	c := e.sessionClient(e.reviewer.ID, true)
	benchPage(b, e, c, "/staff/cases/"+itoa(e.fx.caseID)+"/map", false)
}

// BenchmarkCaseMapBuild is the layout alone (projection, grid, marks).
func BenchmarkCaseMapBuild(b *testing.B) {
	ss := syntheticSightings(1000)
	for b.Loop() {
		buildCaseMap(ss, "https://tiles.example/{z}/{x}/{y}.png")
	}
}

func syntheticSightings(n int) []store.CaseSighting {
	out := make([]store.CaseSighting, n)
	for i := range out {
		lat, lon := 40.6+float64(i%37)*0.01, -74.2+float64(i%41)*0.012
		out[i] = store.CaseSighting{TipID: int64(i + 1), Code: "MB" + itoa(int64(i)), Lat: &lat, Lon: &lon}
	}
	return out
}
