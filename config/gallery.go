package config

import (
	"net/url"
	"strings"
)

// Gallery is the public gallery's settings (docs/design.md section 9).
type Gallery struct {
	// Enabled serves /cases (GALLERY_ENABLED; dev: on, serve: off).
	Enabled bool
	// Origins are the sites allowed to frame the gallery (GALLERY_ORIGINS),
	// as scheme://host[:port], for its frame-ancestors.
	Origins []string
}

// loadGallery reads the gallery settings.
func loadGallery(r *reader, mode Mode) Gallery {
	g := Gallery{Enabled: r.boolean("GALLERY_ENABLED", mode == ModeDev)}
	for _, o := range r.list("GALLERY_ORIGINS") {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			strings.TrimRight(u.Path, "/") != "" || u.RawQuery != "" || strings.ContainsAny(o, " ;,'\"*") {
			r.bad("GALLERY_ORIGINS", "each must be an origin such as https://www.example.org")
			continue
		}
		g.Origins = append(g.Origins, u.Scheme+"://"+u.Host)
	}
	return g
}

// rows writes the gallery settings for String.
func (g Gallery) rows(row func(k, v string)) {
	row("GALLERY_ENABLED", map[bool]string{true: "true", false: "false"}[g.Enabled])
	row("GALLERY_ORIGINS", strings.Join(g.Origins, ","))
}
