package staff

import (
	"net/http"
	"net/url"
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
	if err := db.auditObjectFilter(c, &f); err != nil {
		return err
	}
	rows, err := db.store.AuditTrail(c.ctx(), f)
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

// auditObjectFilter lets the object filter take the name staff know an
// object by: a tip ID or a case number becomes its row id.
func (db *Dashboard) auditObjectFilter(c *reqCtx, f *store.AuditFilter) error {
	if f.ObjectID == "" || (f.ObjectType != "tip" && f.ObjectType != "case" && f.ObjectType != "") {
		return nil
	}
	if _, err := strconv.ParseInt(f.ObjectID, 10, 64); err == nil {
		return nil
	}
	typ, id, err := db.store.AuditObjectByName(c.ctx(), f.ObjectType, f.ObjectID)
	if err != nil || id == "" {
		return err
	}
	f.ObjectType, f.ObjectID = typ, id
	return nil
}

// auditLink is the dashboard page of an object an audit row names ("" for
// objects without one, or no longer kept).
func auditLink(r store.AuditRef) string {
	if r.ID == "" || r.Name == "" {
		return ""
	}
	switch r.Type {
	case "tip":
		return "/staff/tips/" + url.PathEscape(r.ID)
	case "case":
		return "/staff/cases/" + url.PathEscape(r.ID)
	case "conversation":
		return "/staff/chats/" + url.PathEscape(r.ID)
	case "resource":
		return "/staff/resources/" + url.PathEscape(r.ID)
	}
	return ""
}

// auditName is how an audit row names an object: "tip TIPURG1", "case
// C-100"; an object no longer kept keeps its stored id ("tip 15, no
// longer kept").
func auditName(r store.AuditRef) string {
	switch {
	case r.ID == "":
		return r.Type
	case r.Name != "":
		return strings.TrimSpace(auditNoun(r.Type) + " " + r.Name)
	case !auditNamed[r.Type]:
		return strings.TrimSpace(auditNoun(r.Type) + " " + r.ID)
	}
	return r.Type + " " + r.ID + " (no longer kept)"
}

// auditNamed are the object types the store names (store.AuditTrail); an
// id of another type is shown as it is.
var auditNamed = map[string]bool{"tip": true, "case": true, "conversation": true, "staff": true, "resource": true}

// auditNoun is the word for an object type on the audit page.
func auditNoun(typ string) string {
	switch typ {
	case "conversation":
		return "chat"
	case "staff":
		return ""
	case "api_token":
		return "API token"
	}
	return typ
}
