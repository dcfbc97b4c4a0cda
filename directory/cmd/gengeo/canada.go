package main

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// provinceNames maps the zipcodes package's province names to ISO codes.
var provinceNames = map[string]string{
	"Alberta": "AB", "British Columbia": "BC", "Manitoba": "MB", "New Brunswick": "NB",
	"Newfoundland and Labrador": "NL", "Nova Scotia": "NS", "Northwest Territory": "NT",
	"Nunavut Territory": "NU", "Ontario": "ON", "Prince Edward Island": "PE",
	"Quebec": "QC", "Saskatchewan": "SK", "Yukon": "YT",
}

// fsaLetter maps an FSA's first letter to its province (Canada Post's
// allocation); X is shared by NT and NU and is taken from the name only.
var fsaLetter = map[byte]string{
	'A': "NL", 'B': "NS", 'C': "PE", 'E': "NB", 'G': "QC", 'H': "QC", 'J': "QC",
	'K': "ON", 'L': "ON", 'M': "ON", 'N': "ON", 'P': "ON", 'R': "MB", 'S': "SK",
	'T': "AB", 'V': "BC", 'Y': "YT",
}

func buildCA(zipcodesDir string) ([][]string, error) {
	zc, err := readZipcodes(filepath.Join(zipcodesDir, "lib", "codesCanada.js"))
	if err != nil {
		return nil, err
	}
	rows := map[string][]string{}
	for fsa, r := range zc {
		if len(fsa) != 3 || r.Lat == nil || r.Lon == nil {
			continue // the package's CSV split went wrong on this row
		}
		ll := [2]float64{*r.Lat, *r.Lon}
		prov, ok := provinceNames[r.State]
		if !ok {
			prov = fsaLetter[fsa[0]]
		}
		if prov == "" || !validLL(ll) || ll[0] < 41 || ll[1] > -52 {
			continue
		}
		rows[fsa] = []string{fsa, coord(ll[0]), coord(ll[1]), prov, r.City}
	}
	return sorted([]string{"fsa", "lat", "lon", "province", "label"}, rows), nil
}

func validLL(ll [2]float64) bool {
	return !(ll[0] == 0 && ll[1] == 0) && math.Abs(ll[0]) <= 90 && math.Abs(ll[1]) <= 180
}

func coord(f float64) string { return strconv.FormatFloat(math.Round(f*1e4)/1e4, 'f', -1, 64) }

func sorted(header []string, rows map[string][]string) [][]string {
	keys := make([]string, 0, len(rows))
	for k := range rows {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := [][]string{header}
	for _, k := range keys {
		out = append(out, rows[k])
	}
	return out
}

func writeGz(path string, rows [][]string) error {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w := csv.NewWriter(zw)
	if err := w.WriteAll(rows); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("write: %w", err)
	}
	return nil
}
