package hsds

import (
	"archive/zip"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"

	"tipline/directory"
)

// ReadPackage reads an HSDS CSV Tabular Data Package from a folder or a
// .zip (datapackage.json at its top or in one folder). It returns every
// resource or, on the first malformed row, an error naming the file and
// line, and nothing else.
func ReadPackage(p string) ([]directory.Resource, []Warning, error) {
	if strings.EqualFold(filepath.Ext(p), ".zip") {
		zr, err := zip.OpenReader(p)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, err)
		}
		defer zr.Close()
		return readFS(zr, p)
	}
	return readFS(os.DirFS(p), p)
}

// readFS finds datapackage.json at the top of fsys or one folder down.
func readFS(fsys fs.FS, label string) ([]directory.Resource, []Warning, error) {
	dir := "."
	if _, err := fs.Stat(fsys, "datapackage.json"); err != nil {
		matches, _ := fs.Glob(fsys, "*/datapackage.json")
		if len(matches) != 1 {
			return nil, nil, fmt.Errorf("%s: no datapackage.json", label)
		}
		dir = path.Dir(matches[0])
	}
	paths, err := packagePaths(fsys, dir, label)
	if err != nil {
		return nil, nil, err
	}
	tables, err := readTables(fsys, dir, label, paths)
	if err != nil {
		return nil, nil, err
	}
	return assemble(tables)
}

// columns the importer requires in each table it reads.
var requiredColumns = map[string][]string{
	"service": {"id", "name", "status"}, "organization": {"id", "name"}, "phone": {"id", "number"},
	"location": {"id", "location_type"}, "schedule": {"id"}, "service_area": {"id"},
	"service_at_location": {"id"}, "language": {"id"}, "address": {"id"}, "attribute": {"id"},
	"taxonomy_term": {"id"}, "taxonomy": {"id"},
}

// plurals are the file names used when datapackage.json lists no path.
var plurals = map[string]string{"address": "addresses", "taxonomy": "taxonomies", "service_at_location": "service_at_location"}

func readTables(fsys fs.FS, dir, label string, paths map[string]string) (map[string]*table, error) {
	out := map[string]*table{}
	for obj, cols := range requiredColumns {
		p, ok := paths[obj]
		if !ok {
			plural := plurals[obj]
			if plural == "" {
				plural = obj + "s"
			}
			p = path.Join(dir, plural+".csv")
			if _, err := fs.Stat(fsys, p); err != nil {
				p = path.Join(dir, obj+".csv")
			}
		}
		t, err := readTable(fsys, p, label, cols...)
		if err != nil {
			return nil, err
		}
		out[obj] = t
	}
	if len(out["service"].rows) == 0 {
		return nil, fmt.Errorf("%s: no services", label)
	}
	return out, nil
}

// by returns the row numbers of t grouped by column col (memoised).
func (t *table) by(col string) map[string][]int {
	rowsFor(t, col, "")
	return t.index[col]
}

// byKey groups a table's rows by one column.
func byKey(t *table, col string) map[string][]int {
	out := map[string][]int{}
	for i, row := range t.rows {
		out[row[col]] = append(out[row[col]], i)
	}
	return out
}

// assemble builds the nested services and converts them.
func assemble(t map[string]*table) ([]directory.Resource, []Warning, error) {
	svcs := t["service"]
	index := map[string]int{}
	var warns []Warning
	for i, row := range svcs.rows {
		if _, dup := index[row["id"]]; dup {
			return nil, nil, fmt.Errorf("%s:%d: duplicate service id %s", svcs.file, svcs.lines[i], row["id"])
		}
		index[row["id"]] = i
	}
	for _, obj := range []string{"phone", "schedule", "service_area", "service_at_location", "language"} {
		warns = append(warns, orphans(t[obj], "service_id", index)...)
	}
	warns = append(warns, orphans(t["attribute"], "link_id", index)...)
	orgs := t["organization"].by("id")
	out := make([]directory.Resource, 0, len(svcs.rows))
	for i, row := range svcs.rows {
		s, err := buildService(t, row, orgs)
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %w", svcs.file, svcs.lines[i], err)
		}
		r, w, err := ToResource(s)
		for _, text := range w {
			warns = append(warns, Warning{svcs.file, svcs.lines[i], text})
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %w", svcs.file, svcs.lines[i], err)
		}
		out = append(out, r)
	}
	if err := unique(svcs.file, out, svcs.lines); err != nil {
		return nil, nil, err
	}
	return out, warns, nil
}

// orphans warns of rows that name a service the package does not hold.
func orphans(t *table, col string, services map[string]int) []Warning {
	var out []Warning
	for i, row := range t.rows {
		id := row[col]
		if _, ok := services[id]; id != "" && !ok {
			out = append(out, Warning{t.file, t.lines[i], fmt.Sprintf("%s %s names no service in the package: skipped", col, id)})
		}
	}
	return out
}

func buildService(t map[string]*table, row map[string]string, orgs map[string][]int) (Service, error) {
	s := Service{ID: row["id"], OrganizationID: row["organization_id"], Name: row["name"], AlternateName: row["alternate_name"],
		Description: row["description"], URL: row["url"], Email: row["email"], Status: row["status"],
		AssuredDate: row["assured_date"], AssurerEmail: row["assurer_email"], LastModified: row["last_modified"],
		Eligibility: row["eligibility_description"], MinimumAge: number(row["minimum_age"]), MaximumAge: number(row["maximum_age"])}
	if ix := orgs[s.OrganizationID]; s.OrganizationID != "" && len(ix) > 0 {
		o := t["organization"].rows[ix[0]]
		s.Organization = &Organization{ID: o["id"], Name: o["name"], Description: o["description"], Website: o["website"]}
	}
	for _, r := range rowsFor(t["phone"], "service_id", s.ID) {
		s.Phones = append(s.Phones, Phone{ID: r["id"], ServiceID: s.ID, Number: r["number"], Type: r["type"], Description: r["description"]})
	}
	for _, r := range rowsFor(t["schedule"], "service_id", s.ID) {
		s.Schedules = append(s.Schedules, Schedule{ID: r["id"], ServiceID: s.ID, Freq: r["freq"], Byday: r["byday"],
			OpensAt: r["opens_at"], ClosesAt: r["closes_at"], Description: r["description"]})
	}
	for _, r := range rowsFor(t["service_area"], "service_id", s.ID) {
		s.ServiceAreas = append(s.ServiceAreas, ServiceArea{ID: r["id"], ServiceID: s.ID, Name: r["name"],
			Description: r["description"], ExtentType: r["extent_type"]})
	}
	for _, r := range rowsFor(t["language"], "service_id", s.ID) {
		if r["phone_id"] == "" || r["service_id"] != "" {
			s.Languages = append(s.Languages, Language{ID: r["id"], ServiceID: s.ID, Name: r["name"], Code: r["code"], Note: r["note"]})
		}
	}
	sals, err := buildLocations(t, s.ID)
	if err != nil {
		return s, err
	}
	s.ServiceAtLocations = sals
	s.Attributes = buildAttributes(t, s.ID)
	return s, nil
}

// rowsFor returns the rows of t whose col is id, through an index built
// once per column.
func rowsFor(t *table, col, id string) []map[string]string {
	if t.index == nil {
		t.index = map[string]map[string][]int{}
	}
	ix, ok := t.index[col]
	if !ok {
		ix = byKey(t, col)
		t.index[col] = ix
	}
	out := make([]map[string]string, 0, len(ix[id]))
	for _, i := range ix[id] {
		out = append(out, t.rows[i])
	}
	return out
}

func buildLocations(t map[string]*table, sid string) ([]ServiceAtLocation, error) {
	locs := t["location"].by("id")
	var out []ServiceAtLocation
	for _, r := range rowsFor(t["service_at_location"], "service_id", sid) {
		sal := ServiceAtLocation{ID: r["id"], ServiceID: sid, LocationID: r["location_id"], Description: r["description"]}
		if ix := locs[sal.LocationID]; len(ix) > 0 {
			l, err := buildLocation(t, ix[0])
			if err != nil {
				return nil, err
			}
			sal.Location = l
		}
		out = append(out, sal)
	}
	return out, nil
}

func buildLocation(t map[string]*table, i int) (*Location, error) {
	lt := t["location"]
	r := lt.rows[i]
	l := &Location{ID: r["id"], LocationType: r["location_type"], URL: r["url"], Name: r["name"]}
	for _, c := range []struct {
		col string
		dst **float64
	}{{"latitude", &l.Latitude}, {"longitude", &l.Longitude}} {
		if v := strings.TrimSpace(r[c.col]); v != "" {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %s %q is not a number", lt.file, lt.lines[i], c.col, v)
			}
			*c.dst = &f
		}
	}
	for _, a := range rowsFor(t["address"], "location_id", l.ID) {
		l.Addresses = append(l.Addresses, Address{ID: a["id"], LocationID: l.ID, Address1: a["address_1"], Address2: a["address_2"],
			City: a["city"], StateProvince: a["state_province"], PostalCode: a["postal_code"], Country: a["country"], AddressType: a["address_type"]})
	}
	return l, nil
}

// buildAttributes joins a service's attributes to their terms, naming each
// term's taxonomy by the term's taxonomy column or its taxonomy's name.
func buildAttributes(t map[string]*table, sid string) []Attribute {
	terms, taxes := t["taxonomy_term"].by("id"), t["taxonomy"].by("id")
	var out []Attribute
	for _, r := range rowsFor(t["attribute"], "link_id", sid) {
		a := Attribute{ID: r["id"], LinkID: sid, TaxonomyTermID: r["taxonomy_term_id"], LinkType: r["link_type"],
			LinkEntity: r["link_entity"], Value: r["value"], Label: r["label"]}
		if ix := terms[a.TaxonomyTermID]; len(ix) > 0 {
			tr := t["taxonomy_term"].rows[ix[0]]
			term := TaxonomyTerm{ID: tr["id"], Code: tr["code"], Name: tr["name"], Description: tr["description"],
				Taxonomy: tr["taxonomy"], TaxonomyID: tr["taxonomy_id"]}
			if tx := taxes[term.TaxonomyID]; term.TaxonomyID != "" && len(tx) > 0 {
				term.Taxonomy = t["taxonomy"].rows[tx[0]]["name"]
			}
			a.TaxonomyTerm = &term
		}
		out = append(out, a)
	}
	return out
}
