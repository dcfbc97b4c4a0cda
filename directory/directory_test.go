package directory

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"tipline"
)

func bundledDir(t testing.TB) (*Directory, []Resource) {
	t.Helper()
	rs, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	return New(rs), rs
}

func TestShownAndPublic(t *testing.T) {
	r := Resource{ID: "x", Name: "X", Verified: true, Phone: "1-800-RUNAWAY (1-800-786-2929)", PhoneE164: "+18007862929",
		SMSNumber: "233733", SMSKeyword: "BEFREE", ChatURL: "https://example.org/chat", Notes: "staff only",
		HiddenFields: []string{"sms", "chat_url"}, Languages: []string{"en"}}
	if r.Shown("sms_number") || r.Shown("sms_keyword") || r.Shown("sms") || r.Shown("chat_url") || !r.Shown("phone") {
		t.Fatal("Shown disagrees with HiddenFields")
	}
	p := r.Public()
	if p.SMSNumber != "" || p.SMSKeyword != "" || p.ChatURL != "" || p.Notes != "" || p.Phone == "" {
		t.Fatalf("Public = %+v", p)
	}
	p.Languages[0] = "fr"
	if r.Languages[0] != "en" {
		t.Fatal("Public shares slices with the original")
	}
	r.Verified = false
	if r.Shown("phone") || r.Shown("name") {
		t.Fatal("an unverified record shows fields")
	}
}

func TestStale(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		r    Resource
		want bool
	}{
		{Resource{CheckedOn: "2026-11-25"}, false},
		{Resource{CheckedOn: "2025-01-01"}, true},
		{Resource{CheckedOn: "2025-01-01", VerifiedAt: now.Add(-time.Hour)}, false},
		{Resource{}, true},
	}
	for _, c := range cases {
		if got := c.r.Stale(now); got != c.want {
			t.Errorf("Stale(%+v) = %v", c.r, got)
		}
	}
}

func TestSplitVanity(t *testing.T) {
	cases := []struct{ in, vanity, digits string }{
		{"1-800-RUNAWAY", "1-800-RUNAWAY", "1-800-786-2929"},
		{"1-800-RUNAWAY (1-800-786-2929)", "1-800-RUNAWAY", "1-800-786-2929"},
		{"1-800-THE-LOST (1-800-843-5678)", "1-800-THE-LOST", "1-800-843-5678"},
		{"1-844-7NATIVE (1-844-762-8483)", "1-844-7NATIVE", "1-844-762-8483"},
		{"1-888-373-7888", "", ""},
		{"711 (Telecommunications Relay Service)", "", ""},
		{"988", "", ""},
	}
	for _, c := range cases {
		v, d := SplitVanity(c.in)
		if v != c.vanity || d != c.digits {
			t.Errorf("SplitVanity(%q) = %q, %q", c.in, v, d)
		}
	}
	if got := DisplayPhone("1-800-RUNAWAY"); got != "1-800-RUNAWAY (1-800-786-2929)" {
		t.Errorf("DisplayPhone = %q", got)
	}
}

func TestValidateRejects(t *testing.T) {
	ok := Resource{ID: "a-1", Name: "A", Phone: "1-800-422-4453", PhoneE164: "+18004224453"}
	if err := Validate(ok); err != nil {
		t.Fatal(err)
	}
	bad := map[string]func(*Resource){
		"bare vanity":       func(r *Resource) { r.Phone, r.PhoneE164 = "1-800-RUNAWAY", "" },
		"vanity mismatch":   func(r *Resource) { r.Phone, r.PhoneE164 = "1-800-RUNAWAY (1-800-786-2928)", "" },
		"e164 mismatch":     func(r *Resource) { r.PhoneE164 = "+18004224454" },
		"e164 form":         func(r *Resource) { r.PhoneE164 = "18004224453" },
		"region":            func(r *Resource) { r.Regions = []string{"New York City"} },
		"language":          func(r *Resource) { r.Languages = []string{"English"} },
		"url":               func(r *Resource) { r.URL = "javascript:alert(1)" },
		"hidden field":      func(r *Resource) { r.HiddenFields = []string{"fax"} },
		"point":             func(r *Resource) { r.Point = &tipline.Location{Lat: 100, Lon: 101} },
		"id":                func(r *Resource) { r.ID = "Bad ID" },
		"name":              func(r *Resource) { r.Name = " " },
		"letters in number": func(r *Resource) { r.Phone = "1-800-422-44S3" },
		"keyword alone":     func(r *Resource) { r.SMSKeyword = "HOME" },
	}
	for name, mutate := range bad {
		r := ok.clone()
		mutate(&r)
		if err := Validate(r); err == nil {
			t.Errorf("%s: accepted %+v", name, r)
		}
	}
}

// TestUnverifiedNeverReturned walks every method over the bundled seed.
func TestUnverifiedNeverReturned(t *testing.T) {
	d, rs := bundledDir(t)
	hidden := map[string]bool{}
	for _, r := range rs {
		if !r.Verified {
			hidden[r.ID] = true
		}
	}
	for _, id := range []string{"us-ny-gems", "us-trevor", "us-covenant-house"} {
		if !hidden[id] {
			t.Fatalf("%s should be unverified in the seed", id)
		}
	}
	var got []Resource
	for _, c := range []string{"US", "CA", "MX", "GT", "", "us-ny"} {
		got = append(got, d.National(c)...)
		got = append(got, d.Emergency(c))
		for _, cat := range []string{"shelter", "lgbtq", "girls", "trafficking", "runaway"} {
			got = append(got, d.National(c, cat)...)
		}
	}
	got = append(got, d.Regional("US-NY")...)
	got = append(got, d.Nearby(tipline.Location{Lat: 40.8, Lon: -73.95}, nil, "", 50)...)
	for id := range hidden {
		if _, ok := d.Get(id); ok {
			t.Errorf("Get(%s) returned an unverified record", id)
		}
	}
	for _, r := range got {
		if hidden[r.ID] || !r.Verified {
			t.Errorf("unverified %s returned", r.ID)
		}
	}
	contacts := strings.Join(d.ShownContacts(), "|")
	for _, n := range []string{"488-7386", "999-9999", "202-304-1200"} {
		if strings.Contains(contacts, n) || d.IsShownNumber(n) {
			t.Errorf("unverified number %s is shown", n)
		}
	}
}

func TestShownContacts(t *testing.T) {
	d, _ := bundledDir(t)
	c := d.ShownContacts()
	for _, want := range []string{"1-888-373-7888", "1-800-RUNAWAY (1-800-786-2929)", "1-800-786-2929",
		"1-800-RUNAWAY", "66008", "741741", "HOME", "CONNECT", "686868", "911", "988", "211"} {
		if !contains(c, want) {
			t.Errorf("ShownContacts lacks %q", want)
		}
	}
	for _, hidden := range []string{"233733", "BEFREE"} { // us-nhth sms, hidden until re-verified
		if contains(c, hidden) || d.IsShownKeyword(hidden) || d.IsShownNumber(hidden) {
			t.Errorf("hidden contact %q is shown", hidden)
		}
	}
	for _, n := range []string{"1-800-786-2929", "(800) 786-2929", "+18007862929", "18004224453", "711", "800 5533 000"} {
		if !d.IsShownNumber(n) {
			t.Errorf("IsShownNumber(%q) = false", n)
		}
	}
	if !d.IsShownKeyword("home") || d.IsShownKeyword("HELP") {
		t.Error("IsShownKeyword wrong")
	}
	if mx, _ := d.Get("mx-lnctp"); mx.WhatsApp != "" || mx.URL != "" {
		t.Errorf("mx-lnctp hidden fields shown: %+v", mx)
	}
}

func TestEmergencyAndNational(t *testing.T) {
	d, _ := bundledDir(t)
	for in, want := range map[string]string{"US": "us-911", "ca": "ca-911", "MX": "mx-911", "FR": "us-911", "": "us-911", "CA-QC": "ca-911"} {
		if got := d.Emergency(in); got.ID != want || got.Phone != "911" {
			t.Errorf("Emergency(%q) = %s %q", in, got.ID, got.Phone)
		}
	}
	if got := New(nil).Emergency("CA"); got.ID != "ca-911" {
		t.Errorf("an empty directory's Emergency = %q, want the bundled record", got.ID)
	}
	ids := func(rs []Resource) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.ID)
		}
		return out
	}
	if got := ids(d.National("CA", "trafficking")); !reflect.DeepEqual(got, []string{"ca-human-trafficking-hotline"}) {
		t.Errorf("National(CA, trafficking) = %v", got)
	}
	if got := ids(d.National("MX", "trafficking")); !reflect.DeepEqual(got, []string{"mx-lnctp"}) {
		t.Errorf("National(MX, trafficking) = %v", got)
	}
	if got, us := ids(d.National("ZZ", "crisis")), ids(d.National("US", "crisis")); !reflect.DeepEqual(got, us) || len(us) == 0 {
		t.Errorf("unknown country %v, US %v", got, us)
	}
	got := ids(d.National("US", "food", "runaway"))
	if len(got) < 2 || got[0] != "us-211" || !contains(got, "us-nrs") {
		t.Errorf("National(US, food, runaway) = %v: food matches first", got)
	}
}

func localResources(n int) []Resource {
	rs := make([]Resource, 0, n)
	for i := 0; i < n; i++ {
		cat := []string{"shelter", "food", "medical"}[i%3]
		rs = append(rs, Resource{ID: fmt.Sprintf("local-%d", i), Name: "L", Categories: []string{cat},
			Local: true, Verified: true, Regions: []string{"US"}, Languages: [][]string{{"en"}, {"en", "es"}, nil}[i%3],
			Point: &tipline.Location{Lat: 25 + float64(i%200)*0.1, Lon: -120 + float64(i/200)*0.25}})
	}
	return rs
}

func TestNearby(t *testing.T) {
	p := tipline.Location{Lat: 40.75, Lon: -73.99}
	near := func(id string, lat, lon float64, langs ...string) Resource {
		return Resource{ID: id, Name: id, Categories: []string{"shelter"}, Local: true, Verified: true,
			Languages: langs, Point: &tipline.Location{Lat: lat, Lon: lon}}
	}
	rs := []Resource{
		near("far", 40.95, -73.99), near("close", 40.76, -73.99), near("mid", 40.85, -73.99, "en"),
		near("spanish", 40.80, -73.99, "es"), near("boston", 42.36, -71.06),
	}
	unverified := near("hidden", 40.751, -73.99)
	unverified.Verified = false
	hiddenPoint := near("nopoint", 40.752, -73.99)
	hiddenPoint.HiddenFields = []string{"point"}
	d := New(append(rs, unverified, hiddenPoint))
	var got []string
	for _, r := range d.Nearby(p, []string{"shelter"}, "es", 10) {
		got = append(got, r.ID)
	}
	if want := []string{"close", "spanish", "far", "mid"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Nearby = %v, want %v", got, want)
	}
	if got := d.Nearby(p, []string{"food"}, "", 3); len(got) != 0 {
		t.Fatalf("category filter: %v", got)
	}
	if got := d.Nearby(p, nil, "", 2); len(got) != 2 || got[0].ID != "close" {
		t.Fatalf("max: %v", got)
	}
	if km := DistanceKm(tipline.Location{Lat: 40.7128, Lon: -74.0060}, tipline.Location{Lat: 51.5074, Lon: -0.1278}); km < 5560 || km > 5580 {
		t.Fatalf("NYC-London = %.0f km", km)
	}
}

func BenchmarkNearby(b *testing.B) {
	d := New(localResources(10000))
	p := tipline.Location{Lat: 30, Lon: -110}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if len(d.Nearby(p, []string{"shelter"}, "es", 3)) == 0 {
			b.Fatal("no results")
		}
	}
}

func TestParseJSON(t *testing.T) {
	_, rs := bundledDir(t)
	b, err := EncodeJSON(rs)
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseJSON("x.json", b)
	if err != nil || !reflect.DeepEqual(back, rs) {
		t.Fatalf("round trip: %v", err)
	}
	bad := map[string]string{
		"[\n{\"id\":\"a\",\"name\":\"A\"},\n{\"id\":\"b\",\"name\":\"B\",\"phone\":\"1-800-RUNAWAY\"}\n]": "x.json:3:",
		"[\n{\"id\":\"a\",\"name\":\"A\"},\n{\"id\":\"a\",\"name\":\"B\"}]":                               "x.json:3: duplicate",
		"[\n{\"id\":\"a\",\n\"name\":\"A\",\n\"bogus\":1}]":                                               "x.json:4:",
		"[\n{\"id\":\"a\",\n\"name\": 7}]":                                                                "x.json:3:",
		"[\n{\"id\":\"a\",\"name\":\"A\"},\n\n\n{\"id\":\"b\",\n\"verified\": 7}]":                        "x.json:6:",
		"{}":                                 "x.json:1:",
		"[\n{\"id\":\"a\",\"name\":\"A\"}\n": "x.json:",
	}
	for in, want := range bad {
		if _, err := ParseJSON("x.json", []byte(in)); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("ParseJSON(%q) err = %v, want prefix %q", in, err, want)
		}
	}
}
