package config

import (
	"net/url"
	"regexp"
	"strings"
)

// tileHostRe is a host name or address with an optional port: the tile
// server's origin goes into the case map's Content-Security-Policy.
var tileHostRe = regexp.MustCompile(`^[A-Za-z0-9.-]+(:[0-9]{1,5})?$`)

// loadMapTileURL reads MAP_TILE_URL, the tile server case maps draw on
// (docs/design.md section 9, "A case map"): an https URL with {z}, {x}
// and {y}, such as https://tile.example.org/{z}/{x}/{y}.png; http only
// for a server on loopback. Unset, maps are drawn on a grid alone.
func loadMapTileURL(r *reader) string {
	v := r.str("MAP_TILE_URL", "")
	if v == "" {
		return ""
	}
	u, err := url.Parse(v)
	loopback := err == nil && (u.Hostname() == "localhost" || u.Hostname() == "127.0.0.1" || u.Hostname() == "::1")
	ok := err == nil && (u.Scheme == "https" || u.Scheme == "http" && loopback) && tileHostRe.MatchString(u.Host) &&
		u.User == nil && u.Fragment == "" && !strings.ContainsAny(v, " ;,'\"\\<>")
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		ok = ok && strings.Count(v, p) == 1
	}
	if !ok || strings.Count(v, "{") != 3 || strings.Count(v, "}") != 3 {
		r.bad("MAP_TILE_URL", "must be an https URL with {z}, {x} and {y}, such as https://tile.example.org/{z}/{x}/{y}.png")
		return ""
	}
	return v
}
