package staff

import (
	"strconv"
	"strings"
	"time"

	"tipline"
	"tipline/store"
)

// caseFromForm reads the editable fields of a case from a posted form.
func (db *Dashboard) caseFromForm(c *reqCtx) (store.Case, error) {
	f := func(k string) string { return strings.TrimSpace(c.r.PostFormValue(k)) }
	cs := store.Case{Number: f("number"), DisplayName: f("name"), Sex: f("sex"), Description: f("description"),
		LastSeenPlace: f("last_seen_place")}
	if s := f("age"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return cs, tipline.Errorf(tipline.EInvalid, "age must be a number")
		}
		cs.Age = &n
	}
	if s := f("last_seen_at"); s != "" {
		t, err := time.ParseInLocation("2006-01-02T15:04", s, db.d.Location)
		if err != nil {
			return cs, tipline.Errorf(tipline.EInvalid, "last seen must be a date and time")
		}
		cs.LastSeenAt = &t
	}
	if len(cs.Description) > 5000 || len(cs.DisplayName) > 200 || len(cs.LastSeenPlace) > 500 || len(cs.Sex) > 40 {
		return cs, tipline.Errorf(tipline.EInvalid, "a field is too long")
	}
	return cs, store.ValidateCase(cs)
}

// caseURL is a case's page with a flash message key.
func caseURL(id int64, done string) string {
	return "/staff/cases/" + idString(id) + "?done=" + done
}
