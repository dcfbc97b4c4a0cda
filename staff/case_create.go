package staff

import (
	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/store"
)

// caseCreate creates a case (not yet public).
func (db *Dashboard) caseCreate(c *reqCtx) error {
	cs, err := db.caseFromForm(c)
	if err != nil {
		return err
	}
	var created store.Case
	err = c.inTx(func(tx pgx.Tx) error {
		var err error
		if created, err = store.CreateCase(c.ctx(), tx, cs); err != nil {
			if store.IsUniqueViolation(err) {
				return tipline.Errorf(tipline.EConflict, "case number %s is taken", cs.Number)
			}
			return err
		}
		return c.audit(tx, "case.create", "case", idString(created.ID), map[string]any{"number": created.Number})
	})
	if err != nil {
		return err
	}
	return c.redirect(caseURL(created.ID, "saved"))
}
