package staff

// tipNote adds a staff note; the audit row names the note, not its text.
func (db *Dashboard) tipNote(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	if err := db.store.AddTipNote(c.ctx(), c.actor(), id, c.r.PostFormValue("body")); err != nil {
		return err
	}
	return c.redirect(tipURL(id, "note"))
}
