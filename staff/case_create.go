package staff

// caseCreate creates a case (not yet public).
func (db *Dashboard) caseCreate(c *reqCtx) error {
	cs, err := db.caseFromForm(c)
	if err != nil {
		return err
	}
	created, err := db.store.CreateCase(c.ctx(), c.actor(), cs)
	if err != nil {
		return err
	}
	return c.redirect(caseURL(created.ID, "saved"))
}
