package staff

import (
	"net/http"
)

// apiCases lists every case.
func (db *Dashboard) apiCases(c *reqCtx) error {
	cs, err := db.store.Cases(c.ctx())
	if err != nil {
		return err
	}
	out := make([]apiCaseJSON, 0, len(cs))
	for _, x := range cs {
		out = append(out, apiCase(x))
	}
	return c.json(http.StatusOK, map[string]any{"cases": out})
}

// apiCase returns one case with its tips on a time line. Audited.
func (db *Dashboard) apiCase(c *reqCtx) error {
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
	if err := c.record("case.view", "case", idString(id), map[string]any{"api": true}); err != nil {
		return err
	}
	out := make([]apiTipJSON, 0, len(tips))
	for _, t := range tips {
		out = append(out, apiTip(t))
	}
	return c.json(http.StatusOK, map[string]any{"case": apiCase(cs), "tips": out})
}

// apiResources lists the whole directory as staff see it (unverified and
// hidden records and fields included, marked as such).
func (db *Dashboard) apiResources(c *reqCtx) error {
	rs, err := db.store.Resources(c.ctx())
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, map[string]any{"resources": rs})
}
