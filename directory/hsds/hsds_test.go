package hsds

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"tipline"
	"tipline/directory"
)

// sample is the bundled seed plus records that use every modelled field.
func sample(t *testing.T) []directory.Resource {
	t.Helper()
	rs, err := directory.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	return append(rs,
		directory.Resource{ID: "local-shelter", Name: "Youth Shelter", Organization: "Example Org",
			Description: map[string]string{"en": "A shelter.", "fr": "Un refuge.", "es": "Un albergue."},
			Categories:  []string{"shelter", "food"}, Phone: "1-800-RUNAWAY (1-800-786-2929)", PhoneE164: "+18007862929",
			SMSNumber: "12345", TTY: "711", WhatsApp: "+1 555 0100", ChatURL: "https://example.org/chat",
			URL: "https://example.org", Hours: "Mon-Fri 9-5", Languages: []string{"en", "fr"}, Regions: []string{"US-NY"},
			Area: "Harlem; Bronx", Local: true, Address: "1 Main St, New York, NY 10001",
			Point: &tipline.Location{Lat: 40.75, Lon: -73.99}, Verified: true, Hidden: true,
			HiddenFields: []string{"sms", "whatsapp"}, Source: "https://example.org/about",
			MoreSources: []string{"https://example.org/a", "https://example.org/b"}, Notes: "=HYPERLINK(\"x\")\n-1+2",
			CheckedOn: "2026-11-25", VerifiedBy: "staff@example.org", VerifiedAt: time.Date(2026, 11, 25, 10, 0, 0, 123, time.UTC)},
		directory.Resource{ID: "no-english", Name: "Línea", Description: map[string]string{"es": "Sólo español."}, Phone: "800 5533 000",
			PhoneE164: "+528005533000", Regions: []string{"MX"}, Point: &tipline.Location{Lat: 19.4, Lon: -99.1}, Verified: false},
	)
}

func TestRoundTripJSON(t *testing.T) {
	rs := sample(t)
	b, err := EncodeJSON(rs)
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := ParseJSON("x.json", b)
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, back, rs)
}

func TestRoundTripCSV(t *testing.T) {
	rs := sample(t)
	dir := t.TempDir()
	if err := WritePackageDir(dir, rs); err != nil {
		t.Fatal(err)
	}
	back, warns, err := ReadPackage(dir)
	if err != nil || len(warns) != 0 {
		t.Fatalf("%v %v", err, warns)
	}
	assertSame(t, back, rs)
	notes, _ := os.ReadFile(filepath.Join(dir, "attributes.csv"))
	if !bytes.Contains(notes, []byte(`'=HYPERLINK`)) {
		t.Error("a formula reached the CSV unneutralised")
	}
	zipPath := filepath.Join(t.TempDir(), "x.zip")
	if err := ExportFile(zipPath, FormatZip, rs); err != nil {
		t.Fatal(err)
	}
	back, _, err = ImportFile(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	assertSame(t, back, rs)
}

func TestImportFileFormats(t *testing.T) {
	rs := sample(t)
	dir := t.TempDir()
	for _, f := range []string{FormatTipline, FormatJSON, FormatCSV, FormatZip} {
		p := filepath.Join(dir, "out-"+f)
		if f == FormatZip {
			p += ".zip"
		}
		if err := ExportFile(p, f, rs); err != nil {
			t.Fatal(err)
		}
		if got, err := DetectFormat(p); err != nil || got != f {
			t.Errorf("DetectFormat(%s) = %q, %v", f, got, err)
		}
		back, _, err := ImportFile(p)
		if err != nil {
			t.Fatal(err)
		}
		assertSame(t, back, rs)
	}
	if err := ExportFile(filepath.Join(dir, "x"), "xml", rs); err == nil {
		t.Error("unknown format accepted")
	}
}

func assertSame(t *testing.T, got, want []directory.Resource) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d resources, want %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("resource %d differs:\n got %+v\nwant %+v", i, got[i], want[i])
		}
	}
}

// TestOfficialExamples imports the official HSDS 3.0 examples, exports
// them and imports the export: the modelled fields survive.
func TestOfficialExamples(t *testing.T) {
	full, warns, err := ImportFile("testdata/official/service_full.json")
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) == 0 || !strings.Contains(warns[0].String(), "service_full.json:1:") {
		t.Errorf("warnings = %v (the example's coordinates 100,101 are out of range)", warns)
	}
	want := directory.Resource{ID: "hsds-ac148810-d857-441c-9679-408f346de14b", Name: "Community Counselling",
		Organization: "Example Organization Inc.",
		Description:  map[string]string{"en": "Counselling Services provided by trained professionals. Suitable for people with mental health conditions such as anxiety, depression, or eating disorders as well as people experiencing difficult life events and circumstances. "},
		Phone:        "+44 1234 234567", PhoneE164: "+441234234567", URL: "http://example.com/counselling",
		Hours:    "The service is available from 10 am to 6pm weekdays. The service is not available on public holidays.",
		Schedule: []directory.Opening{{Days: []string{"TH", "FR"}, Opens: "10:00", Closes: "18:00"}},
		AgesMin:  12, AgesMax: 100,
		Eligibility: "This service is intended for all people aged 12 and over who require counselling services in the MyCity area",
		Languages:   []string{"ur"},
		Area:        "The service is available to all residents of the MyCity area. We provide the service in our offices or via video conferencing to any who can provide evidence of their residency.",
		Address:     "1-30 Main Street, MyVillage, MyCity, MyState ABC 1234, US"}
	assertSame(t, full, []directory.Resource{want})
	simple, _, err := ImportFile("testdata/official/service_simple.json")
	if err != nil || len(simple) != 1 || simple[0].Organization != "Example Organization Inc." || simple[0].Verified {
		t.Fatalf("simple: %+v %v", simple, err)
	}
	pkg, warns, err := ImportFile("testdata/official/csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) < 3 {
		t.Errorf("CSV warnings = %v: the schedule, service_at_location and attribute rows name other services", warns)
	}
	csvWant := want
	csvWant.Hours, csvWant.Address, csvWant.Schedule = "", "", nil // the CSV example's schedule and location belong to other services
	assertSame(t, pkg, []directory.Resource{csvWant})
	for _, format := range []string{FormatJSON, FormatCSV, FormatZip, FormatTipline} {
		p := filepath.Join(t.TempDir(), "x."+format)
		if format == FormatZip {
			p = filepath.Join(t.TempDir(), "x.zip")
		}
		if err := ExportFile(p, format, full); err != nil {
			t.Fatal(err)
		}
		back, _, err := ImportFile(p)
		if err != nil {
			t.Fatal(err)
		}
		assertSame(t, back, full)
	}
}

// TestImportedServicesAreUnverified: facts from elsewhere are not shown
// until staff verify them.
func TestImportedServicesAreUnverified(t *testing.T) {
	rs, _, err := ImportFile("testdata/official/service_full.json")
	if err != nil {
		t.Fatal(err)
	}
	d := directory.New(rs)
	if d.Len() != 0 || len(d.ShownContacts()) != 0 {
		t.Fatal("an imported, unverified service is shown")
	}
}
