package sim

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
)

//go:embed assets
var assets embed.FS

var pageTmpl = template.Must(template.ParseFS(assets, "assets/index.html"))

// Preset is a named place a simulated Telegram user can share.
type Preset struct {
	Name     string
	Lat, Lon float64
}

// Presets are the places offered for "share location".
var Presets = []Preset{
	{"Times Square, New York, NY", 40.7580, -73.9855},
	{"Downtown Houston, TX", 29.7604, -95.3698},
	{"Downtown Los Angeles, CA", 34.0522, -118.2437},
	{"The Loop, Chicago, IL", 41.8781, -87.6298},
	{"Downtown Toronto, ON", 43.6532, -79.3832},
	{"Downtown Montréal, QC", 45.5017, -73.5673},
}

func (s *Handler) page(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := pageTmpl.Execute(w, struct{ Presets []Preset }{Presets}); err != nil {
		slog.Warn("sim page", "err", err)
	}
}

// staticHandler serves the page's script and style sheet from
// /sim/static/ (the CSP allows no inline script or style).
func staticHandler() http.Handler {
	sub, err := fs.Sub(assets, "assets/static")
	if err != nil {
		panic(err)
	}
	fsrv := http.StripPrefix("/sim/static/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			http.NotFound(w, r) // no directory listings
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		fsrv.ServeHTTP(w, r)
	})
}
