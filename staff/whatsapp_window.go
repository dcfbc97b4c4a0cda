package staff

import (
	"fmt"
	"time"

	"tipline"
	"tipline/store"
)

// whatsappWindow is WhatsApp's customer service window: a business may
// write freely only this long after the person's last message.
const whatsappWindow = 24 * time.Hour

// whatsappWindowProblem says why a staff message cannot go to chat now,
// or "": on WhatsApp, more than 24 hours after the person last wrote and
// with no approved template configured (Deps.WhatsAppTemplate), WhatsApp
// would refuse it, so it is refused here, before it is queued, with the
// reason and what to do.
func (db *Dashboard) whatsappWindowProblem(chat store.DashChat) string {
	if chat.Channel != string(tipline.ChannelWhatsApp) || db.d.WhatsAppTemplate {
		return ""
	}
	when := "has not written yet"
	if chat.LastInboundAt != nil {
		since := db.d.Now().Sub(*chat.LastInboundAt)
		if since < whatsappWindow {
			return ""
		}
		when = fmt.Sprintf("last wrote %s (%.0f hours ago)", chat.LastInboundAt.In(db.d.Location).Format("Jan 2 at 15:04"), since.Hours())
	}
	return "Not sent: this person is on WhatsApp and " + when + ". WhatsApp lets us write more than 24 hours after their " +
		"last message only with an approved template, and none is configured (WHATSAPP_TEMPLATE_SID). " +
		"Your text is kept here: it can go as soon as they write again."
}

// tipWhatsAppProblem is whatsappWindowProblem for a reply to the tipster
// of t, whose conversation says when they last wrote.
func (db *Dashboard) tipWhatsAppProblem(c *reqCtx, t store.DashTipDetail) (string, error) {
	if t.Channel != string(tipline.ChannelWhatsApp) || t.ConversationPID == "" || db.d.WhatsAppTemplate {
		return "", nil
	}
	chat, err := db.store.Chat(c.ctx(), t.ConversationPID)
	if err != nil {
		return "", err
	}
	return db.whatsappWindowProblem(chat), nil
}
