package staff

import (
	"net/http"

	"tipline/directory"
	"tipline/store"
)

// resourceView shows one resource with its edit forms and any contact
// change waiting for a second staff member.
func (db *Dashboard) resourceView(c *reqCtx) error {
	r, err := db.store.Resource(c.ctx(), c.r.PathValue("id"))
	if err != nil {
		return err
	}
	pending, err := db.store.PendingContactChanges(c.ctx())
	if err != nil {
		return err
	}
	var change *store.ContactChange
	proposer := ""
	for i := range pending {
		if pending[i].ResourceID == r.ID {
			change = &pending[i]
			if st, err := db.store.StaffByID(c.ctx(), change.ProposedBy); err == nil {
				proposer = st.Email
			}
		}
	}
	contacts := map[string]string{"phone": r.Phone, "phone_e164": r.PhoneE164, "sms_number": r.SMSNumber,
		"sms_keyword": r.SMSKeyword, "tty": r.TTY, "whatsapp": r.WhatsApp, "chat_url": r.ChatURL, "url": r.URL}
	var proposal *store.Proposal
	if p, err := db.store.Proposal(c.ctx(), r.ID); err == nil {
		proposal = &p
	}
	c.render(http.StatusOK, "resource", r.Name, map[string]any{
		"Proposal": proposal,
		"R":        r, "Stale": isStale(r, c.now), "Change": change, "Proposer": proposer,
		"MineProposed": change != nil && change.ProposedBy == c.staff.ID,
		"Fields":       directory.ContactFields, "Contacts": contacts, "Langs": cannedLangs,
	})
	return nil
}
