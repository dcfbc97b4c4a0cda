package staff

import (
	"net/url"
	"strings"

	"tipline/store"
)

// mapMark is one located sighting on the case map.
type mapMark struct {
	N          int
	Code       string
	X, Y       string // the point
	LX, LY     string // its label
	First, End bool   // the first and the latest sighting
}

// mapLeg joins two consecutive located sightings, in time order.
type mapLeg struct{ X1, Y1, X2, Y2 string }

// mapRow is one sighting in the table under the map.
type mapRow struct {
	N int // its number on the map; 0 when it has no coordinates
	store.CaseSighting
}

// caseMapSVG is what the template draws.
type caseMapSVG struct {
	W, H      string
	Tiles     []mapTile
	TileHost  string
	Grid      []gridLine
	Legs      []mapLeg
	Marks     []mapMark
	ScaleLen  string
	ScaleEnd  string
	ScaleText string
	ScaleY    string
	Zoom      int
}

// buildCaseMap numbers the located sightings in time order and lays them
// out on a web-mercator canvas: over tiles when tileURL is set, else on
// a grid of degrees alone, always with a scale bar.
func buildCaseMap(ss []store.CaseSighting, tileURL string) (caseMapSVG, []mapRow) {
	var lats, lons []float64
	rows := make([]mapRow, len(ss))
	for i, s := range ss {
		rows[i].CaseSighting = s
		if s.Lat != nil && s.Lon != nil {
			lats, lons = append(lats, *s.Lat), append(lons, *s.Lon)
			rows[i].N = len(lats)
		}
	}
	m := caseMapSVG{W: num(mapW), H: num(mapH)}
	if len(lats) == 0 {
		return m, rows // an empty canvas that says so
	}
	v := fitView(lats, lons)
	m.Grid, m.Zoom = v.grid(), v.z
	m.Tiles, m.TileHost = v.tiles(tileURL), tileHost(tileURL)
	for i := range lats {
		x, y := v.px(lats[i], lons[i])
		m.Marks = append(m.Marks, mapMark{N: i + 1, X: num(x), Y: num(y), LX: num(x + 11), LY: num(y + 4),
			First: i == 0, End: i == len(lats)-1 && i > 0})
		if i > 0 {
			px, py := v.px(lats[i-1], lons[i-1])
			m.Legs = append(m.Legs, mapLeg{X1: num(px), Y1: num(py), X2: num(x), Y2: num(y)})
		}
	}
	for _, r := range rows {
		if r.N > 0 {
			m.Marks[r.N-1].Code = r.Code
		}
	}
	length, label := v.scaleBar()
	m.ScaleLen, m.ScaleEnd, m.ScaleText, m.ScaleY = num(length), num(16+length), label, num(mapH-16)
	return m, rows
}

// tileHost is the origin of a tile URL template, for the page's content
// security policy and the attribution line ("" without tiles).
func tileHost(tmpl string) string {
	u, err := url.Parse(tmpl)
	if tmpl == "" || err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// allowTiles widens the page's image sources by the tile server's origin
// and nothing else.
func allowTiles(c *reqCtx, origin string) {
	if origin == "" {
		return
	}
	h := c.w.Header()
	if csp := h.Get("Content-Security-Policy"); strings.Contains(csp, "img-src 'self' data:") {
		h.Set("Content-Security-Policy", strings.Replace(csp, "img-src 'self' data:", "img-src 'self' data: "+origin, 1))
	}
}

// caseMap shows a case's sightings on a map in the order they were seen,
// numbered, with their tip IDs, and a table of them all (also those
// without coordinates): a printable page, drawn on the server as SVG, so
// it needs no script. Audited.
func (db *Dashboard) caseMap(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	cs, err := db.store.Case(c.ctx(), id)
	if err != nil {
		return err
	}
	ss, err := db.store.CaseSightings(c.ctx(), id)
	if err != nil {
		return err
	}
	m, rows := buildCaseMap(ss, db.d.MapTileURL)
	if err := c.record("case.map_view", "case", idString(id),
		map[string]any{"sightings": len(rows), "located": len(m.Marks)}); err != nil {
		return err
	}
	allowTiles(c, m.TileHost)
	return c.renderBare("case_map", map[string]any{"Case": cs, "Map": m, "Rows": rows,
		"Generated": fmtTime(c.now, db.d.Location), "By": c.staff.Email})
}
