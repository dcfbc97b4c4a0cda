package hsdstest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"testing"
)

// object is what the HSDS 3.0 schema (openreferral/specification,
// schema/*.json) requires of one object, as far as these fixtures use it:
// required fields, field types, enumerations, and the nested objects.
// Fields the schema does not list are allowed, as in the schema.
type object struct {
	required []string
	strings  []string
	numbers  []string
	enums    map[string][]string
	objects  map[string]string // field → nested object
	arrays   map[string]string // field → object of its items
}

// hsds30 are the objects of a full HSDS 3.0 service.
var hsds30 = map[string]object{
	"service": {required: []string{"id", "name", "status"},
		strings: []string{"organization_id", "description", "url", "email", "eligibility_description", "assured_date", "last_modified"},
		numbers: []string{"minimum_age", "maximum_age"},
		enums:   map[string][]string{"status": {"active", "inactive", "defunct", "temporarily closed"}},
		objects: map[string]string{"organization": "organization"},
		arrays: map[string]string{"phones": "phone", "schedules": "schedule", "service_areas": "service_area",
			"service_at_locations": "service_at_location", "languages": "language", "attributes": "attribute"}},
	"organization": {required: []string{"id", "name", "description"}, strings: []string{"website", "email"}},
	"phone": {required: []string{"id", "number"}, strings: []string{"service_id", "type", "description"},
		numbers: []string{"extension"}, arrays: map[string]string{"languages": "language"}},
	"schedule":            {required: []string{"id"}, strings: []string{"service_id", "freq", "byday", "opens_at", "closes_at", "description"}},
	"service_area":        {required: []string{"id"}, strings: []string{"service_id", "name", "description", "extent_type"}},
	"service_at_location": {required: []string{"id"}, strings: []string{"service_id", "location_id"}, objects: map[string]string{"location": "location"}},
	"location": {required: []string{"id", "location_type"}, strings: []string{"name", "url"},
		numbers: []string{"latitude", "longitude"}, enums: map[string][]string{"location_type": {"physical", "postal", "virtual"}},
		arrays: map[string]string{"addresses": "address"}},
	"address": {required: []string{"id", "address_1", "city", "state_province", "postal_code", "country", "address_type"},
		strings: []string{"location_id", "address_2"}, enums: map[string][]string{"address_type": {"physical", "postal", "virtual"}}},
	"language": {required: []string{"id"}, strings: []string{"service_id", "name", "code"}},
	"attribute": {required: []string{"id"}, strings: []string{"link_id", "taxonomy_term_id", "link_type", "link_entity", "value"},
		objects: map[string]string{"taxonomy_term": "taxonomy_term"}},
	"taxonomy_term": {required: []string{"id", "name", "description"}, strings: []string{"code", "taxonomy"}},
}

// uuidRe is the schema's "uuid" format, which every id here has.
var uuidRe = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// validate checks v against the schema of object name; path names v in
// the error.
func validate(name, path string, v any) error {
	o, ok := hsds30[name]
	m, isMap := v.(map[string]any)
	if !ok || !isMap {
		return fmt.Errorf("%s: not a %s object", path, name)
	}
	for _, f := range o.required {
		if s, present := m[f]; !present || s == "" {
			return fmt.Errorf("%s: %s is required", path, f)
		}
	}
	if id, _ := m["id"].(string); !uuidRe.MatchString(id) {
		return fmt.Errorf("%s: id %q is not a uuid", path, m["id"])
	}
	for f, val := range m {
		if err := validateField(o, path+"."+f, f, val); err != nil {
			return err
		}
	}
	return nil
}

func validateField(o object, path, f string, val any) error {
	switch {
	case slices.Contains(o.numbers, f):
		if _, ok := val.(float64); !ok {
			return fmt.Errorf("%s: a number", path)
		}
	case o.objects[f] != "":
		return validate(o.objects[f], path, val)
	case o.arrays[f] != "":
		items, ok := val.([]any)
		if !ok {
			return fmt.Errorf("%s: an array", path)
		}
		for i, it := range items {
			if err := validate(o.arrays[f], fmt.Sprintf("%s[%d]", path, i), it); err != nil {
				return err
			}
		}
	case slices.Contains(o.strings, f) || slices.Contains(o.required, f) || o.enums[f] != nil:
		s, ok := val.(string)
		if !ok {
			return fmt.Errorf("%s: a string", path)
		}
		if e := o.enums[f]; e != nil && !slices.Contains(e, s) {
			return fmt.Errorf("%s: %q is not one of %v", path, s, e)
		}
	default:
		return fmt.Errorf("%s: a field these fixtures should not use without checking its type", path)
	}
	return nil
}

// TestFixturesAreValidHSDS30 validates every service and organization the
// fake serves, listed and whole, against the HSDS 3.0 schema, and its
// pages against the API's Page object.
func TestFixturesAreValidHSDS30(t *testing.T) {
	var listed []any
	var d struct {
		Services      map[string]any `json:"services"`
		Organizations map[string]any `json:"organizations"`
	}
	if err := json.Unmarshal(servicesJSON, &listed); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(detailsJSON, &d); err != nil {
		t.Fatal(err)
	}
	for i, s := range listed {
		if err := validate("service", fmt.Sprintf("services[%d]", i), s); err != nil {
			t.Error(err)
		}
	}
	for id, s := range d.Services {
		if err := validate("service", "/services/"+id, s); err != nil {
			t.Error(err)
		}
	}
	for id, o := range d.Organizations {
		if err := validate("organization", "/organizations/"+id, o); err != nil {
			t.Error(err)
		}
	}
	checkPages(t, New(t))
}

// checkPages reads every page as a client would and checks the Page
// object's fields.
func checkPages(t *testing.T, s *Server) {
	seen := 0
	for n := 1; n <= 10; n++ {
		resp, err := http.Get(fmt.Sprintf("%s/services?page=%d&per_page=2", s.URL, n))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var p struct {
			TotalItems *int  `json:"total_items"`
			TotalPages *int  `json:"total_pages"`
			PageNumber *int  `json:"page_number"`
			Size       *int  `json:"size"`
			FirstPage  *bool `json:"first_page"`
			LastPage   *bool `json:"last_page"`
			Empty      *bool `json:"empty"`
			Contents   []any `json:"contents"`
		}
		if err := json.Unmarshal(b, &p); err != nil || p.TotalItems == nil || p.TotalPages == nil || p.PageNumber == nil ||
			p.Size == nil || p.FirstPage == nil || p.LastPage == nil || p.Empty == nil || p.Contents == nil {
			t.Fatalf("page %d is not an HSDS Page: %s (%v)", n, b, err)
		}
		if *p.PageNumber != n || *p.Size != len(p.Contents) || *p.FirstPage != (n == 1) {
			t.Errorf("page %d: %s", n, b)
		}
		seen += len(p.Contents)
		if *p.LastPage {
			break
		}
	}
	if seen != 3 {
		t.Errorf("the pages held %d services, want 3", seen)
	}
}

// TestValidatorRefusesBadServices: the checks above do refuse what the
// schema refuses.
func TestValidatorRefusesBadServices(t *testing.T) {
	ok := func() map[string]any {
		return map[string]any{"id": ShelterID, "name": "x", "status": "active"}
	}
	bad := []func(map[string]any){
		func(m map[string]any) { delete(m, "name") },
		func(m map[string]any) { m["status"] = "open" },
		func(m map[string]any) { m["id"] = "42" },
		func(m map[string]any) { m["minimum_age"] = "12" },
		func(m map[string]any) { m["phones"] = []any{map[string]any{"id": DropInID}} },
		func(m map[string]any) {
			m["service_at_locations"] = []any{map[string]any{"id": DropInID, "location": map[string]any{"id": PantryID, "location_type": "home"}}}
		},
	}
	if err := validate("service", "ok", ok()); err != nil {
		t.Fatal(err)
	}
	for i, spoil := range bad {
		m := ok()
		spoil(m)
		if validate("service", "bad", m) == nil {
			t.Errorf("case %d accepted: %v", i, m)
		}
	}
}
