package staff

import (
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// addCaseMapSamples adds the case map to the security and audit walks.
func addCaseMapSamples(m map[string]sample, cs string) {
	m["GET /staff/cases/{id}/map"] = get(cs + "/map")
}

// TestMapProjection: web mercator as tile servers use it, its inverse,
// and a view that keeps every point inside the padding at the largest
// zoom that does.
func TestMapProjection(t *testing.T) {
	if x, y := worldXY(0, 0); x != 0.5 || math.Abs(y-0.5) > 1e-12 {
		t.Errorf("origin at %v,%v", x, y)
	}
	lats := []float64{40.7357, 40.7527, 40.6892, 40.8448}
	lons := []float64{-74.1724, -73.9772, -74.0445, -73.8648}
	v := fitView(lats, lons)
	for i := range lats {
		x, y := v.px(lats[i], lons[i])
		if x < mapPad-0.01 || x > mapW-mapPad+0.01 || y < mapPad-0.01 || y > mapH-mapPad+0.01 {
			t.Errorf("point %d at %.1f,%.1f outside the padded canvas", i, x, y)
		}
		if math.Abs(v.latAt(y)-lats[i]) > 1e-9 || math.Abs(v.lonAt(x)-lons[i]) > 1e-9 {
			t.Errorf("point %d does not invert", i)
		}
	}
	closer := v
	closer.z++
	closer.scale *= 2
	fits := true
	for i := range lats {
		x, y := closer.px(lats[i], lons[i])
		fits = fits && x >= mapPad && x <= mapW-mapPad && y >= mapPad && y <= mapH-mapPad
	}
	if fits {
		t.Errorf("zoom %d is not the largest that fits", v.z)
	}
	if one := fitView([]float64{40.7}, []float64{-74}); one.z != mapMaxZoom {
		t.Errorf("a lone point at zoom %d", one.z)
	}
}

// TestMapScaleBarTrue: the scale bar's length is its distance on the
// ground at the map's centre, within 1%.
func TestMapScaleBarTrue(t *testing.T) {
	for _, lat := range []float64{0, 40.7, 60} {
		v := fitView([]float64{lat, lat + 0.05}, []float64{10, 10.08})
		length, label := v.scaleBar()
		metres, _ := strconv.ParseFloat(strings.Fields(label)[0], 64)
		if strings.HasSuffix(label, "km") {
			metres *= 1000
		}
		latC := v.latAt(mapH / 2)
		// ground distance along the parallel through the centre
		lonSpan := v.lonAt(mapW/2+length) - v.lonAt(mapW/2)
		ground := 6371008.8 * math.Cos(latC*math.Pi/180) * lonSpan * math.Pi / 180
		if math.Abs(ground-metres)/metres > 0.01 || length < 40 || length > 130 {
			t.Errorf("lat %v: bar %.1f px says %s, covers %.0f m", lat, length, label, ground)
		}
	}
}

// TestMapTilesCoverCanvas: with a tile server, the tiles placed cover the
// whole canvas, each from the template with its zoom, column and row.
func TestMapTilesCoverCanvas(t *testing.T) {
	v := fitView([]float64{40.70, 40.76}, []float64{-74.02, -73.95})
	ts := v.tiles("https://tiles.example/{z}/{x}/{y}.png")
	if len(ts) == 0 || len(ts) > 30 {
		t.Fatalf("%d tiles", len(ts))
	}
	re := regexp.MustCompile(`^https://tiles\.example/(\d+)/(\d+)/(\d+)\.png$`)
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, tl := range ts {
		m := re.FindStringSubmatch(tl.URL)
		if m == nil || m[1] != strconv.Itoa(v.z) {
			t.Fatalf("tile URL %s", tl.URL)
		}
		x, _ := strconv.ParseFloat(tl.X, 64)
		y, _ := strconv.ParseFloat(tl.Y, 64)
		minX, minY, maxX, maxY = math.Min(minX, x), math.Min(minY, y), math.Max(maxX, x+256), math.Max(maxY, y+256)
	}
	if minX > 0 || minY > 0 || maxX < mapW || maxY < mapH {
		t.Errorf("tiles cover %.0f,%.0f to %.0f,%.0f", minX, minY, maxX, maxY)
	}
	if v.tiles("") != nil {
		t.Error("tiles without a tile server")
	}
}

// TestCaseMapPage: the case's sightings, linked and merged, numbered in
// the order seen with their tip IDs, drawn as SVG with a grid and a scale
// and nothing inline that the CSP would block; those without coordinates
// in the table; the view audited.
func TestCaseMapPage(t *testing.T) {
	e := newEnv(t)
	cs := itoa(e.fx.caseID)
	e.exec(`INSERT INTO tips (code, channel, case_id, incomplete, lat, lon, seen_at, submitted_at, status)
		VALUES ('MAPFIRST', 'sms', $1, false, 40.7000, -74.2000, now() - interval '3 days', now(), 'triaged'),
		       ('MAPNOGEO', 'sms', $1, false, NULL, NULL, now() - interval '2 days', now(), 'new')`, e.fx.caseID)
	e.exec(`INSERT INTO tips (code, channel, incomplete, lat, lon, seen_at, submitted_at, status, duplicate_of)
		VALUES ('MAPMERGD', 'sms', false, 40.7600, -74.1000, now() - interval '1 day', now(), 'duplicate', $1)`, e.fx.tipID)
	r := e.get(e.login(reviewerEmail), "/staff/cases/"+cs+"/map")
	body := bodyOf(t, r)
	if r.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %.300s", r.StatusCode, body)
	}
	order := []string{"MAPFIRST", "MAPMERGD", "TIPURG1"} // TIPURG1 was seen "today"
	for i, code := range order {
		mark := regexp.MustCompile(`(?s)<g class="mark" id="mark-` + strconv.Itoa(i+1) + `">.*?</g>`).FindString(body)
		if !strings.Contains(mark, ">"+code+"<") {
			t.Errorf("mark %d is not %s: %s", i+1, code, mark)
		}
	}
	for _, want := range []string{`<svg id="case-map"`, `id="scale-bar"`, "°N", "°W", "merged into TIPURG1",
		`href="/staff/tips/`, "MAPNOGEO", "none", "marker-end", "Print"} {
		if !strings.Contains(body, want) {
			t.Errorf("map page lacks %q", want)
		}
	}
	if strings.Contains(body, "style=") || strings.Contains(body, "<style") || regexp.MustCompile(`<script>|<script [^s]`).MatchString(body) ||
		strings.Contains(body, "<image") {
		t.Error("inline style or script, or tiles without a tile server")
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src 'self' data:;") {
		t.Errorf("CSP widened without tiles: %s", csp)
	}
	if e.auditCount("case.map_view") != 1 {
		t.Error("map view not audited")
	}
}

// TestCaseMapTiles: with MAP_TILE_URL the map draws its tiles and the
// page's CSP allows that one origin for images, nothing more.
func TestCaseMapTiles(t *testing.T) {
	e := newEnv(t, func(d *Deps) { d.MapTileURL = "https://tiles.example/{z}/{x}/{y}.png" })
	r := e.get(e.login(reviewerEmail), "/staff/cases/"+itoa(e.fx.caseID)+"/map")
	body := bodyOf(t, r)
	if !strings.Contains(body, `<image href="https://tiles.example/16/`) || !strings.Contains(body, "Map tiles from https://tiles.example") {
		t.Errorf("no tiles:\n%.2000s", body)
	}
	csp := r.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "img-src 'self' data: https://tiles.example;") || strings.Contains(csp, "script-src 'self' https") {
		t.Errorf("CSP %s", csp)
	}
}

// TestCaseMapEmpty: a case without located sightings gets an empty canvas
// that says so: no grid over the whole world, no tiles, no scale.
func TestCaseMapEmpty(t *testing.T) {
	m, rows := buildCaseMap(nil, "https://tiles.example/{z}/{x}/{y}.png")
	if len(rows) != 0 || m.Grid != nil || m.Tiles != nil || m.Marks != nil || m.ScaleText != "" {
		t.Errorf("empty map draws %+v", m)
	}
}
