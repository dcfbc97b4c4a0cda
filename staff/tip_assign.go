package staff

import (
	"strconv"

	"tipline"
)

// tipAssign assigns the tip to a staff member, or to nobody.
func (db *Dashboard) tipAssign(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var to *int64
	if s := c.r.PostFormValue("staff"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return tipline.Errorf(tipline.EInvalid, "unknown staff member")
		}
		if _, err := db.store.StaffByID(c.ctx(), n); err != nil {
			return err
		}
		to = &n
	}
	if err := db.store.AssignTip(c.ctx(), c.actor(), id, to); err != nil {
		return err
	}
	return c.redirect(tipURL(id, "assign"))
}
