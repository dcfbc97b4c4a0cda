package staff

// caseEdit saves a case's fields.
func (db *Dashboard) caseEdit(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	cs, err := db.caseFromForm(c)
	if err != nil {
		return err
	}
	cs.ID = id
	if err := db.store.UpdateCase(c.ctx(), c.actor(), cs); err != nil {
		return err
	}
	return c.redirect(caseURL(id, "saved"))
}
