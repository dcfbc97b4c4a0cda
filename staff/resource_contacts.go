package staff

import (
	"strings"

	"tipline"
	"tipline/directory"
	"tipline/store"
)

// resourceContacts proposes a change of contact details. Users keep seeing
// the old details until a second staff member verifies the change.
func (db *Dashboard) resourceContacts(c *reqCtx) error {
	id := c.r.PathValue("id")
	r, err := db.store.Resource(c.ctx(), id)
	if err != nil {
		return err
	}
	cur := map[string]string{"phone": r.Phone, "phone_e164": r.PhoneE164, "sms_number": r.SMSNumber,
		"sms_keyword": r.SMSKeyword, "tty": r.TTY, "whatsapp": r.WhatsApp, "chat_url": r.ChatURL, "url": r.URL}
	change := store.ContactChange{ResourceID: id, Values: map[string]string{}, ProposedBy: c.staff.ID,
		MarkVerified: c.r.PostFormValue("mark_verified") == "1"}
	var fields []string
	for _, f := range directory.ContactFields {
		if v := strings.TrimSpace(c.r.PostFormValue(f)); v != cur[f] {
			change.Values[f] = v
			fields = append(fields, f)
		}
	}
	if len(change.Values) == 0 {
		return tipline.Errorf(tipline.EInvalid, "nothing changed")
	}
	if err := db.store.ProposeContactChange(c.ctx(), c.actor(), change, fields); err != nil {
		return err
	}
	return c.redirect("/staff/resources/" + id + "?done=proposed")
}
