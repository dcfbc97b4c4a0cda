package staff

import (
	"github.com/jackc/pgx/v5"

	"tipline/store"
)

// chatClaim takes a flagged chat: the bot stops answering it (the danger
// screen still answers) and its open pages count as acknowledged.
func (db *Dashboard) chatClaim(c *reqCtx) error {
	chat, err := store.DashChatByPublicID(c.ctx(), db.d.Pool, c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	err = c.inTx(func(tx pgx.Tx) error {
		if err := store.ClaimChat(c.ctx(), tx, chat.ID, c.staff.ID, c.now); err != nil {
			return err
		}
		n, err := store.AckConversationPages(c.ctx(), tx, chat.ID, c.staff.ID, c.now)
		if err != nil {
			return err
		}
		return c.audit(tx, "chat.claim", "conversation", chat.PublicID, map[string]any{"pages_acked": n})
	})
	if err != nil {
		return err
	}
	return c.redirect("/staff/chats/" + chat.PublicID + "?done=claim")
}

// chatRelease hands the chat back to the bot. Only the claimer may, or an
// admin.
func (db *Dashboard) chatRelease(c *reqCtx) error {
	chat, err := store.DashChatByPublicID(c.ctx(), db.d.Pool, c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	err = c.change("chat.release", "conversation", chat.PublicID, nil, func(tx pgx.Tx) error {
		return store.ReleaseChat(c.ctx(), tx, chat.ID, c.staff.ID, c.isAdmin())
	})
	if err != nil {
		return err
	}
	return c.redirect("/staff/chats/" + chat.PublicID + "?done=release")
}
