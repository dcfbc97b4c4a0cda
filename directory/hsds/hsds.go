// Package hsds reads and writes the resource directory as Open Referral's
// Human Services Data Specification 3.0: the JSON service view (a service
// with its organization, phones, schedules, languages, service areas,
// locations and attributes nested) and the CSV Tabular Data Package (a
// folder or a .zip holding datapackage.json and one CSV per object). It
// also reads and writes Tipline's own JSON format (directory.ParseJSON).
//
// Mapping (see shared/data/resources.md): a resource is a service; its
// phone a phone of type voice (the display form in its description), its
// SMS number a phone of type text ("keyword: X" in the description), TTY
// type textphone, WhatsApp type text described "WhatsApp"; its chat URL a
// virtual location; hours a schedule; regions service areas named by ISO
// code; categories attributes on the taxonomy "tipline-categories"; and
// the facts HSDS has no field for (our id, verification, hidden fields,
// sources, notes, other-language descriptions) attributes on the taxonomy
// "tipline". Services imported from elsewhere carry no Tipline
// verification, so they arrive unverified: hidden until staff verify.
package hsds

// Service is an HSDS 3.0 service with the objects Tipline models nested,
// as in the service-oriented compiled schema.
type Service struct {
	ID                 string              `json:"id"`
	OrganizationID     string              `json:"organization_id,omitempty"`
	Name               string              `json:"name"`
	AlternateName      string              `json:"alternate_name,omitempty"`
	Description        string              `json:"description,omitempty"`
	URL                string              `json:"url,omitempty"`
	Email              string              `json:"email,omitempty"`
	Status             string              `json:"status"`
	AssuredDate        string              `json:"assured_date,omitempty"`
	AssurerEmail       string              `json:"assurer_email,omitempty"`
	LastModified       string              `json:"last_modified,omitempty"`
	Eligibility        string              `json:"eligibility_description,omitempty"`
	MinimumAge         *float64            `json:"minimum_age,omitempty"`
	MaximumAge         *float64            `json:"maximum_age,omitempty"`
	Organization       *Organization       `json:"organization,omitempty"`
	Phones             []Phone             `json:"phones,omitempty"`
	Schedules          []Schedule          `json:"schedules,omitempty"`
	ServiceAreas       []ServiceArea       `json:"service_areas,omitempty"`
	ServiceAtLocations []ServiceAtLocation `json:"service_at_locations,omitempty"`
	Languages          []Language          `json:"languages,omitempty"`
	Attributes         []Attribute         `json:"attributes,omitempty"`
}

// Organization is an HSDS organization (id, name and description required).
type Organization struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Website     string `json:"website,omitempty"`
}

// Phone is an HSDS phone; Type is an RFC 6350 type (voice, text,
// textphone, ...).
type Phone struct {
	ID          string     `json:"id"`
	ServiceID   string     `json:"service_id,omitempty"`
	Number      string     `json:"number"`
	Extension   *float64   `json:"extension,omitempty"`
	Type        string     `json:"type,omitempty"`
	Description string     `json:"description,omitempty"`
	Languages   []Language `json:"languages,omitempty"`
}

// Schedule is an HSDS schedule, reduced to the fields Tipline reads.
type Schedule struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id,omitempty"`
	Freq        string `json:"freq,omitempty"`
	Byday       string `json:"byday,omitempty"`
	OpensAt     string `json:"opens_at,omitempty"`
	ClosesAt    string `json:"closes_at,omitempty"`
	Description string `json:"description,omitempty"`
}

// ServiceArea is an HSDS service area; Tipline names regions by ISO code.
type ServiceArea struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id,omitempty"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	ExtentType  string `json:"extent_type,omitempty"`
}

// ServiceAtLocation joins a service to a location.
type ServiceAtLocation struct {
	ID          string    `json:"id"`
	ServiceID   string    `json:"service_id,omitempty"`
	LocationID  string    `json:"location_id,omitempty"`
	Description string    `json:"description,omitempty"`
	Location    *Location `json:"location,omitempty"`
}

// Location is an HSDS location: physical, postal or virtual.
type Location struct {
	ID           string    `json:"id"`
	LocationType string    `json:"location_type"`
	URL          string    `json:"url,omitempty"`
	Name         string    `json:"name,omitempty"`
	Latitude     *float64  `json:"latitude,omitempty"`
	Longitude    *float64  `json:"longitude,omitempty"`
	Addresses    []Address `json:"addresses,omitempty"`
}

// Address is an HSDS address.
type Address struct {
	ID            string `json:"id"`
	LocationID    string `json:"location_id,omitempty"`
	Address1      string `json:"address_1"`
	Address2      string `json:"address_2,omitempty"`
	City          string `json:"city"`
	StateProvince string `json:"state_province"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	AddressType   string `json:"address_type"`
}

// Language is an HSDS language (ISO 639-1 or 639-3 code).
type Language struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	PhoneID   string `json:"phone_id,omitempty"`
	Name      string `json:"name,omitempty"`
	Code      string `json:"code,omitempty"`
	Note      string `json:"note,omitempty"`
}

// Attribute links a taxonomy term, with a value, to an object.
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id,omitempty"`
	TaxonomyTermID string        `json:"taxonomy_term_id"`
	LinkType       string        `json:"link_type,omitempty"`
	LinkEntity     string        `json:"link_entity,omitempty"`
	Value          string        `json:"value,omitempty"`
	Label          string        `json:"label,omitempty"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty"`
}

// TaxonomyTerm is an HSDS taxonomy term.
type TaxonomyTerm struct {
	ID          string `json:"id"`
	Code        string `json:"code,omitempty"`
	Name        string `json:"name"`
	Description string `json:"description"`
	Taxonomy    string `json:"taxonomy,omitempty"`
	TaxonomyID  string `json:"taxonomy_id,omitempty"`
}

// The taxonomies Tipline's attributes use.
const (
	TaxonomyCategories = "tipline-categories"
	TaxonomyFields     = "tipline"
)

// The valid service statuses of HSDS 3.0.
var statuses = map[string]bool{"active": true, "inactive": true, "defunct": true, "temporarily closed": true}

// The valid location types of HSDS 3.0.
var locationTypes = map[string]bool{"physical": true, "postal": true, "virtual": true}
