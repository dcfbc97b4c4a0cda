package staff

// chatClaim takes a flagged chat: the bot stops answering it (the danger
// screen still answers) and its open pages count as acknowledged.
func (db *Dashboard) chatClaim(c *reqCtx) error {
	chat, err := db.store.Chat(c.ctx(), c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	if err := db.store.ClaimChat(c.ctx(), c.actor(), chat); err != nil {
		return err
	}
	return c.redirect("/staff/chats/" + chat.PublicID + "?done=claim")
}

// chatRelease hands the chat back to the bot. Only the claimer may, or an
// admin.
func (db *Dashboard) chatRelease(c *reqCtx) error {
	chat, err := db.store.Chat(c.ctx(), c.r.PathValue("pid"))
	if err != nil {
		return err
	}
	if err := db.store.ReleaseChat(c.ctx(), c.actor(), chat, c.isAdmin()); err != nil {
		return err
	}
	return c.redirect("/staff/chats/" + chat.PublicID + "?done=release")
}
