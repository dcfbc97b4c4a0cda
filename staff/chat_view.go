package staff

import (
	"net/http"

	"tipline"
	"tipline/store"
)

// chatView shows a conversation's transcript (flagged or not: staff may
// take over any conversation); every view is audited.
func (db *Dashboard) chatView(c *reqCtx) error {
	chat, err := db.store.Chat(c.ctx(), c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	return db.showChat(c, chat, draft{})
}

// showChat renders a chat page (audited as a view); a draft the message
// form sent back is shown again in its box with the reason (draft.status).
func (db *Dashboard) showChat(c *reqCtx, chat store.DashChat, d draft) error {
	msgs, err := db.store.Messages(c.ctx(), chat.ID)
	if err != nil {
		return err
	}
	lines, err := db.transcript(c.ctx(), msgs, chat.Lang)
	if err != nil {
		return err
	}
	risks, err := db.chatRisks(c, chat) // chat_risk.go
	if err != nil {
		return err
	}
	if err := c.record("chat.view", "conversation", chat.PublicID, nil); err != nil {
		return err
	}
	mine := chat.ClaimedBy != nil && *chat.ClaimedBy == c.staff.ID
	if mine { // reading the chat is work on it: the claim is not idle
		if err := db.store.TouchClaim(c.ctx(), c.actor(), chat); err != nil {
			return err
		}
	}
	var last int64
	if len(msgs) > 0 {
		last = msgs[len(msgs)-1].ID
	}
	status := d.status()
	c.render(status, "chat", "Chat", map[string]any{"Chat": chat, "Messages": lines, "Mine": mine, "Last": last, "Risks": risks,
		"Draft": d, "SMS": chat.Channel == string(tipline.ChannelSMS)})
	return nil
}

// chatState answers a chat page's poll: the newest message id and whether
// the chat is claimed (no message content, so no audit row).
func (db *Dashboard) chatState(c *reqCtx) error {
	last, claimedBy, err := db.store.ChatLastMessage(c.ctx(), c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, map[string]any{"last_id": last, "claimed": claimedBy != nil})
}
