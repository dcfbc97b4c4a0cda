// Package directory is Tipline's resource directory: verified help lines and
// local services, searched by need, place and language. It is pure: besides
// its embedded data it does no I/O, so the pure flows package may import it.
package directory

import (
	"time"

	"tipline"
)

// Resource is one help line or local service. Contact fields carry the
// verified values only; a field named in HiddenFields is kept for staff but
// never shown to users (see Shown and Public).
type Resource struct {
	ID           string            `json:"id"`
	Name         string            `json:"name"`
	Organization string            `json:"organization,omitempty"`
	Description  map[string]string `json:"description,omitempty"` // by language: "en", "es", "fr"
	Categories   []string          `json:"categories,omitempty"`  // shelter, food, crisis, trafficking, ...
	Phone        string            `json:"phone,omitempty"`       // display form; vanity numbers carry their digits
	PhoneE164    string            `json:"phone_e164,omitempty"`
	SMSNumber    string            `json:"sms_number,omitempty"`
	SMSKeyword   string            `json:"sms_keyword,omitempty"`
	TTY          string            `json:"tty,omitempty"`
	WhatsApp     string            `json:"whatsapp,omitempty"`
	ChatURL      string            `json:"chat_url,omitempty"`
	URL          string            `json:"url,omitempty"`
	Hours        string            `json:"hours,omitempty"`
	Languages    []string          `json:"languages,omitempty"` // ISO 639-1
	Regions      []string          `json:"regions,omitempty"`   // ISO 3166-1 "US" or ISO 3166-2 "US-NY"
	Area         string            `json:"area,omitempty"`      // free-text service area, e.g. "New York City"
	Local        bool              `json:"local,omitempty"`
	Address      string            `json:"address,omitempty"`
	Point        *tipline.Location `json:"point,omitempty"`
	Verified     bool              `json:"verified"`
	HiddenFields []string          `json:"hidden_fields,omitempty"`
	Source       string            `json:"source,omitempty"`
	MoreSources  []string          `json:"more_sources,omitempty"`
	Notes        string            `json:"notes,omitempty"` // staff only
	CheckedOn    string            `json:"checked_on,omitempty"`
	VerifiedBy   string            `json:"verified_by,omitempty"`
	VerifiedAt   time.Time         `json:"verified_at,omitzero"`
}

// Shown reports whether field may be shown to users: the record is verified
// and the field is not hidden.
func (r Resource) Shown(field string) bool { return false }

// Public returns a copy of r with every hidden field blanked.
func (r Resource) Public() Resource { return Resource{} }

// Directory is an immutable in-memory snapshot of the resource directory.
type Directory struct {
	all []Resource
}

// New builds a Directory from rs. Unverified records are kept out of every
// user-facing answer.
func New(rs []Resource) *Directory { return &Directory{all: rs} }

// Bundled returns the resources of the embedded seed file.
func Bundled() ([]Resource, error) { return nil, nil }

// Get returns the verified resource id, with hidden fields blanked.
func (d *Directory) Get(id string) (Resource, bool) { return Resource{}, false }

// Emergency returns the emergency number record for country (us-911,
// ca-911, mx-911); the US one for any other country.
func (d *Directory) Emergency(country string) Resource { return Resource{} }

// National returns the verified national resources for country that have
// any of categories (all when none given), hidden fields blanked. An unknown
// country gets the US lines.
func (d *Directory) National(country string, categories ...string) []Resource { return nil }

// Nearby returns up to max verified local resources with any of categories,
// nearest to p first (haversine distance).
func (d *Directory) Nearby(p tipline.Location, categories []string, lang string, max int) []Resource {
	return nil
}

// ShownContacts returns every phone number, SMS number, SMS keyword and TTY
// shown to users by any verified record. Replies may carry no other number.
func (d *Directory) ShownContacts() []string { return nil }

// Place is a geocoded place: a country, a subdivision, a point and a label.
type Place struct {
	Country string           // ISO 3166-1 alpha-2
	Region  string           // ISO 3166-2, e.g. "US-NY"
	Point   tipline.Location // centroid
	Label   string           // what was recognised, e.g. "10001" or "Montreal, QC"
}

// Geocode recognises a US ZIP code (5 digits or ZIP+4), a Canadian postal
// code (at least its first three characters) or "City, ST" for US states and
// Canadian provinces, and returns its centroid.
func Geocode(text string) (Place, bool) { return Place{}, false }
