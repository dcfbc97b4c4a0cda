package staff

import (
	"encoding/json"
	"net/http"

	"tipline"
)

// apiTips lists tips with the queue's filters (same query parameters) and
// order. Audited like the queue.
func (db *Dashboard) apiTips(c *reqCtx) error {
	f := db.parseFilter(c.r.URL.Query(), c.staff.ID)
	tips, more, err := db.store.Queue(c.ctx(), f)
	if err != nil {
		return err
	}
	if err := c.record("tips.list", "tip", "", filterDetail(f, len(tips))); err != nil {
		return err
	}
	out := make([]apiTipJSON, 0, len(tips))
	for _, t := range tips {
		out = append(out, apiTip(t))
	}
	return c.json(http.StatusOK, map[string]any{"tips": out, "more": more, "page": f.Offset/queuePageSize + 1})
}

// apiTip returns one tip. Audited.
func (db *Dashboard) apiTip(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	t, err := db.store.Tip(c.ctx(), id)
	if err != nil {
		return err
	}
	if err := c.record("tip.view", "tip", idString(id), map[string]any{"api": true}); err != nil {
		return err
	}
	return c.json(http.StatusOK, apiTipDetail(t))
}

// apiTipContact returns a tip's reporter contact details (admins only;
// each view audited).
func (db *Dashboard) apiTipContact(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	text, err := db.openContact(c, id)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, map[string]string{"contact": text})
}

// apiTipStatus sets a tip's status from {"status": "..."}.
func (db *Dashboard) apiTipStatus(c *reqCtx) error {
	id, err := c.pathID("id")
	if err != nil {
		return err
	}
	var body struct {
		Status string `json:"status"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(c.w, c.r.Body, 4096)).Decode(&body); err != nil {
		return tipline.Errorf(tipline.EInvalid, "send a JSON object with a status")
	}
	if body.Status == "duplicate" {
		return tipline.Errorf(tipline.EInvalid, "duplicates are marked on the dashboard")
	}
	if err := db.setStatus(c, id, body.Status); err != nil {
		return err
	}
	t, err := db.store.Tip(c.ctx(), id)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, apiTipDetail(t))
}
