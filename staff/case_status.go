package staff

import (
	"github.com/jackc/pgx/v5"

	"tipline/store"
)

// casePublish publishes a case (tipsters can name it and its poster
// works) or withdraws it.
func (db *Dashboard) casePublish(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	public := c.r.PostFormValue("public") == "1"
	err = c.change("case.publish", "case", idString(id), map[string]any{"public": public}, func(tx pgx.Tx) error {
		return store.DashSetCasePublic(c.ctx(), tx, id, public, c.now)
	})
	if err != nil {
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
	err = c.change("case.close", "case", idString(id), map[string]any{"status": status}, func(tx pgx.Tx) error {
		if status == "active" {
			return store.DashReopenCase(c.ctx(), tx, id, c.now)
		}
		return store.DashCloseCase(c.ctx(), tx, id, status, c.now)
	})
	if err != nil {
		return err
	}
	return c.redirect(caseURL(id, "closed"))
}
