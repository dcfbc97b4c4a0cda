package staff

import (
	"github.com/jackc/pgx/v5"

	"tipline/store"
)

// tipNote adds a staff note; the audit row names the note, not its text.
func (db *Dashboard) tipNote(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	err = c.inTx(func(tx pgx.Tx) error {
		noteID, err := store.DashAddTipNote(c.ctx(), tx, id, c.staff.ID, c.r.PostFormValue("body"), c.now)
		if err != nil {
			return err
		}
		return c.audit(tx, "tip.note", "tip", idString(id), map[string]any{"note_id": noteID})
	})
	if err != nil {
		return err
	}
	return c.redirect(tipURL(id, "note"))
}
