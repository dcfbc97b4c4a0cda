package hsds

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"tipline"
	"tipline/directory"
)

var (
	keywordRe = regexp.MustCompile(`(?i)\bkeyword:\s*([A-Za-z0-9]+)\s*$`)
	regionRe  = regexp.MustCompile(`^[A-Z]{2}(-[A-Z0-9]{1,3})?$`)
	langRe    = regexp.MustCompile(`^[a-z]{2,3}$`)
)

// checkService enforces what HSDS 3.0 requires of the objects Tipline
// reads: ids, names, a valid status and location type, phone numbers.
func checkService(s Service) error {
	if strings.TrimSpace(s.ID) == "" {
		return fmt.Errorf("service without id")
	}
	if strings.TrimSpace(s.Name) == "" {
		return fmt.Errorf("service %s: name is required", s.ID)
	}
	if !statuses[s.Status] {
		return fmt.Errorf("service %s: status %q is not one of active, inactive, defunct, temporarily closed", s.ID, s.Status)
	}
	if o := s.Organization; o != nil && (o.ID == "" || o.Name == "") {
		return fmt.Errorf("service %s: organization needs id and name", s.ID)
	}
	for _, p := range s.Phones {
		if p.ID == "" || strings.TrimSpace(p.Number) == "" {
			return fmt.Errorf("service %s: phone needs id and number", s.ID)
		}
	}
	for _, sal := range s.ServiceAtLocations {
		if l := sal.Location; l != nil && !locationTypes[l.LocationType] {
			return fmt.Errorf("service %s: location_type %q is not physical, postal or virtual", s.ID, l.LocationType)
		}
	}
	return nil
}

// ToResource maps an HSDS service to a resource; what it could not keep
// is described in the warnings. A service without Tipline's attributes
// comes in unverified, with id "hsds-" + its UUID.
func ToResource(s Service) (directory.Resource, []string, error) {
	if err := checkService(s); err != nil {
		return directory.Resource{}, nil, err
	}
	r := directory.Resource{ID: "hsds-" + strings.ToLower(s.ID), Name: s.Name, URL: s.URL}
	var warn []string
	if s.Status != "active" {
		r.Hidden = true
		warn = append(warn, fmt.Sprintf("service %s is %s: imported hidden", s.ID, s.Status))
	}
	if s.Organization != nil {
		r.Organization = s.Organization.Name
	}
	if s.Description != "" {
		r.Description = map[string]string{"en": s.Description}
	}
	warn = append(warn, importPhones(&r, s.Phones)...)
	r.Schedule = importSchedule(s.Schedules)
	r.Hours = importHours(s.Schedules, len(r.Schedule) > 0)
	r.Eligibility = strings.TrimSpace(s.Eligibility)
	r.AgesMin, r.AgesMax = age(s.MinimumAge), age(s.MaximumAge)
	if r.AgesMax > 0 && r.AgesMin > r.AgesMax {
		warn = append(warn, fmt.Sprintf("service %s: minimum age above maximum age skipped", s.ID))
		r.AgesMin, r.AgesMax = 0, 0
	}
	importAreas(&r, s.ServiceAreas)
	for _, l := range s.Languages {
		if c := strings.ToLower(strings.TrimSpace(l.Code)); langRe.MatchString(c) {
			r.Languages = append(r.Languages, c)
		} else {
			warn = append(warn, fmt.Sprintf("service %s: language %q without an ISO code skipped", s.ID, l.Name))
		}
	}
	warn = append(warn, importLocations(&r, s.ServiceAtLocations, !ours(s.Attributes))...)
	if err := importAttributes(&r, s.Attributes); err != nil {
		return r, warn, fmt.Errorf("service %s: %w", s.ID, err)
	}
	if err := directory.Validate(r); err != nil {
		return r, warn, fmt.Errorf("service %s: %w", s.ID, err)
	}
	return r, warn, nil
}

// cleanNumber strips the quotes and spaces some exports wrap numbers in.
func cleanNumber(n string) string { return strings.Trim(strings.TrimSpace(n), `"'`) }

// display returns desc when it is a display form of number (same digits,
// or a vanity number spelling them), else number.
func display(number, desc string) string {
	desc = strings.TrimSpace(desc)
	if desc == "" {
		return number
	}
	nd, dd := directory.Digits(number), directory.Digits(desc)
	if v, d := directory.SplitVanity(desc); v != "" {
		dd = directory.Digits(d)
	}
	if dd != "" && (dd == nd || strings.HasSuffix(nd, dd) && len(nd)-len(dd) <= 3) {
		return desc
	}
	return number
}

func importPhones(r *directory.Resource, phones []Phone) []string {
	var warn []string
	set := func(field *string, value, kind string) {
		if *field != "" {
			warn = append(warn, fmt.Sprintf("extra %s number %q skipped", kind, value))
			return
		}
		*field = value
	}
	for _, p := range phones {
		n := cleanNumber(p.Number)
		switch {
		case p.Type == "textphone":
			set(&r.TTY, display(n, p.Description), "TTY")
		case p.Type == "text" && strings.EqualFold(strings.TrimSpace(p.Description), "whatsapp"):
			set(&r.WhatsApp, n, "WhatsApp")
		case p.Type == "text":
			if r.SMSNumber == "" {
				if m := keywordRe.FindStringSubmatch(p.Description); m != nil {
					r.SMSKeyword = m[1]
				}
			}
			set(&r.SMSNumber, n, "SMS")
		case p.Type == "" || p.Type == "voice" || p.Type == "cell":
			if r.Phone == "" {
				r.PhoneE164 = e164Of(n)
			}
			set(&r.Phone, directory.DisplayPhone(display(n, p.Description)), "voice")
		default:
			warn = append(warn, fmt.Sprintf("phone %q of type %q skipped", n, p.Type))
		}
	}
	return warn
}

// e164Of returns n as E.164 when it is written as one (a "+", then digits
// and separators).
func e164Of(n string) string {
	if !strings.HasPrefix(n, "+") || strings.IndexFunc(n, func(c rune) bool { return c >= 'A' && c <= 'z' }) >= 0 {
		return ""
	}
	if e := "+" + directory.Digits(n); directory.ValidE164(e) {
		return e
	}
	return ""
}

// importHours takes the first schedule's description, else (when no
// weekly rule was read) its rule as text.
func importHours(ss []Schedule, ruled bool) string {
	for _, s := range ss {
		if d := strings.TrimSpace(s.Description); d != "" {
			return d
		}
		if !ruled && s.OpensAt != "" && s.ClosesAt != "" {
			return strings.TrimSpace(s.Byday + " " + s.OpensAt + "-" + s.ClosesAt)
		}
	}
	return ""
}

func importAreas(r *directory.Resource, areas []ServiceArea) {
	var text []string
	for _, a := range areas {
		name := strings.TrimSpace(a.Name)
		switch {
		case regionRe.MatchString(name):
			r.Regions = append(r.Regions, name)
		case name != "":
			text = append(text, name)
		}
	}
	r.Area = strings.Join(text, "; ")
}

// ours reports whether attrs carry Tipline's own facts (an export of ours).
func ours(attrs []Attribute) bool {
	for _, a := range attrs {
		if a.TaxonomyTerm != nil && a.TaxonomyTerm.Taxonomy == TaxonomyFields && a.TaxonomyTerm.Code == "id" {
			return true
		}
	}
	return false
}

// importLocations takes the first virtual location's URL as the chat URL
// and the first physical one as the address and point; a foreign service
// with a point is local (Tipline's own exports say so in an attribute).
func importLocations(r *directory.Resource, sals []ServiceAtLocation, foreign bool) []string {
	var warn []string
	for _, sal := range sals {
		l := sal.Location
		if l == nil {
			continue
		}
		switch {
		case l.LocationType == "virtual" && l.URL != "" && r.ChatURL == "":
			r.ChatURL = l.URL
		case l.LocationType == "physical" && r.Address == "" && r.Point == nil:
			r.Address = joinAddress(l.Addresses)
			if p, ok := point(l); ok {
				r.Point, r.Local = &p, foreign
			} else if l.Latitude != nil || l.Longitude != nil {
				warn = append(warn, fmt.Sprintf("location %s: coordinates out of range skipped", l.ID))
			}
		}
	}
	return warn
}

func point(l *Location) (tipline.Location, bool) {
	if l.Latitude == nil || l.Longitude == nil {
		return tipline.Location{}, false
	}
	lat, lon := *l.Latitude, *l.Longitude
	if math.Abs(lat) > 90 || math.Abs(lon) > 180 || (lat == 0 && lon == 0) {
		return tipline.Location{}, false
	}
	return tipline.Location{Lat: lat, Lon: lon}, true
}

func joinAddress(as []Address) string {
	if len(as) == 0 {
		return ""
	}
	a := as[0]
	var parts []string
	for _, p := range []string{a.Address1, a.Address2, a.City, strings.TrimSpace(a.StateProvince + " " + a.PostalCode), a.Country} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// importAttributes reads categories and Tipline's own facts. A service
// from elsewhere, without Tipline's categories, gets those its taxonomy
// terms name (categoriesFromTerms).
func importAttributes(r *directory.Resource, attrs []Attribute) error {
	var terms []string
	for _, a := range attrs {
		t := a.TaxonomyTerm
		if t == nil {
			continue
		}
		switch t.Taxonomy {
		case TaxonomyCategories:
			r.Categories = append(r.Categories, t.Code)
		case TaxonomyFields:
			if err := setField(r, t.Code, a.Value); err != nil {
				return err
			}
		default:
			terms = append(terms, t.Name)
		}
	}
	if len(r.Categories) == 0 {
		r.Categories = categoriesFromTerms(terms)
	}
	return nil
}

func setField(r *directory.Resource, code, v string) error {
	var err error
	switch {
	case code == "id":
		r.ID = v
	case code == "verified":
		r.Verified, err = strconv.ParseBool(v)
	case code == "hidden":
		r.Hidden, err = strconv.ParseBool(v)
	case code == "local":
		r.Local, err = strconv.ParseBool(v)
	case code == "hidden_field":
		r.HiddenFields = append(r.HiddenFields, v)
	case code == "source":
		r.Source = v
	case code == "more_source":
		r.MoreSources = append(r.MoreSources, v)
	case code == "notes":
		r.Notes = v
	case code == "checked_on":
		r.CheckedOn = v
	case code == "verified_by":
		r.VerifiedBy = v
	case code == "verified_at":
		r.VerifiedAt, err = time.Parse(time.RFC3339Nano, v)
	case strings.HasPrefix(code, "description:"):
		if r.Description == nil {
			r.Description = map[string]string{}
		}
		r.Description[strings.TrimPrefix(code, "description:")] = v
	}
	if err != nil {
		return fmt.Errorf("attribute %s: %w", code, err)
	}
	return nil
}
