package staff

import (
	"net/http"
	"strconv"

	"tipline"
)

// chatDisclosureRequest asks, with a written reason, to reveal a youth's
// sealed identifier (to pass to 911 when they cannot call). A second staff
// member must confirm it.
func (db *Dashboard) chatDisclosureRequest(c *reqCtx) error {
	chat, err := db.store.Chat(c.ctx(), c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	if err := db.store.RequestDisclosure(c.ctx(), c.actor(), chat, c.r.PostFormValue("reason")); err != nil {
		return err
	}
	return c.redirect("/staff/chats/" + chat.PublicID + "/escalation?done=saved#disclosure")
}

// chatDisclosureConfirm is the second staff member's confirmation.
func (db *Dashboard) chatDisclosureConfirm(c *reqCtx) error {
	chat, err := db.store.Chat(c.ctx(), c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	if err := db.store.ConfirmDisclosure(c.ctx(), c.actor(), chat, id); err != nil {
		return err
	}
	return c.redirect("/staff/chats/" + chat.PublicID + "/escalation?done=saved#disclosure")
}

// chatDisclosureReveal shows the identifier of a confirmed request to one
// of its two staff members (a POST, so that nothing caches or prefetches
// it); audited each time.
func (db *Dashboard) chatDisclosureReveal(c *reqCtx) error {
	chat, err := db.store.Chat(c.ctx(), c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	sealed, err := db.store.RevealDisclosure(c.ctx(), c.actor(), chat, id)
	if err != nil {
		return err
	}
	plain, err := db.d.Keys.Open(sealed, "contact:"+chat.Channel)
	if err != nil {
		return tipline.Errorf(tipline.ENotFound, "the identifier cannot be opened with the configured keys")
	}
	what := map[string]string{"sms": "Phone number", "whatsapp": "WhatsApp phone number", "telegram": "Telegram chat id"}[chat.Channel]
	if what == "" {
		what = "Identifier (" + chat.Channel + ")"
	}
	c.render(http.StatusOK, "disclosure", "Emergency disclosure", map[string]any{"Chat": chat, "What": what,
		"Identifier": string(plain), "Request": strconv.FormatInt(id, 10)})
	return nil
}
