package staff

// resourceVerify either verifies a pending contact change (which must be
// someone else's: the two-person rule) or, with what=record, records that
// the caller checked the shown facts at their source now.
func (db *Dashboard) resourceVerify(c *reqCtx) error {
	id := c.r.PathValue("id")
	what := c.r.PostFormValue("what")
	if err := db.store.VerifyResource(c.ctx(), c.actor(), id, what); err != nil {
		return err
	}
	return c.redirect("/staff/resources/" + id + "?done=verified")
}

// resourceHide takes a resource off for users, or puts it back.
func (db *Dashboard) resourceHide(c *reqCtx) error {
	id := c.r.PathValue("id")
	hidden := c.r.PostFormValue("hidden") == "1"
	if err := db.store.SetResourceHidden(c.ctx(), c.actor(), id, hidden); err != nil {
		return err
	}
	return c.redirect("/staff/resources/" + id + "?done=hidden")
}
