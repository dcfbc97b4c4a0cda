package staff

import (
	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/flows"
	"tipline/store"
)

// chatMessage writes to the youth through the bot. The chat must be
// claimed by the writer, so the bot and a person never talk over each
// other, and its opening must stay neutral (DESIGN rule 4). The audit row
// records that a message went, not what it said.
func (db *Dashboard) chatMessage(c *reqCtx) error {
	chat, err := store.DashChatByPublicID(c.ctx(), db.d.Pool, c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	if chat.ClaimedBy == nil || *chat.ClaimedBy != c.staff.ID {
		return tipline.Errorf(tipline.EConflict, "claim the chat before writing")
	}
	text := c.r.PostFormValue("text")
	if chat.Kind != "tipster" {
		if err := flows.CheckNeutral(text); err != nil {
			return tipline.Errorf(tipline.EInvalid, "the first %d characters show on a lock screen and must stay neutral: %v",
				flows.LockScreenChars, err)
		}
	}
	err = c.inTx(func(tx pgx.Tx) error {
		id, err := store.QueueStaffMessage(c.ctx(), tx, chat.ID, text, c.now)
		if err != nil {
			return err
		}
		return c.audit(tx, "chat.message", "conversation", chat.PublicID, map[string]any{"message_id": id})
	})
	if err != nil {
		return err
	}
	db.wake()
	return c.redirect("/staff/chats/" + chat.PublicID + "?done=message")
}
