package staff

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"tipline/store"
)

// auditView lets admins read and filter the audit trail. There is no way
// to change or delete it here, or anywhere in the product; viewing it is
// itself audited.
func (db *Dashboard) auditView(c *reqCtx) error {
	q := c.r.URL.Query()
	f := store.AuditFilter{Action: strings.TrimSpace(q.Get("action")), ObjectType: strings.TrimSpace(q.Get("type")),
		ObjectID: strings.TrimSpace(q.Get("object")), Limit: 100}
	if id, err := strconv.ParseInt(q.Get("staff"), 10, 64); err == nil {
		f.StaffID = id
	}
	if id, err := strconv.ParseInt(q.Get("before"), 10, 64); err == nil {
		f.BeforeID = id
	}
	if d, err := time.ParseInLocation(time.DateOnly, q.Get("from"), db.d.Location); err == nil {
		f.From = d
	}
	if d, err := time.ParseInLocation(time.DateOnly, q.Get("to"), db.d.Location); err == nil {
		f.To = d.AddDate(0, 0, 1)
	}
	rows, err := db.store.AuditLog(c.ctx(), f)
	if err != nil {
		return err
	}
	staff, err := db.store.Staff(c.ctx())
	if err != nil {
		return err
	}
	if err := c.record("audit.view", "audit", "", map[string]any{"rows": len(rows)}); err != nil {
		return err
	}
	var next int64
	if len(rows) == f.Limit {
		next = rows[len(rows)-1].ID
	}
	c.render(http.StatusOK, "audit", "Audit trail", map[string]any{"Rows": rows, "Q": q, "Staff": staff, "Next": next, "F": f})
	return nil
}
