package staff

import (
	"github.com/jackc/pgx/v5"

	"tipline/store"
)

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
	err = c.change("case.edit", "case", idString(id), nil, func(tx pgx.Tx) error {
		return store.DashUpdateCase(c.ctx(), tx, cs, c.now)
	})
	if err != nil {
		return err
	}
	return c.redirect(caseURL(id, "saved"))
}
