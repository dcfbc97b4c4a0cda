package hsds

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestMalformedJSON(t *testing.T) {
	good := `{"id": "a", "name": "A", "status": "active"}`
	cases := map[string]string{
		"[\n" + good + ",\n{\"id\": \"b\",\n \"name\": \"B\"}\n]":                                     "x.json:3: service b: status",
		"[\n" + good + ",\n{\"id\": \"b\", \"name\": \"B\", \"status\": \"open\"}\n]":                 "x.json:3: service b: status \"open\"",
		"[\n" + good + ",\n{\"id\": \"b\",\n\"name\": 7, \"status\": \"active\"}]":                    "x.json:4:",
		"[\n" + good + ",\n{\"id\": \"b\" \"name\": \"B\"}]":                                          "x.json:3:",
		"[\n{\"id\": \"a\", \"name\": \"A\", \"status\": \"active\", \"phones\": [{\"id\": \"p\"}]}]": "x.json:2: service a: phone needs",
		"[\n" + good + ",\n" + good + "]":                                                             "x.json:3: duplicate",
		"\"just a string\"":                                                                           "x.json:1:",
		"{\"contents\": [\n" + good + ",\n{\"id\": \"\", \"name\": \"B\", \"status\": \"active\"}]}":  "x.json:3: service without id",
		"[\n{\"id\": \"a\", \"name\": \"A\", \"status\": \"active\", \"service_at_locations\": [{\"id\": \"s\", \"location\": {\"id\": \"l\", \"location_type\": \"moon\"}}]}]": "x.json:2:",
		"[\n{\"id\": \"a\", \"name\": \"A\", \"status\": \"active\", \"url\": \"ftp://x\"}]":                                                                                    "x.json:2: service a: resource",
	}
	for in, want := range cases {
		rs, _, err := ParseJSON("x.json", []byte(in))
		if err == nil || !strings.HasPrefix(err.Error(), want) || rs != nil {
			t.Errorf("ParseJSON(%q):\n err = %v\nwant prefix %q (and no resources)", in, err, want)
		}
	}
}

// writePkg writes a CSV package from the official example with one file
// replaced.
func writePkg(t *testing.T, file, content string) string {
	t.Helper()
	dir := t.TempDir()
	src := "testdata/official/csv"
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == file {
			b = []byte(content)
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if file == "-datapackage.json" {
		os.Remove(filepath.Join(dir, "datapackage.json"))
	}
	return dir
}

func TestMalformedCSV(t *testing.T) {
	svcHeader := "id,name,status\n"
	cases := []struct{ file, content, want string }{
		{"services.csv", svcHeader + "a,A,active\nb,\"B,active\n", "services.csv"},
		{"services.csv", "id,name\na,A\n", "services.csv:1: required column \"status\""},
		{"services.csv", svcHeader + "a,A,active\nb,,active\n", "services.csv:3: name is required"},
		{"services.csv", svcHeader + "a,A,active\nb,B,closed\n", "services.csv:3: service b: status"},
		{"services.csv", svcHeader + "a,A,active\na,B,active\n", "services.csv:3: duplicate service id a"},
		{"services.csv", svcHeader + "a,A,active,extra\n", "services.csv:2: 4 fields"},
		{"services.csv", svcHeader, "no services"},
		{"phones.csv", "id,service_id,number,type\np1,a,,voice\n", "phones.csv:2: number is required"},
		{"datapackage.json", "{\n\"resources\": [\n}", "datapackage.json:3:"},
		{"-datapackage.json", "", "no datapackage.json"},
	}
	for _, c := range cases {
		dir := writePkg(t, c.file, c.content)
		rs, _, err := ReadPackage(dir)
		if err == nil || !strings.Contains(err.Error(), c.want) || rs != nil {
			t.Errorf("%s %q:\n err = %v\nwant %q (and no resources)", c.file, c.content, err, c.want)
		}
	}
	// A bad latitude in a location the service uses names locations.csv.
	dir := writePkg(t, "locations.csv", "id,location_type,latitude,longitude\nl1,physical,north,1\n")
	os.WriteFile(filepath.Join(dir, "service_at_location.csv"), []byte("id,service_id,location_id\ns1,ac148810-d857-441c-9679-408f346de14b,l1\n"), 0o644)
	if _, _, err := ReadPackage(dir); err == nil || !strings.Contains(err.Error(), "locations.csv:2: latitude") {
		t.Errorf("bad latitude: %v", err)
	}
}

func TestCSVParseErrorNamesLine(t *testing.T) {
	dir := writePkg(t, "services.csv", "id,name,status\na,A,active\nb,\"B\"x,active\n")
	_, _, err := ReadPackage(dir)
	if err == nil || !strings.Contains(err.Error(), "services.csv") || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("err = %v", err)
	}
}
