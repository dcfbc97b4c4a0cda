package staff

import (
	"net/http"

	"tipline/store"
)

// queue is the tip queue: urgent first, then newest, with filters, search,
// counts per status, pagination, bulk actions and the chart.
func (db *Dashboard) queue(c *reqCtx) error {
	q := c.r.URL.Query()
	f := db.parseFilter(q, c.staff.ID)
	data, err := db.loadQueue(c.ctx(), f)
	if err != nil {
		return err
	}
	if err := c.record("tips.list", "tip", "", filterDetail(f, len(data.tips))); err != nil {
		return err
	}
	page := f.Offset/queuePageSize + 1
	c.render(http.StatusOK, "queue", "Tip queue", map[string]any{
		"Tips": data.tips, "More": data.more, "Page": page, "Q": q, "Filter": f, "State": data.state, "Cases": data.cases,
		"Statuses": store.TipStatuses, "Canned": cannedReplies, "Channels": []string{"telegram", "sms", "whatsapp", "webchat", "sim"},
	})
	return nil
}

// queueState answers the live refresh: counts and the newest tips.
func (db *Dashboard) queueStateJSON(c *reqCtx) error {
	st, err := db.queueState(c.ctx())
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, st)
}
