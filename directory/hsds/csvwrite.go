package hsds

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"tipline/directory"
)

// packageTables lists the files Tipline writes, in order, with columns.
var packageTables = []struct {
	name, file string
	cols       []string
}{
	{"organizations", "organizations.csv", []string{"id", "name", "description"}},
	{"services", "services.csv", []string{"id", "organization_id", "name", "description", "url", "status", "assured_date", "assurer_email",
		"eligibility_description", "minimum_age", "maximum_age"}},
	{"phones", "phones.csv", []string{"id", "service_id", "number", "type", "description"}},
	{"schedules", "schedules.csv", []string{"id", "service_id", "freq", "byday", "opens_at", "closes_at", "description"}},
	{"service_areas", "service_areas.csv", []string{"id", "service_id", "name", "extent_type"}},
	{"languages", "languages.csv", []string{"id", "service_id", "name", "code"}},
	{"locations", "locations.csv", []string{"id", "location_type", "url", "name", "latitude", "longitude"}},
	{"addresses", "addresses.csv", []string{"id", "location_id", "address_1", "city", "state_province", "postal_code", "country", "address_type"}},
	{"service_at_location", "service_at_location.csv", []string{"id", "service_id", "location_id"}},
	{"taxonomies", "taxonomies.csv", []string{"id", "name", "description"}},
	{"taxonomy_terms", "taxonomy_terms.csv", []string{"id", "code", "name", "description", "taxonomy", "taxonomy_id"}},
	{"attributes", "attributes.csv", []string{"id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"}},
}

// packageRows flattens the services into rows per table.
func packageRows(rs []directory.Resource) map[string][][]string {
	t := map[string][][]string{}
	seen := map[string]bool{}
	once := func(table, id string, row ...string) {
		if !seen[table+id] {
			seen[table+id] = true
			t[table] = append(t[table], append([]string{id}, row...))
		}
	}
	for _, r := range rs {
		s := FromResource(r)
		if o := s.Organization; o != nil {
			once("organizations", o.ID, o.Name, o.Description)
		}
		once("services", s.ID, s.OrganizationID, s.Name, s.Description, s.URL, s.Status, s.AssuredDate, s.AssurerEmail,
			s.Eligibility, numberText(s.MinimumAge), numberText(s.MaximumAge))
		for _, p := range s.Phones {
			once("phones", p.ID, s.ID, p.Number, p.Type, p.Description)
		}
		for _, x := range s.Schedules {
			once("schedules", x.ID, s.ID, x.Freq, x.Byday, x.OpensAt, x.ClosesAt, x.Description)
		}
		for _, a := range s.ServiceAreas {
			once("service_areas", a.ID, s.ID, a.Name, a.ExtentType)
		}
		for _, l := range s.Languages {
			once("languages", l.ID, s.ID, l.Name, l.Code)
		}
		for _, sal := range s.ServiceAtLocations {
			flattenLocation(sal, once)
		}
		for _, a := range s.Attributes {
			tt := a.TaxonomyTerm
			once("taxonomies", tt.TaxonomyID, tt.Taxonomy, "Tipline's "+tt.Taxonomy+" terms")
			once("taxonomy_terms", tt.ID, tt.Code, tt.Name, tt.Description, tt.Taxonomy, tt.TaxonomyID)
			once("attributes", a.ID, a.LinkID, a.TaxonomyTermID, a.LinkType, a.LinkEntity, a.Value)
		}
	}
	return t
}

func flattenLocation(sal ServiceAtLocation, once func(table, id string, row ...string)) {
	l := sal.Location
	once("locations", l.ID, l.LocationType, l.URL, l.Name, num(l.Latitude), num(l.Longitude))
	for _, a := range l.Addresses {
		once("addresses", a.ID, l.ID, a.Address1, a.City, a.StateProvince, a.PostalCode, a.Country, a.AddressType)
	}
	once("service_at_location", sal.ID, sal.ServiceID, l.ID)
}

func num(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

// packageFiles renders the package: datapackage.json and the CSV files.
func packageFiles(rs []directory.Resource) (map[string][]byte, error) {
	rows := packageRows(rs)
	files := map[string][]byte{}
	type resource struct {
		Name      string `json:"name"`
		Path      string `json:"path"`
		Format    string `json:"format"`
		Mediatype string `json:"mediatype"`
		Profile   string `json:"profile"`
	}
	dp := struct {
		Name      string     `json:"name"`
		Profile   string     `json:"profile"`
		Resources []resource `json:"resources"`
	}{Name: "tipline-resources", Profile: "tabular-data-package"}
	for _, pt := range packageTables {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.Write(pt.cols)
		for _, row := range rows[pt.name] {
			for i := range row {
				row[i] = neutralise(row[i])
			}
			_ = w.Write(row)
		}
		w.Flush()
		if err := w.Error(); err != nil {
			return nil, fmt.Errorf("hsds: %s: %w", pt.file, err)
		}
		files[pt.file] = buf.Bytes()
		dp.Resources = append(dp.Resources, resource{pt.name, pt.file, "csv", "text/csv", "tabular-data-resource"})
	}
	b, err := json.MarshalIndent(dp, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("hsds: datapackage.json: %w", err)
	}
	files["datapackage.json"] = append(b, '\n')
	return files, nil
}

// WritePackageDir writes rs as an HSDS CSV data package into dir.
func WritePackageDir(dir string, rs []directory.Resource) error {
	files, err := packageFiles(rs)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("hsds: %w", err)
	}
	for _, name := range sortedKeys(files) {
		if err := os.WriteFile(filepath.Join(dir, name), files[name], 0o644); err != nil {
			return fmt.Errorf("hsds: %w", err)
		}
	}
	return nil
}

// WritePackageZip writes rs as a zipped HSDS CSV data package to w.
func WritePackageZip(w io.Writer, rs []directory.Resource) error {
	files, err := packageFiles(rs)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	for _, name := range sortedKeys(files) {
		f, err := zw.Create(name)
		if err != nil {
			return fmt.Errorf("hsds: zip %s: %w", name, err)
		}
		if _, err := f.Write(files[name]); err != nil {
			return fmt.Errorf("hsds: zip %s: %w", name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("hsds: zip: %w", err)
	}
	return nil
}

func sortedKeys(m map[string][]byte) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
