package staff

import (
	"tipline/store"
)

// resourceEdit saves a resource's descriptive fields. Contact details go
// through resourceContacts and a second person.
func (db *Dashboard) resourceEdit(c *reqCtx) error {
	id := c.r.PathValue("id")
	e := store.ResourceEdit{ID: id, Name: c.r.PostFormValue("name"), Organization: c.r.PostFormValue("organization"),
		Hours: c.r.PostFormValue("hours"), Notes: c.r.PostFormValue("notes"), Description: map[string]string{}}
	for _, lang := range cannedLangs {
		e.Description[lang] = c.r.PostFormValue("description_" + lang)
	}
	if err := db.store.UpdateResource(c.ctx(), c.actor(), e); err != nil {
		return err
	}
	return c.redirect("/staff/resources/" + id + "?done=saved")
}
