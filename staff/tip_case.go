package staff

import (
	"strconv"

	"tipline"
)

// tipCase links the tip to a case, or unlinks it.
func (db *Dashboard) tipCase(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var caseID *int64
	if s := c.r.PostFormValue("case"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return tipline.Errorf(tipline.EInvalid, "unknown case")
		}
		caseID = &n
	}
	if err := db.store.LinkTipCase(c.ctx(), c.actor(), id, caseID); err != nil {
		return err
	}
	return c.redirect(tipURL(id, "case"))
}
