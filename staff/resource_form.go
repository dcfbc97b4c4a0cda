package staff

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"tipline"
	"tipline/directory"
)

func init() {
	flashes["rejected"] = "Change rejected: users never saw it."
	flashes["staged"] = "Import proposed: a second staff member must verify the changes."
	flashes["retired"] = "Retired: no longer shown to users."
}

// resourceForm is what the add and edit form shows: the record's fields
// as text.
type resourceForm struct {
	New      bool
	Action   string
	R        directory.Resource
	Schedule string
	Place    string // ZIP, postal code or "lat, lon"
	Pending  bool   // the values shown are a proposal waiting
	// The lists, comma-separated.
	Categories, Languages, Regions string
}

// withText fills the form's text forms of f.R's schedule, point and lists.
func (f resourceForm) withText() resourceForm {
	f.Schedule = directory.ScheduleText(f.R.Schedule)
	if pt := f.R.Point; pt != nil {
		f.Place = strconv.FormatFloat(pt.Lat, 'f', -1, 64) + ", " + strconv.FormatFloat(pt.Lon, 'f', -1, 64)
	}
	f.Categories = strings.Join(f.R.Categories, ", ")
	f.Languages = strings.Join(f.R.Languages, ", ")
	f.Regions = strings.Join(f.R.Regions, ", ")
	return f
}

// resourceNew shows the form for a new organisation, service or place.
func (db *Dashboard) resourceNew(c *reqCtx) error {
	f := resourceForm{New: true, Action: "/staff/resources/new", R: directory.Resource{Regions: []string{"US"}}}.withText()
	c.render(http.StatusOK, "resource_form", "New resource", map[string]any{"F": f, "Langs": cannedLangs})
	return nil
}

// resourceEditForm shows a record's form, with the proposal waiting for
// it when there is one (a new proposal replaces it).
func (db *Dashboard) resourceEditForm(c *reqCtx) error {
	id := c.r.PathValue("id")
	r, err := db.store.Resource(c.ctx(), id)
	if err != nil {
		return err
	}
	f := resourceForm{Action: "/staff/resources/" + id, R: r}
	if p, err := db.store.Proposal(c.ctx(), id); err == nil {
		f.R, f.Pending = p.Record, true
	}
	f = f.withText()
	c.render(http.StatusOK, "resource_form", "Edit "+r.Name, map[string]any{"F": f, "Langs": cannedLangs})
	return nil
}

// resourceCreate proposes a new record; nobody sees it until a second
// staff member verifies it.
func (db *Dashboard) resourceCreate(c *reqCtx) error {
	r, err := recordFromForm(c, directory.Resource{})
	if err != nil {
		return err
	}
	if r.ID == "" {
		r.ID = newResourceID(r.Name)
	}
	if _, err := db.store.Resource(c.ctx(), r.ID); err == nil {
		return tipline.Errorf(tipline.EConflict, "a resource with id %s exists already", r.ID)
	}
	if err := db.store.ProposeResource(c.ctx(), c.actor(), r); err != nil {
		return err
	}
	return c.redirect("/staff/resources/changes?done=proposed")
}

// resourceEdit proposes a new version of a record: users keep seeing the
// verified one until a second staff member verifies the change. Fields
// the form does not carry keep their values.
func (db *Dashboard) resourceEdit(c *reqCtx) error {
	id := c.r.PathValue("id")
	cur, err := db.store.Resource(c.ctx(), id)
	if err != nil {
		return err
	}
	if p, err := db.store.Proposal(c.ctx(), id); err == nil {
		cur = p.Record
	}
	r, err := recordFromForm(c, cur)
	if err != nil {
		return err
	}
	r.ID = id
	if err := db.store.ProposeResource(c.ctx(), c.actor(), r); err != nil {
		return err
	}
	return c.redirect("/staff/resources/" + id + "?done=proposed")
}

// slugJunk is what an id made from a name may not hold.
var slugJunk = regexp.MustCompile(`[^a-z0-9]+`)

// newResourceID makes an id from a name and a random suffix.
func newResourceID(name string) string {
	slug := strings.Trim(slugJunk.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(slug) > 40 {
		slug = strings.Trim(slug[:40], "-")
	}
	if slug == "" {
		slug = "resource"
	}
	var b [3]byte
	_, _ = rand.Read(b[:])
	return slug + "-" + hex.EncodeToString(b[:])
}

// recordFromForm applies the posted fields to base; a field the form
// does not carry keeps base's value.
func recordFromForm(c *reqCtx, base directory.Resource) (directory.Resource, error) {
	r := base
	form := c.r.PostForm
	str := func(name string, into *string) {
		if _, ok := form[name]; ok {
			*into = strings.TrimSpace(form.Get(name))
		}
	}
	list := func(name string, into *[]string, lower bool) {
		if _, ok := form[name]; ok {
			*into = splitList(form.Get(name), lower)
		}
	}
	str("id", &r.ID)
	r.ID = strings.ToLower(r.ID)
	for name, into := range map[string]*string{"name": &r.Name, "organization": &r.Organization, "phone": &r.Phone,
		"phone_e164": &r.PhoneE164, "sms_number": &r.SMSNumber, "sms_keyword": &r.SMSKeyword, "tty": &r.TTY,
		"whatsapp": &r.WhatsApp, "chat_url": &r.ChatURL, "url": &r.URL, "hours": &r.Hours, "area": &r.Area,
		"address": &r.Address, "eligibility": &r.Eligibility, "source": &r.Source, "notes": &r.Notes} {
		str(name, into)
	}
	list("categories", &r.Categories, true)
	list("languages", &r.Languages, true)
	list("regions", &r.Regions, false)
	formDescriptions(form, &r)
	if err := formServed(form, &r); err != nil {
		return r, err
	}
	if _, ok := form["local_set"]; ok {
		r.Local = form.Get("local") == "1"
	}
	if err := formPlace(form.Get("place"), form.Has("place"), &r); err != nil {
		return r, err
	}
	if _, given := form["phone_e164"]; (!given && form.Has("phone")) || r.PhoneE164 == "" {
		r.PhoneE164 = e164Guess(r.Phone)
	}
	return r, nil
}

// formDescriptions reads the description in each language; an empty one
// is removed.
func formDescriptions(form map[string][]string, r *directory.Resource) {
	for _, lang := range cannedLangs {
		v, ok := form["description_"+lang]
		if !ok || len(v) == 0 {
			continue
		}
		if r.Description == nil {
			r.Description = map[string]string{}
		} else {
			r.Description = cloneMap(r.Description)
		}
		if t := strings.TrimSpace(v[0]); t != "" {
			r.Description[lang] = t
		} else {
			delete(r.Description, lang)
		}
	}
}

func cloneMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// formServed reads ages served and the weekly schedule.
func formServed(form map[string][]string, r *directory.Resource) error {
	for name, into := range map[string]*int{"ages_min": &r.AgesMin, "ages_max": &r.AgesMax} {
		v, ok := form[name]
		if !ok || len(v) == 0 {
			continue
		}
		s := strings.TrimSpace(v[0])
		if s == "" {
			*into = 0
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return tipline.Errorf(tipline.EInvalid, "%s: a whole number of years", strings.ReplaceAll(name, "_", " "))
		}
		*into = n
	}
	if v, ok := form["schedule"]; ok && len(v) > 0 {
		s, err := directory.ParseSchedule(v[0])
		if err != nil {
			return tipline.Errorf(tipline.EInvalid, "schedule: %v", err)
		}
		r.Schedule = s
	}
	return nil
}

// formPlace sets the point from "lat, lon" or a ZIP or postal code (its
// centroid), and adds the place's region when the record names none of it.
func formPlace(text string, given bool, r *directory.Resource) error {
	text = strings.TrimSpace(text)
	if !given {
		return nil
	}
	if text == "" {
		r.Point = nil
		return nil
	}
	if lat, lon, ok := strings.Cut(text, ","); ok {
		la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		if err1 == nil && err2 == nil {
			r.Point = &tipline.Location{Lat: la, Lon: lo}
			return nil
		}
	}
	p, ok := directory.Geocode(text)
	if !ok || (p.Point == tipline.Location{}) {
		return tipline.Errorf(tipline.EInvalid, "place %q: give a ZIP or postal code, or \"lat, lon\"", text)
	}
	pt := p.Point
	r.Point = &pt
	if p.Region != "" && !r.Serves(p.Region) && !r.Serves(p.Country) {
		r.Regions = append(r.Regions, p.Region)
	}
	return nil
}

// e164Guess writes a North American display number as E.164.
func e164Guess(phone string) string {
	if _, d := directory.SplitVanity(phone); d != "" {
		phone = d
	}
	d := directory.Digits(phone)
	switch {
	case len(d) == 10:
		return "+1" + d
	case len(d) == 11 && d[0] == '1':
		return "+" + d
	}
	return ""
}

func splitList(s string, lower bool) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
		if lower {
			p = strings.ToLower(p)
		} else {
			p = strings.ToUpper(p)
		}
		out = append(out, p)
	}
	return out
}

// resourceRetire takes a record off for users now (no second person is
// needed to show less) and drops any proposal for it.
func (db *Dashboard) resourceRetire(c *reqCtx) error {
	id := c.r.PathValue("id")
	if err := db.store.RetireResource(c.ctx(), c.actor(), id); err != nil {
		return err
	}
	return c.redirect(fmt.Sprintf("/staff/resources/%s?done=retired", id))
}
