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
	if err := store.Audit(c.ctx(), db.d.Pool, db.auditEntry(c, "tips.list", "tip", "", filterDetail(f, len(data.tips)))); err != nil {
		return err
	}
	page := f.Offset/queuePageSize + 1
	c.render(http.StatusOK, "queue", "Tip queue", map[string]any{
		"Tips": data.tips, "More": data.more, "Page": page, "Q": q, "Filter": f, "State": data.state, "Cases": data.cases,
		"Statuses": store.TipStatuses, "Canned": cannedReplies, "Channels": []string{"telegram", "sms", "sim"},
	})
	return nil
}

// auditEntry builds an audit row for the caller (for views written
// without a change transaction).
func (db *Dashboard) auditEntry(c *reqCtx, action, objType, objID string, detail map[string]any) store.AuditEntry {
	e := store.AuditEntry{At: c.now, StaffEmail: c.staff.Email, Action: action, ObjectType: objType,
		ObjectID: objID, Detail: detail, ClientAddr: c.addr}
	if c.staff.ID != 0 {
		id := c.staff.ID
		e.StaffID = &id
	}
	return e
}

// queueState answers the live refresh: counts and the newest tips.
func (db *Dashboard) queueStateJSON(c *reqCtx) error {
	st, err := db.queueState(c.ctx())
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, st)
}
