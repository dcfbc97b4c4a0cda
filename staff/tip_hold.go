package staff

import (
	"github.com/jackc/pgx/v5"

	"tipline/store"
)

// tipHold puts the tip on legal hold or lifts the hold.
func (db *Dashboard) tipHold(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	hold := c.r.PostFormValue("hold") == "1"
	err = c.change("tip.legal_hold", "tip", idString(id), map[string]any{"hold": hold}, func(tx pgx.Tx) error {
		return store.DashSetLegalHold(c.ctx(), tx, id, hold, c.now)
	})
	if err != nil {
		return err
	}
	return c.redirect(tipURL(id, "hold"))
}
