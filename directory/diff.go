package directory

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// FieldChange is one field that differs between two versions of a record,
// each side written as staff read it.
type FieldChange struct {
	Field string
	Old   string
	New   string
}

// diffFields are the fields users can see, and those that decide what
// they see, in the order a reviewer reads them.
var diffFields = []struct {
	name string
	text func(Resource) string
}{
	{"name", func(r Resource) string { return r.Name }},
	{"organization", func(r Resource) string { return r.Organization }},
	{"description", func(r Resource) string { return joinMap(r.Description) }},
	{"categories", func(r Resource) string { return strings.Join(r.Categories, ", ") }},
	{"phone", func(r Resource) string { return joinNonEmpty(r.Phone, r.PhoneE164) }},
	{"sms", func(r Resource) string { return joinNonEmpty(r.SMSNumber, r.SMSKeyword) }},
	{"tty", func(r Resource) string { return r.TTY }},
	{"whatsapp", func(r Resource) string { return r.WhatsApp }},
	{"chat_url", func(r Resource) string { return r.ChatURL }},
	{"url", func(r Resource) string { return r.URL }},
	{"hours", func(r Resource) string { return r.Hours }},
	{"schedule", func(r Resource) string { return ScheduleText(r.Schedule) }},
	{"ages", func(r Resource) string { return AgesText(r.AgesMin, r.AgesMax) }},
	{"eligibility", func(r Resource) string { return r.Eligibility }},
	{"languages", func(r Resource) string { return strings.Join(r.Languages, ", ") }},
	{"regions", func(r Resource) string { return strings.Join(r.Regions, ", ") }},
	{"area", func(r Resource) string { return r.Area }},
	{"local", func(r Resource) string { return yesNo(r.Local) }},
	{"address", func(r Resource) string { return r.Address }},
	{"point", func(r Resource) string { return pointText(r) }},
	{"hidden", func(r Resource) string { return yesNo(r.Hidden) }},
	{"hidden_fields", func(r Resource) string { return strings.Join(r.HiddenFields, ", ") }},
	{"source", func(r Resource) string { return r.Source }},
}

// Diff lists the fields that differ from old to new, verification and
// staff notes aside. Compare a record with nothing (Resource{}) to list
// all of a new one's fields.
func Diff(old, new Resource) []FieldChange {
	var out []FieldChange
	for _, f := range diffFields {
		if a, b := f.text(old), f.text(new); a != b {
			out = append(out, FieldChange{Field: f.name, Old: a, New: b})
		}
	}
	return out
}

// Merge returns up, a record as its source now has it, with what staff
// keep about cur, the same record in the directory: its id, staff notes,
// the fields staff hid, whether staff hid it, descriptions in other
// languages, and its categories (Tipline's own notion: a source's are only
// a first guess for a new record).
func Merge(cur, up Resource) Resource {
	m := up.clone()
	m.ID, m.Notes, m.Hidden = cur.ID, cur.Notes, cur.Hidden
	m.HiddenFields = cloneStrings(cur.HiddenFields)
	if len(cur.Categories) > 0 {
		m.Categories = cloneStrings(cur.Categories)
	}
	for lang, text := range cur.Description {
		if _, ok := m.Description[lang]; !ok {
			if m.Description == nil {
				m.Description = map[string]string{}
			}
			m.Description[lang] = text
		}
	}
	m.Verified, m.VerifiedBy, m.VerifiedAt, m.CheckedOn = cur.Verified, cur.VerifiedBy, cur.VerifiedAt, cur.CheckedOn
	return m
}

// Same reports whether a and b differ in no field Diff compares.
func Same(a, b Resource) bool { return len(Diff(a, b)) == 0 }

// ScheduleText writes openings as staff write them (ParseSchedule reads
// it back): "MO-FR 09:00-17:00; SA,SU 10:00-14:00", "daily 00:00-24:00".
func ScheduleText(os []Opening) string {
	parts := make([]string, 0, len(os))
	for _, o := range os {
		parts = append(parts, daysText(o.Days)+" "+o.Opens+"-"+o.Closes)
	}
	return strings.Join(parts, "; ")
}

// weekOrder is Monday first, as people write a week.
var weekOrder = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// daysText writes days as "daily", a range "MO-FR" when they are three or
// more days in a row of the week, else as listed.
func daysText(days []string) string {
	if len(days) == 7 && strings.Join(days, ",") == strings.Join(weekOrder, ",") {
		return "daily"
	}
	if len(days) >= 3 {
		start := slices.Index(weekOrder, days[0])
		run := start >= 0 && start+len(days) <= len(weekOrder)
		for i := 0; run && i < len(days); i++ {
			run = weekOrder[start+i] == days[i]
		}
		if run {
			return days[0] + "-" + days[len(days)-1]
		}
	}
	return strings.Join(days, ",")
}

// AgesText writes ages served: "12-17", "18+", "up to 24", or "" for all.
func AgesText(lo, hi int) string {
	switch {
	case lo == 0 && hi == 0:
		return ""
	case hi == 0:
		return fmt.Sprintf("%d+", lo)
	case lo == 0:
		return fmt.Sprintf("up to %d", hi)
	}
	return fmt.Sprintf("%d-%d", lo, hi)
}

func joinMap(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		parts = append(parts, k+": "+m[k])
	}
	return strings.Join(parts, " | ")
}

func joinNonEmpty(a, b string) string {
	if b == "" || b == a {
		return a
	}
	return a + " (" + b + ")"
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func pointText(r Resource) string {
	if r.Point == nil {
		return ""
	}
	return fmt.Sprintf("%.5f, %.5f", r.Point.Lat, r.Point.Lon)
}
