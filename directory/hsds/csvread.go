package hsds

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"
)

// table is one CSV file of a package: rows keyed by column, with lines.
type table struct {
	file  string
	rows  []map[string]string
	lines []int
	index map[string]map[string][]int // column → value → row numbers
}

// dataPackage is the part of datapackage.json Tipline reads.
type dataPackage struct {
	Resources []struct {
		Name string `json:"name"`
		Path string `json:"path"`
	} `json:"resources"`
}

// singular maps a table name to the HSDS object name: "services" and
// "service" both give "service", "taxonomies" gives "taxonomy".
func singular(name string) string {
	switch {
	case strings.HasSuffix(name, "ies"):
		return strings.TrimSuffix(name, "ies") + "y"
	case strings.HasSuffix(name, "sses"), strings.HasSuffix(name, "ss"):
		return strings.TrimSuffix(name, "es")
	case strings.HasSuffix(name, "s"):
		return strings.TrimSuffix(name, "s")
	}
	return name
}

// packagePaths reads datapackage.json under dir and returns the CSV path
// of each object it lists.
func packagePaths(fsys fs.FS, dir, label string) (map[string]string, error) {
	file := path.Join(dir, "datapackage.json")
	b, err := fs.ReadFile(fsys, file)
	if err != nil {
		return nil, fmt.Errorf("%s: no datapackage.json: %w", label, err)
	}
	var dp dataPackage
	if err := json.Unmarshal(b, &dp); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", path.Join(label, "datapackage.json"), jsonErrLine(b, err), err)
	}
	out := map[string]string{}
	for _, r := range dp.Resources {
		p := r.Path
		if p == "" {
			p = r.Name + ".csv"
		}
		if strings.Contains(p, "..") || path.IsAbs(p) {
			return nil, fmt.Errorf("%s: resource path %q leaves the package", label, p)
		}
		out[singular(strings.TrimSuffix(r.Name, ".csv"))] = path.Join(dir, p)
	}
	return out, nil
}

func jsonErrLine(b []byte, err error) int {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return lineAt(b, se.Offset)
	}
	return 1
}

// readTable reads one CSV; a missing optional file gives an empty table.
func readTable(fsys fs.FS, file, label string, required ...string) (*table, error) {
	name := path.Join(label, path.Base(file))
	f, err := fsys.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return &table{file: name}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err == io.EOF {
		return &table{file: name}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := checkHeader(header, name, required); err != nil {
		return nil, err
	}
	t := &table{file: name}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return t, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err) // csv.ParseError names the line
		}
		line, _ := r.FieldPos(0)
		if len(rec) > len(header) {
			return nil, fmt.Errorf("%s:%d: %d fields, the header has %d", name, line, len(rec), len(header))
		}
		row := map[string]string{}
		for i, col := range header {
			if i < len(rec) {
				row[col] = unneutralise(rec[i])
			}
		}
		for _, col := range required {
			if strings.TrimSpace(row[col]) == "" {
				return nil, fmt.Errorf("%s:%d: %s is required", name, line, col)
			}
		}
		t.rows, t.lines = append(t.rows, row), append(t.lines, line)
	}
}

// checkHeader drops a byte-order mark and checks the required columns.
func checkHeader(header []string, name string, required []string) error {
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	for _, col := range required {
		if !contains(header, col) {
			return fmt.Errorf("%s:1: required column %q is missing", name, col)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// neutralise keeps a spreadsheet from running a cell as a formula
// (docs/design.md rule 13): a value starting with = or @, or with + or - followed
// by anything but a number, gets a leading apostrophe. unneutralise
// removes it on import, so the round trip is exact.
func neutralise(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '@', '\'':
		return "'" + v
	case '+', '-':
		if strings.Trim(v[1:], "0123456789 -().") != "" {
			return "'" + v
		}
	}
	return v
}

func unneutralise(v string) string {
	if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=@'+-", rune(v[1])) {
		return v[1:]
	}
	return v
}
