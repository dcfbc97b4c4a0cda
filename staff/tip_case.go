package staff

import (
	"strconv"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/store"
)

// tipCase links the tip to a case, or unlinks it.
func (db *Dashboard) tipCase(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var caseID *int64
	detail := map[string]any{"case_id": nil}
	if s := c.r.PostFormValue("case"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return tipline.Errorf(tipline.EInvalid, "unknown case")
		}
		caseID, detail["case_id"] = &n, n
	}
	err = c.change("tip.case", "tip", idString(id), detail, func(tx pgx.Tx) error {
		return store.DashLinkTipCase(c.ctx(), tx, id, caseID, c.now)
	})
	if err != nil {
		return err
	}
	return c.redirect(tipURL(id, "case"))
}
