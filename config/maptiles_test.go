package config

import (
	"strings"
	"testing"
)

// TestMapTileURL: none by default; an https template with {z}, {x} and
// {y} is kept; anything that could widen the CSP beyond one origin, or
// is not a tile template, is refused by name.
func TestMapTileURL(t *testing.T) {
	c, err := Load(envOf(map[string]string{}), ModeDev)
	if err != nil || c.MapTileURL != "" {
		t.Fatalf("default %q, %v", c.MapTileURL, err)
	}
	for _, ok := range []string{"https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://t.example:8443/m/{z}/{y}/{x}?k=1",
		"http://127.0.0.1:9000/{z}/{x}/{y}.png"} {
		c, err := Load(envOf(map[string]string{"MAP_TILE_URL": ok}), ModeDev)
		if err != nil || c.MapTileURL != ok {
			t.Errorf("%s refused: %v", ok, err)
		}
	}
	for _, bad := range []string{"tiles.example/{z}/{x}/{y}.png", "http://tiles.example/{z}/{x}/{y}.png",
		"https://tiles.example/{z}/{x}.png", "https://tiles.example; script-src *//{z}/{x}/{y}.png",
		"https://u:p@tiles.example/{z}/{x}/{y}.png", "https://tiles.example/{z}/{x}/{y}/{s}.png", "javascript:{z}{x}{y}"} {
		_, err := Load(envOf(map[string]string{"MAP_TILE_URL": bad}), ModeDev)
		if err == nil || !strings.Contains(err.Error(), "MAP_TILE_URL") {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
}
