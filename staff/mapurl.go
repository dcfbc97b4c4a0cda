package staff

import "fmt"

// mapURL links coordinates to OpenStreetMap (no API key, nothing loaded
// into the dashboard itself).
func mapURL(lat, lon *float64) string {
	if lat == nil || lon == nil {
		return ""
	}
	return fmt.Sprintf("https://www.openstreetmap.org/?mlat=%.5f&mlon=%.5f#map=16/%.5f/%.5f", *lat, *lon, *lat, *lon)
}
