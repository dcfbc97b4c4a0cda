package config

import (
	"strings"
	"testing"
)

// TestGallerySettings: the gallery is on in dev and off in serve unless
// asked; GALLERY_ORIGINS takes origins only.
func TestGallerySettings(t *testing.T) {
	c, err := Load(envOf(map[string]string{"GALLERY_ORIGINS": "https://www.example.org/, http://localhost:8000"}), ModeDev)
	if err != nil {
		t.Fatal(err)
	}
	if !c.Gallery.Enabled || strings.Join(c.Gallery.Origins, " ") != "https://www.example.org http://localhost:8000" {
		t.Errorf("gallery settings: %+v", c.Gallery)
	}
	if !strings.Contains(c.String(), "GALLERY_ORIGINS") {
		t.Error("String lacks GALLERY_ORIGINS")
	}
	for _, bad := range []string{"www.example.org", "https://x.org/page", "https://*.example.org", "javascript:alert(1)"} {
		_, err := Load(envOf(map[string]string{"GALLERY_ORIGINS": bad}), ModeDev)
		if err == nil || !strings.Contains(err.Error(), "GALLERY_ORIGINS") {
			t.Errorf("%q accepted: %v", bad, err)
		}
	}
	if c, _ := Load(envOf(nil), ModeTool); c.Gallery.Enabled {
		t.Error("the gallery is on outside dev without GALLERY_ENABLED")
	}
}
