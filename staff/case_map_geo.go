package staff

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// The case map's canvas, in SVG user units (CSS pixels at 100%).
const (
	mapW, mapH  = 960.0, 640.0
	mapPad      = 64.0 // kept free around the points for their labels
	tilePx      = 256.0
	mapMaxZoom  = 16 // a lone point is shown at about a neighbourhood
	maxMercLat  = 85.05112878
	earthCircum = 40075016.686 // metres at the equator
)

// mapView is a web-mercator view: zoom level z (the scale of tile level
// z, so tiles line up when there are any) centred on a world point.
// World coordinates run 0..1 west to east and north to south.
type mapView struct {
	z      int
	scale  float64 // pixels per world unit: 256 × 2^z
	cx, cy float64 // the world point at the canvas centre
}

// worldXY projects a latitude and longitude to world coordinates.
func worldXY(lat, lon float64) (x, y float64) {
	lat = math.Max(-maxMercLat, math.Min(maxMercLat, lat))
	phi := lat * math.Pi / 180
	x = (lon + 180) / 360
	y = (1 - math.Log(math.Tan(phi)+1/math.Cos(phi))/math.Pi) / 2
	return x, y
}

// fitView picks the largest zoom at which every point fits the canvas
// inside the padding, centred on their bounding box.
func fitView(lats, lons []float64) mapView {
	minX, minY, maxX, maxY := 1.0, 1.0, 0.0, 0.0
	for i := range lats {
		x, y := worldXY(lats[i], lons[i])
		minX, maxX = math.Min(minX, x), math.Max(maxX, x)
		minY, maxY = math.Min(minY, y), math.Max(maxY, y)
	}
	if len(lats) == 0 {
		minX, minY, maxX, maxY = 0, 0, 1, 1
	}
	z := mapMaxZoom
	for z > 0 && ((maxX-minX)*tilePx*math.Exp2(float64(z)) > mapW-2*mapPad ||
		(maxY-minY)*tilePx*math.Exp2(float64(z)) > mapH-2*mapPad) {
		z--
	}
	return mapView{z: z, scale: tilePx * math.Exp2(float64(z)), cx: (minX + maxX) / 2, cy: (minY + maxY) / 2}
}

// px places a latitude and longitude on the canvas.
func (v mapView) px(lat, lon float64) (float64, float64) {
	x, y := worldXY(lat, lon)
	return (x-v.cx)*v.scale + mapW/2, (y-v.cy)*v.scale + mapH/2
}

// lonAt and latAt are the inverse of px along each axis.
func (v mapView) lonAt(px float64) float64 {
	return ((px-mapW/2)/v.scale+v.cx)*360 - 180
}

func (v mapView) latAt(py float64) float64 {
	y := (py-mapH/2)/v.scale + v.cy
	return math.Atan(math.Sinh(math.Pi*(1-2*y))) * 180 / math.Pi
}

// niceStep is the 1, 2 or 5 × 10^k step that cuts span into about n parts.
func niceStep(span float64, n int) float64 {
	raw := span / float64(n)
	if raw <= 0 {
		return 1
	}
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// gridLine is a parallel or a meridian with its label, as SVG numbers.
type gridLine struct {
	X1, Y1, X2, Y2 string
	LX, LY         string
	Label          string
}

// grid draws meridians and parallels at a round step of degrees, about
// eight across, each labelled at the canvas edge.
func (v mapView) grid() []gridLine {
	west, east := v.lonAt(0), v.lonAt(mapW)
	north, south := v.latAt(0), v.latAt(mapH)
	step := niceStep(math.Max(east-west, north-south), 8)
	places := max(0, int(-math.Floor(math.Log10(step))))
	var out []gridLine
	for lon := math.Ceil(west/step) * step; lon <= east; lon += step {
		x, _ := v.px(0, lon)
		out = append(out, gridLine{X1: num(x), Y1: "0", X2: num(x), Y2: num(mapH),
			LX: num(x + 3), LY: num(mapH - 6), Label: degrees(lon, places, "E", "W")})
	}
	for lat := math.Ceil(south/step) * step; lat <= north; lat += step {
		_, y := v.px(lat, 0)
		out = append(out, gridLine{X1: "0", Y1: num(y), X2: num(mapW), Y2: num(y),
			LX: "4", LY: num(y - 4), Label: degrees(lat, places, "N", "S")})
	}
	return out
}

// scaleBar is a round distance about 120 pixels long at the centre's
// latitude (web mercator stretches with latitude).
func (v mapView) scaleBar() (length float64, label string) {
	lat := v.latAt(mapH / 2)
	mPerPx := earthCircum * math.Cos(lat*math.Pi/180) / v.scale
	d := niceStep(120*mPerPx, 1)
	if d > 120*mPerPx {
		d = niceStep(120*mPerPx/2, 1)
	}
	if d >= 1000 {
		label = strconv.FormatFloat(d/1000, 'f', -1, 64) + " km"
	} else {
		label = strconv.FormatFloat(d, 'f', -1, 64) + " m"
	}
	return d / mPerPx, label
}

// mapTile is one tile image placed on the canvas.
type mapTile struct {
	URL  string
	X, Y string
}

// tiles lists the tiles of tmpl ({z}, {x}, {y}) that cover the canvas.
func (v mapView) tiles(tmpl string) []mapTile {
	if tmpl == "" {
		return nil
	}
	n := 1 << v.z
	left, top := v.cx*v.scale-mapW/2, v.cy*v.scale-mapH/2
	var out []mapTile
	for ty := int(math.Floor(top / tilePx)); float64(ty)*tilePx < top+mapH; ty++ {
		if ty < 0 || ty >= n {
			continue
		}
		for tx := int(math.Floor(left / tilePx)); float64(tx)*tilePx < left+mapW; tx++ {
			u := strings.NewReplacer("{z}", strconv.Itoa(v.z), "{x}", strconv.Itoa(((tx%n)+n)%n),
				"{y}", strconv.Itoa(ty)).Replace(tmpl)
			out = append(out, mapTile{URL: u, X: num(float64(tx)*tilePx - left), Y: num(float64(ty)*tilePx - top)})
		}
	}
	return out
}

// num writes an SVG coordinate with one decimal.
func num(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// degrees writes an angle such as 40.75°N.
func degrees(d float64, places int, pos, neg string) string {
	h := pos
	if d < 0 {
		h, d = neg, -d
	}
	return fmt.Sprintf("%.*f°%s", places, d, h)
}
