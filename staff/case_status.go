package staff

// casePublish publishes a case (tipsters can name it and its poster
// works) or withdraws it.
func (db *Dashboard) casePublish(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	public := c.r.PostFormValue("public") == "1"
	if err := db.store.SetCasePublic(c.ctx(), c.actor(), id, public); err != nil {
		return err
	}
	return c.redirect(caseURL(id, "published"))
}

// caseClose closes a case as found or closed, or reopens it.
func (db *Dashboard) caseClose(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	status := c.r.PostFormValue("status")
	if err := db.store.SetCaseStatus(c.ctx(), c.actor(), id, status); err != nil {
		return err
	}
	return c.redirect(caseURL(id, "closed"))
}
