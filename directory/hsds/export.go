package hsds

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"tipline/directory"
)

// languageNames are the English names of the languages Tipline speaks.
var languageNames = map[string]string{"en": "English", "es": "Spanish", "fr": "French"}

// FromResource returns r as an HSDS service. Every field Tipline models is
// carried, so ToResource(FromResource(r)) == r.
func FromResource(r directory.Resource) Service {
	sid := nameUUID("service", r.ID)
	s := Service{ID: sid, Name: r.Name, Description: r.Description["en"], URL: r.URL, Status: "active"}
	if r.Organization != "" {
		s.Organization = &Organization{ID: nameUUID("organization", r.Organization), Name: r.Organization, Description: r.Organization}
		s.OrganizationID = s.Organization.ID
	}
	if !r.VerifiedAt.IsZero() {
		s.AssuredDate = r.VerifiedAt.UTC().Format(time.DateOnly)
		if strings.Contains(r.VerifiedBy, "@") {
			s.AssurerEmail = r.VerifiedBy
		}
	}
	s.Phones = exportPhones(sid, r)
	s.Schedules = exportSchedules(sid, r.Hours, r.Schedule)
	s.Eligibility = r.Eligibility
	s.MinimumAge, s.MaximumAge = ageNumber(r.AgesMin), ageNumber(r.AgesMax)
	for _, g := range r.Regions {
		s.ServiceAreas = append(s.ServiceAreas, ServiceArea{ID: nameUUID(sid, "area", g), ServiceID: sid, Name: g})
	}
	if r.Area != "" {
		s.ServiceAreas = append(s.ServiceAreas, ServiceArea{ID: nameUUID(sid, "area-text"), ServiceID: sid, Name: r.Area, ExtentType: "text"})
	}
	for _, l := range r.Languages {
		s.Languages = append(s.Languages, Language{ID: nameUUID(sid, "lang", l), ServiceID: sid, Code: l, Name: languageNames[l]})
	}
	s.ServiceAtLocations = exportLocations(sid, r)
	s.Attributes = exportAttributes(sid, r)
	return s
}

func exportPhones(sid string, r directory.Resource) []Phone {
	var out []Phone
	add := func(kind, number, typ, desc string) {
		out = append(out, Phone{ID: nameUUID(sid, "phone", kind), ServiceID: sid, Number: number, Type: typ, Description: desc})
	}
	if r.Phone != "" {
		number := r.PhoneE164
		if number == "" {
			number = r.Phone
		}
		add("voice", number, "voice", r.Phone)
	}
	if r.SMSNumber != "" {
		desc := "SMS"
		if r.SMSKeyword != "" {
			desc = "SMS keyword: " + r.SMSKeyword
		}
		add("sms", r.SMSNumber, "text", desc)
	}
	if r.TTY != "" {
		add("tty", dialable(r.TTY), "textphone", r.TTY)
	}
	if r.WhatsApp != "" {
		add("whatsapp", r.WhatsApp, "text", "WhatsApp")
	}
	return out
}

// dialable returns the digits of a display like "711 (Telecommunications
// Relay Service)", or s itself when it has none.
func dialable(s string) string {
	if d := directory.Digits(s); d != "" {
		return d
	}
	return s
}

// exportSchedules writes Tipline's free-text hours as the first
// schedule's description and each weekly opening as a WEEKLY rule.
func exportSchedules(sid, hours string, openings []directory.Opening) []Schedule {
	var out []Schedule
	for i, o := range openings {
		closes := o.Closes
		if closes == "24:00" {
			closes = "23:59"
		}
		out = append(out, Schedule{ID: nameUUID(sid, "hours", strconv.Itoa(i)), ServiceID: sid, Freq: "WEEKLY",
			Byday: strings.Join(o.Days, ","), OpensAt: o.Opens, ClosesAt: closes})
	}
	if hours == "" {
		return out
	}
	if len(out) == 0 {
		return []Schedule{{ID: nameUUID(sid, "hours"), ServiceID: sid, Description: hours}}
	}
	out[0].Description = hours
	return out
}

func exportLocations(sid string, r directory.Resource) []ServiceAtLocation {
	var out []ServiceAtLocation
	if r.ChatURL != "" {
		loc := &Location{ID: nameUUID(sid, "chat"), LocationType: "virtual", URL: r.ChatURL, Name: "Chat"}
		out = append(out, ServiceAtLocation{ID: nameUUID(sid, "sal-chat"), ServiceID: sid, LocationID: loc.ID, Location: loc})
	}
	if r.Address != "" || r.Point != nil {
		loc := &Location{ID: nameUUID(sid, "place"), LocationType: "physical", Name: r.Name}
		if r.Point != nil {
			lat, lon := r.Point.Lat, r.Point.Lon
			loc.Latitude, loc.Longitude = &lat, &lon
		}
		if r.Address != "" {
			loc.Addresses = []Address{{ID: nameUUID(sid, "address"), LocationID: loc.ID, Address1: r.Address, AddressType: "physical"}}
		}
		out = append(out, ServiceAtLocation{ID: nameUUID(sid, "sal-place"), ServiceID: sid, LocationID: loc.ID, Location: loc})
	}
	return out
}

// exportAttributes carries categories and the facts HSDS has no field for.
func exportAttributes(sid string, r directory.Resource) []Attribute {
	var out []Attribute
	add := func(taxonomy, code, value string) {
		term := termFor(taxonomy, code)
		out = append(out, Attribute{ID: nameUUID(sid, "attr", taxonomy, code, value), LinkID: sid,
			TaxonomyTermID: term.ID, LinkType: "service", LinkEntity: "service", Value: value, TaxonomyTerm: &term})
	}
	for _, c := range r.Categories {
		add(TaxonomyCategories, c, "")
	}
	add(TaxonomyFields, "id", r.ID)
	for _, f := range fieldValues(r) {
		add(TaxonomyFields, f[0], f[1])
	}
	return out
}

// fieldValues lists the Tipline-only facts of r as (code, value) pairs.
func fieldValues(r directory.Resource) [][2]string {
	var out [][2]string
	add := func(code, value string) {
		if value != "" {
			out = append(out, [2]string{code, value})
		}
	}
	add("verified", strconv.FormatBool(r.Verified))
	if r.Hidden {
		add("hidden", "true")
	}
	if r.Local {
		add("local", "true")
	}
	for _, h := range r.HiddenFields {
		add("hidden_field", h)
	}
	add("source", r.Source)
	for _, m := range r.MoreSources {
		add("more_source", m)
	}
	add("notes", r.Notes)
	add("checked_on", r.CheckedOn)
	add("verified_by", r.VerifiedBy)
	if !r.VerifiedAt.IsZero() {
		add("verified_at", r.VerifiedAt.UTC().Format(time.RFC3339Nano))
	}
	langs := make([]string, 0, len(r.Description))
	for l := range r.Description {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	for _, l := range langs {
		if l != "en" || r.Description["en"] == "" {
			add("description:"+l, r.Description[l])
		}
	}
	return out
}

// termFor returns the taxonomy term of one of Tipline's taxonomies.
func termFor(taxonomy, code string) TaxonomyTerm {
	return TaxonomyTerm{ID: nameUUID("term", taxonomy, code), Code: code, Name: code,
		Description: taxonomy + " " + code, Taxonomy: taxonomy, TaxonomyID: nameUUID("taxonomy", taxonomy)}
}
