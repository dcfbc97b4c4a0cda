package hsds

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"tipline/directory"
)

// Formats ImportFile recognises and ExportFile writes.
const (
	FormatTipline = "tipline"   // Tipline's JSON (the seed's format)
	FormatJSON    = "hsds-json" // HSDS 3.0 JSON, an array of services
	FormatCSV     = "hsds-csv"  // HSDS CSV data package, a folder
	FormatZip     = "hsds-zip"  // HSDS CSV data package, zipped
)

// DetectFormat tells which format path holds: a folder or a .zip is an
// HSDS data package; a JSON file is HSDS when it is an object (a service
// or a page) or an array whose first element has "status", else Tipline's.
func DetectFormat(p string) (string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	if st.IsDir() {
		return FormatCSV, nil
	}
	if strings.EqualFold(filepath.Ext(p), ".zip") {
		return FormatZip, nil
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return "", fmt.Errorf("%s: %w", p, err)
	}
	return detectJSON(data), nil
}

func detectJSON(data []byte) string {
	if firstByte(data) == '{' {
		return FormatJSON
	}
	var first []map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if dec.Decode(&first) == nil && len(first) > 0 {
		if _, ok := first[0]["status"]; ok {
			return FormatJSON
		}
	}
	return FormatTipline
}

// ImportFile reads resources from p in whichever format it holds. It
// returns all of them or an error naming the file and line, never a part.
func ImportFile(p string) ([]directory.Resource, []Warning, error) {
	format, err := DetectFormat(p)
	if err != nil {
		return nil, nil, err
	}
	switch format {
	case FormatCSV, FormatZip:
		return ReadPackage(p)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", p, err)
	}
	if format == FormatJSON {
		return ParseJSON(p, data)
	}
	rs, err := directory.ParseJSON(p, data)
	return rs, nil, err
}

// ExportFile writes rs to p in format (see the Format constants).
func ExportFile(p, format string, rs []directory.Resource) error {
	switch format {
	case FormatCSV:
		return WritePackageDir(p, rs)
	case FormatZip:
		var buf bytes.Buffer
		if err := WritePackageZip(&buf, rs); err != nil {
			return err
		}
		return writeFile(p, buf.Bytes())
	case FormatJSON, FormatTipline:
		encode := EncodeJSON
		if format == FormatTipline {
			encode = directory.EncodeJSON
		}
		b, err := encode(rs)
		if err != nil {
			return err
		}
		return writeFile(p, b)
	}
	return fmt.Errorf("hsds: unknown format %q (want %s, %s, %s or %s)", format, FormatTipline, FormatJSON, FormatCSV, FormatZip)
}

func writeFile(p string, b []byte) error {
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return fmt.Errorf("hsds: %w", err)
	}
	return nil
}
