package staff

import (
	"github.com/jackc/pgx/v5"

	"tipline/store"
)

// resourceVerify either verifies a pending contact change (which must be
// someone else's: the two-person rule) or, with what=record, records that
// the caller checked the shown facts at their source now.
func (db *Dashboard) resourceVerify(c *reqCtx) error {
	id := c.r.PathValue("id")
	what := c.r.PostFormValue("what")
	err := c.change("resource.verify", "resource", id, map[string]any{"what": what}, func(tx pgx.Tx) error {
		if what == "record" {
			return store.DashMarkResourceVerified(c.ctx(), tx, id, c.staff.ID, c.staff.Email, c.now)
		}
		_, err := store.VerifyContactChange(c.ctx(), tx, id, c.staff.ID, c.staff.Email)
		return err
	})
	if err != nil {
		return err
	}
	return c.redirect("/staff/resources/" + id + "?done=verified")
}

// resourceHide takes a resource off for users, or puts it back.
func (db *Dashboard) resourceHide(c *reqCtx) error {
	id := c.r.PathValue("id")
	hidden := c.r.PostFormValue("hidden") == "1"
	err := c.change("resource.hide", "resource", id, map[string]any{"hidden": hidden}, func(tx pgx.Tx) error {
		return store.DashSetResourceHidden(c.ctx(), tx, id, hidden, c.now)
	})
	if err != nil {
		return err
	}
	return c.redirect("/staff/resources/" + id + "?done=hidden")
}
