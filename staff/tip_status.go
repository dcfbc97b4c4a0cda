package staff

import (
	"tipline"
)

// tipStatus sets a tip's review status (duplicate goes through
// tipDuplicate, which names the original).
func (db *Dashboard) tipStatus(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	status := c.r.PostFormValue("status")
	if status == "duplicate" {
		return tipline.Errorf(tipline.EInvalid, "mark a duplicate with the tip it duplicates")
	}
	if err := db.setStatus(c, id, status); err != nil {
		return err
	}
	return c.redirect(tipURL(id, "status"))
}

// setStatus changes the status and writes its audit row in one
// transaction (shared with the API).
func (db *Dashboard) setStatus(c *reqCtx, id int64, status string) error {
	return db.store.SetTipStatus(c.ctx(), c.actor(), id, status)
}

// tipDuplicate marks the tip as a duplicate of another (by tip ID); both
// are kept and each page shows the other.
func (db *Dashboard) tipDuplicate(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	of := c.r.PostFormValue("of")
	if err := db.store.MarkDuplicate(c.ctx(), c.actor(), id, of); err != nil {
		return err
	}
	return c.redirect(tipURL(id, "duplicate"))
}

// tipURL is a tip's page with a flash message key.
func tipURL(id int64, done string) string {
	return "/staff/tips/" + idString(id) + "?done=" + done
}
