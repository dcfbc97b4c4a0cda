package staff

// pageAck acknowledges a staff page, which stops its re-sending.
func (db *Dashboard) pageAck(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	if err := db.store.AckPage(c.ctx(), c.actor(), id); err != nil {
		return err
	}
	return c.redirect("/staff/chats?done=ack")
}
