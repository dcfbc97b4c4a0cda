// Package directory is Tipline's resource directory: verified help lines and
// local services, searched by need, place and language. It is pure: besides
// its embedded data it does no I/O, so the pure flows package may import it.
package directory

import (
	"fmt"
	"strings"
	"time"

	"tipline"
)

// Resource is one help line or local service. Contact fields carry the
// verified values only; a field named in HiddenFields is kept for staff but
// never shown to users (see Shown and Public), and a record that is not
// Verified, or is Hidden, is not shown at all.
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
	Schedule     []Opening         `json:"schedule,omitempty"` // weekly opening hours; none: unknown
	AgesMin      int               `json:"ages_min,omitempty"` // youngest age served; 0: no minimum
	AgesMax      int               `json:"ages_max,omitempty"` // oldest age served; 0: no maximum
	Eligibility  string            `json:"eligibility,omitempty"`
	Languages    []string          `json:"languages,omitempty"` // ISO 639-1
	Regions      []string          `json:"regions,omitempty"`   // ISO 3166-1 "US" or ISO 3166-2 "US-NY"
	Area         string            `json:"area,omitempty"`      // free-text service area, e.g. "New York City"
	Local        bool              `json:"local,omitempty"`
	Address      string            `json:"address,omitempty"`
	Point        *tipline.Location `json:"point,omitempty"`
	Verified     bool              `json:"verified"`
	Hidden       bool              `json:"hidden,omitempty"` // staff took the whole record off for users
	HiddenFields []string          `json:"hidden_fields,omitempty"`
	Source       string            `json:"source,omitempty"`
	MoreSources  []string          `json:"more_sources,omitempty"`
	Notes        string            `json:"notes,omitempty"` // staff only
	CheckedOn    string            `json:"checked_on,omitempty"`
	VerifiedBy   string            `json:"verified_by,omitempty"`
	VerifiedAt   time.Time         `json:"verified_at,omitzero"`
}

// Field names accepted by Shown and listed in HiddenFields.
const (
	FieldName         = "name"
	FieldOrganization = "organization"
	FieldDescription  = "description"
	FieldPhone        = "phone"
	FieldSMS          = "sms" // number and keyword
	FieldSMSNumber    = "sms_number"
	FieldSMSKeyword   = "sms_keyword"
	FieldTTY          = "tty"
	FieldWhatsApp     = "whatsapp"
	FieldChatURL      = "chat_url"
	FieldURL          = "url"
	FieldHours        = "hours"
	FieldLanguages    = "languages"
	FieldArea         = "area"
	FieldAddress      = "address"
	FieldPoint        = "point"
)

// HideableFields lists every field name a record may hide.
var HideableFields = []string{
	FieldOrganization, FieldDescription, FieldPhone, FieldSMS, FieldSMSNumber,
	FieldSMSKeyword, FieldTTY, FieldWhatsApp, FieldChatURL, FieldURL, FieldHours,
	FieldLanguages, FieldArea, FieldAddress, FieldPoint,
}

// parentField maps a field to the wider field that hides it too.
var parentField = map[string]string{
	FieldSMSNumber:  FieldSMS,
	FieldSMSKeyword: FieldSMS,
	"phone_e164":    FieldPhone,
}

// Shown reports whether field may be shown to users: the record is verified
// and not hidden, and neither the field nor the wider field it belongs to
// is hidden.
func (r Resource) Shown(field string) bool {
	if !r.Verified || r.Hidden {
		return false
	}
	for _, h := range r.HiddenFields {
		if h == field || h == parentField[field] {
			return false
		}
	}
	return true
}

// Public returns a copy of r with every hidden field and the staff-only
// fields (Notes, VerifiedBy) blanked. Slices and maps are copied, so the
// caller cannot alter r through the copy.
func (r Resource) Public() Resource {
	p := r.clone()
	blank := func(field string, clear func()) {
		if !p.Shown(field) {
			clear()
		}
	}
	blank(FieldOrganization, func() { p.Organization = "" })
	blank(FieldDescription, func() { p.Description = nil })
	blank(FieldPhone, func() { p.Phone, p.PhoneE164 = "", "" })
	blank(FieldSMSNumber, func() { p.SMSNumber = "" })
	blank(FieldSMSKeyword, func() { p.SMSKeyword = "" })
	blank(FieldTTY, func() { p.TTY = "" })
	blank(FieldWhatsApp, func() { p.WhatsApp = "" })
	blank(FieldChatURL, func() { p.ChatURL = "" })
	blank(FieldURL, func() { p.URL = "" })
	blank(FieldHours, func() { p.Hours, p.Schedule = "", nil })
	blank(FieldLanguages, func() { p.Languages = nil })
	blank(FieldArea, func() { p.Area = "" })
	blank(FieldAddress, func() { p.Address = "" })
	blank(FieldPoint, func() { p.Point = nil })
	p.Notes, p.VerifiedBy = "", "" // staff only
	return p
}

// StaleAfter is how long a checked fact stays fresh; older ones are
// flagged to staff (docs/design.md section 4).
const StaleAfter = 180 * 24 * time.Hour

// Stale reports whether r's facts were last checked or verified more than
// StaleAfter before now (or never).
func (r Resource) Stale(now time.Time) bool {
	last := r.VerifiedAt
	if d, err := time.Parse(time.DateOnly, r.CheckedOn); err == nil && d.After(last) {
		last = d
	}
	return last.IsZero() || now.Sub(last) > StaleAfter
}

// clone returns a deep copy of r.
func (r Resource) clone() Resource {
	c := r
	if r.Description != nil {
		c.Description = make(map[string]string, len(r.Description))
		for k, v := range r.Description {
			c.Description[k] = v
		}
	}
	c.Categories = cloneStrings(r.Categories)
	c.Languages = cloneStrings(r.Languages)
	c.Regions = cloneStrings(r.Regions)
	c.HiddenFields = cloneStrings(r.HiddenFields)
	c.MoreSources = cloneStrings(r.MoreSources)
	if r.Schedule != nil {
		c.Schedule = append([]Opening(nil), r.Schedule...)
	}
	if r.Point != nil {
		pt := *r.Point
		c.Point = &pt
	}
	return c
}

func cloneStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string(nil), s...)
}

// HasCategory reports whether r has any of cats; true when cats is empty.
func (r Resource) HasCategory(cats ...string) bool {
	if len(cats) == 0 {
		return true
	}
	for _, c := range cats {
		for _, rc := range r.Categories {
			if rc == c {
				return true
			}
		}
	}
	return false
}

// Serves reports whether r lists region (an ISO 3166-1 or 3166-2 code).
func (r Resource) Serves(region string) bool {
	for _, g := range r.Regions {
		if strings.EqualFold(g, region) {
			return true
		}
	}
	return false
}

// ContactFields are the contact fields a staff change may set; such a
// change needs a second staff member's verification (docs/design.md rule 13).
var ContactFields = []string{"phone", "phone_e164", "sms_number", "sms_keyword", "tty", "whatsapp", "chat_url", "url"}

// SetContact sets one of ContactFields on r.
func (r *Resource) SetContact(field, value string) error {
	ptr := map[string]*string{
		"phone": &r.Phone, "phone_e164": &r.PhoneE164, "sms_number": &r.SMSNumber,
		"sms_keyword": &r.SMSKeyword, "tty": &r.TTY, "whatsapp": &r.WhatsApp,
		"chat_url": &r.ChatURL, "url": &r.URL,
	}[field]
	if ptr == nil {
		return fmt.Errorf("%q is not a contact field", field)
	}
	*ptr = value
	return nil
}

// Unhide returns hidden without the fields just verified. A wider hidden
// field ("sms") whose parts were only partly verified is replaced by the
// parts still unverified ("sms_keyword").
func Unhide(hidden []string, verified ...string) []string {
	done := map[string]bool{}
	for _, f := range verified {
		if p, ok := parentField[f]; ok && f == "phone_e164" {
			f = p
		}
		done[f] = true
	}
	var out []string
	for _, h := range hidden {
		switch {
		case done[h]:
		case h == FieldSMS && (done[FieldSMSNumber] || done[FieldSMSKeyword]):
			for _, part := range []string{FieldSMSNumber, FieldSMSKeyword} {
				if !done[part] {
					out = append(out, part)
				}
			}
		default:
			out = append(out, h)
		}
	}
	return out
}
