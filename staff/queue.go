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
	tips, more, err := store.DashQueue(c.ctx(), db.d.Pool, f)
	if err != nil {
		return err
	}
	state, err := store.DashQueueState(c.ctx(), db.d.Pool, true)
	if err != nil {
		return err
	}
	cases, err := store.DashCases(c.ctx(), db.d.Pool)
	if err != nil {
		return err
	}
	if err := store.Audit(c.ctx(), db.d.Pool, db.auditEntry(c, "tips.list", "tip", "", filterDetail(f, len(tips)))); err != nil {
		return err
	}
	page := f.Offset/queuePageSize + 1
	c.render(http.StatusOK, "queue", "Tip queue", map[string]any{
		"Tips": tips, "More": more, "Page": page, "Q": q, "Filter": f, "State": state, "Cases": cases,
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
func (db *Dashboard) queueState(c *reqCtx) error {
	st, err := store.DashQueueState(c.ctx(), db.d.Pool, true)
	if err != nil {
		return err
	}
	return c.json(http.StatusOK, st)
}
