package staff

import (
	"strconv"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/store"
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
		if _, err := store.StaffByID(c.ctx(), db.d.Pool, n); err != nil {
			return err
		}
		to = &n
	}
	detail := map[string]any{"to": nil}
	if to != nil {
		detail["to"] = *to
	}
	err = c.change("tip.assign", "tip", idString(id), detail, func(tx pgx.Tx) error {
		return store.DashAssignTip(c.ctx(), tx, id, to, c.now)
	})
	if err != nil {
		return err
	}
	return c.redirect(tipURL(id, "assign"))
}
