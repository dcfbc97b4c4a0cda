package staff

// tipHold puts the tip on legal hold or lifts the hold.
func (db *Dashboard) tipHold(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	hold := c.r.PostFormValue("hold") == "1"
	if err := db.store.SetLegalHold(c.ctx(), c.actor(), id, hold); err != nil {
		return err
	}
	return c.redirect(tipURL(id, "hold"))
}
