// Package seedgen turns the verified resource list (its committed copy is
// testdata/verified.json) into Tipline's seed format. It is used by
// directory/cmd/genseed and by the tests that keep the committed seed in
// step with the verified list.
package seedgen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"tipline/directory"
)

// sharedSMS is the "sms" object of the shared file.
type sharedSMS struct {
	Number  *string `json:"number"`
	Keyword *string `json:"keyword"`
	Notes   *string `json:"notes"`
}

// sharedRecord is one record of the shared file, every key it uses.
type sharedRecord struct {
	ID                string     `json:"id"`
	Name              string     `json:"name"`
	Organization      *string    `json:"organization"`
	Description       *string    `json:"description"`
	DescriptionES     *string    `json:"description_es"`
	DescriptionFR     *string    `json:"description_fr"`
	Categories        []string   `json:"categories"`
	Phone             *string    `json:"phone"`
	PhoneE164         *string    `json:"phone_e164"`
	SMS               *sharedSMS `json:"sms"`
	TTY               *string    `json:"tty"`
	WhatsApp          *string    `json:"whatsapp"`
	ChatURL           *string    `json:"chat_url"`
	URL               *string    `json:"url"`
	Hours             *string    `json:"hours"`
	Languages         []string   `json:"languages"`
	LanguagesNotes    *string    `json:"languages_notes"`
	Regions           []string   `json:"regions"`
	Source            string     `json:"source"`
	SourcesAdditional []string   `json:"sources_additional"`
	Verified          bool       `json:"verified"`
	UnverifiedFields  []string   `json:"unverified_fields"`
	Notes             *string    `json:"notes"`
	HiddenFields      []string   `json:"hidden_fields"`
	CheckedOn         string     `json:"checked_on"`
}

// unverifiedToFields maps each unverified_fields entry of the shared file
// (its text before any " (") to the fields it makes hidden. An entry that
// names nothing Tipline models maps to no field. An entry missing here
// stops the generator: a person must decide what it hides.
var unverifiedToFields = map[string][]string{
	"sms":                        {directory.FieldSMS},
	"sms number":                 {directory.FieldSMS},
	"text and chat numbers":      {directory.FieldSMS, directory.FieldChatURL},
	"chat_url":                   {directory.FieldChatURL},
	"url":                        {directory.FieldURL},
	"phone":                      {directory.FieldPhone},
	"whatsapp":                   {directory.FieldWhatsApp},
	"WhatsApp/web chat channels": {directory.FieldWhatsApp, directory.FieldChatURL},
	"TTY access":                 {directory.FieldTTY},
	"TTY number":                 {directory.FieldTTY},
	"languages":                  {directory.FieldLanguages},
	"text/chat languages":        {directory.FieldLanguages},
	"hours":                      {directory.FieldHours},
	"address":                    {directory.FieldAddress, directory.FieldPoint},
	"organization":               {directory.FieldOrganization},
	"email":                      nil, // not modelled
	"ages served":                nil, // not modelled
	"city list":                  nil, // not modelled
	// mx-911's description names 089, whose details are unverified: a
	// number users would see in no shown contact field. Hide the text.
	"089 details":                      {directory.FieldDescription},
	"reachability from outside Mexico": nil,
}

var isoRegion = regexp.MustCompile(`^[A-Z]{2}(-[A-Z0-9]{1,3})?$`)

// Convert reads the shared file and returns the seed records, validated.
func Convert(shared []byte) ([]directory.Resource, error) {
	dec := json.NewDecoder(bytes.NewReader(shared))
	dec.DisallowUnknownFields()
	var recs []sharedRecord
	if err := dec.Decode(&recs); err != nil {
		return nil, fmt.Errorf("read shared resources: %w", err)
	}
	out := make([]directory.Resource, 0, len(recs))
	for _, s := range recs {
		r, err := convertOne(s)
		if err != nil {
			return nil, fmt.Errorf("shared record %s: %w", s.ID, err)
		}
		out = append(out, r)
	}
	if err := directory.ValidateAll(out); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	return out, nil
}

func convertOne(s sharedRecord) (directory.Resource, error) {
	r := directory.Resource{
		ID: s.ID, Name: s.Name, Organization: str(s.Organization),
		Categories: s.Categories, Phone: directory.DisplayPhone(str(s.Phone)), PhoneE164: str(s.PhoneE164),
		TTY: str(s.TTY), WhatsApp: str(s.WhatsApp), ChatURL: str(s.ChatURL), URL: str(s.URL),
		Hours: str(s.Hours), Languages: s.Languages, Verified: s.Verified,
		Source: s.Source, MoreSources: s.SourcesAdditional, CheckedOn: s.CheckedOn,
	}
	r.Description = descriptions(s)
	if s.SMS != nil {
		r.SMSNumber, r.SMSKeyword = str(s.SMS.Number), str(s.SMS.Keyword)
	}
	var areas []string
	for _, g := range s.Regions {
		if isoRegion.MatchString(g) {
			r.Regions = append(r.Regions, g)
		} else {
			areas = append(areas, g)
		}
	}
	r.Area = strings.Join(areas, "; ")
	r.Notes = notes(s)
	hidden, err := hiddenFields(s)
	if err != nil {
		return r, err
	}
	r.HiddenFields = hidden
	return r, nil
}

func descriptions(s sharedRecord) map[string]string {
	d := map[string]string{}
	for lang, v := range map[string]*string{"en": s.Description, "es": s.DescriptionES, "fr": s.DescriptionFR} {
		if v != nil && strings.TrimSpace(*v) != "" {
			d[lang] = *v
		}
	}
	if len(d) == 0 {
		return nil
	}
	return d
}

// notes gathers the staff-only notes: the record's, the SMS and the
// languages notes, each on its own labelled line.
func notes(s sharedRecord) string {
	var lines []string
	if s.Notes != nil {
		lines = append(lines, *s.Notes)
	}
	if s.SMS != nil && s.SMS.Notes != nil {
		lines = append(lines, "SMS: "+*s.SMS.Notes)
	}
	if s.LanguagesNotes != nil {
		lines = append(lines, "Languages: "+*s.LanguagesNotes)
	}
	if len(s.UnverifiedFields) > 0 {
		lines = append(lines, "Unverified: "+strings.Join(s.UnverifiedFields, "; "))
	}
	return strings.Join(lines, "\n")
}

// hiddenFields is the union of hidden_fields and the fields named by
// unverified_fields: where the two disagree, hiding wins.
func hiddenFields(s sharedRecord) ([]string, error) {
	set := map[string]bool{}
	for _, h := range s.HiddenFields {
		if !contains(directory.HideableFields, h) {
			return nil, fmt.Errorf("hidden field %q is not a Tipline field", h)
		}
		set[h] = true
	}
	for _, u := range s.UnverifiedFields {
		key := u
		if i := strings.Index(key, " ("); i >= 0 {
			key = key[:i]
		}
		fields, ok := unverifiedToFields[key]
		if !ok {
			return nil, fmt.Errorf("unverified field %q: add it to seedgen's table", u)
		}
		for _, f := range fields {
			set[f] = true
		}
	}
	out := make([]string, 0, len(set))
	for f := range set {
		out = append(out, f)
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
