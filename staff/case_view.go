package staff

import (
	"net/http"
)

// caseView shows a case: its fields, photo, poster link and its tips on a
// time line. Audited.
func (db *Dashboard) caseView(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	cs, err := db.store.Case(c.ctx(), id)
	if err != nil {
		return err
	}
	tips, err := db.store.CaseTips(c.ctx(), id)
	if err != nil {
		return err
	}
	if err := c.record("case.view", "case", idString(id), nil); err != nil {
		return err
	}
	lastSeen := ""
	if cs.LastSeenAt != nil {
		lastSeen = cs.LastSeenAt.In(db.d.Location).Format("2006-01-02T15:04")
	}
	c.render(http.StatusOK, "case", "Case "+cs.Number, map[string]any{
		"Case": cs, "Tips": tips, "Action": "/staff/cases/" + idString(id), "LastSeen": lastSeen,
	})
	return nil
}
