package staff

import (
	"fmt"

	"tipline"
	"tipline/flows"
	"tipline/sms"
)

// chatMessage writes to the youth through the bot. The chat must be
// claimed by the writer, so the bot and a person never talk over each
// other, and its opening must stay neutral (docs/design.md rule 4). The audit row
// records that a message went, not what it said.
func (db *Dashboard) chatMessage(c *reqCtx) error {
	chat, err := db.store.Chat(c.ctx(), c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	if chat.ClaimedBy == nil || *chat.ClaimedBy != c.staff.ID {
		return tipline.Errorf(tipline.EConflict, "claim the chat before writing")
	}
	text := c.r.PostFormValue("text")
	if chat.Kind != "tipster" {
		if err := flows.CheckNeutral(text); err != nil {
			return db.showChat(c, chat, draft{Text: text, Problem: fmt.Sprintf(
				"The first %d characters show on a lock screen and must stay neutral: %v", flows.LockScreenChars, err)})
		}
	}
	if p := db.whatsappWindowProblem(chat); p != "" {
		return db.showChat(c, chat, draft{Text: text, Problem: p})
	}
	d, ok, err := db.checkDraft(c.ctx(), chat.Channel, sms.Render(tipline.Reply{Text: text}), text,
		c.r.PostFormValue("confirm_numbers"))
	if err != nil {
		return err
	}
	if !ok {
		return db.showChat(c, chat, d)
	}
	if err := db.store.SendChatMessage(c.ctx(), c.actor(), chat, text); err != nil {
		return err
	}
	db.wake()
	return c.redirect("/staff/chats/" + chat.PublicID + "?done=message")
}
