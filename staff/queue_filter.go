package staff

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"tipline"
	"tipline/store"
)

// queuePageSize is how many tips one queue page shows.
const queuePageSize = 50

// parseFilter reads the queue filters from a query string. Dates are
// days in the organisation's time zone; "to" includes its whole day.
func (db *Dashboard) parseFilter(q url.Values, me int64) store.QueueFilter {
	f := store.QueueFilter{Query: strings.TrimSpace(q.Get("q")), Limit: queuePageSize}
	if s := q.Get("status"); store.ValidTipStatus(s) {
		f.Status = s
	}
	if ch := tipline.Channel(q.Get("channel")); ch.Valid() {
		f.Channel = string(ch)
	}
	if id, err := strconv.ParseInt(q.Get("case"), 10, 64); err == nil && id > 0 {
		f.CaseID = id
	}
	if q.Get("mine") == "1" {
		f.AssignedTo = me
	}
	if d, err := time.ParseInLocation(time.DateOnly, q.Get("from"), db.d.Location); err == nil {
		f.From = d
	}
	if d, err := time.ParseInLocation(time.DateOnly, q.Get("to"), db.d.Location); err == nil {
		f.To = d.AddDate(0, 0, 1)
	}
	f.Incomplete = oneOf(q.Get("incomplete"), "only", "exclude")
	f.Simulated = oneOf(q.Get("sim"), "only", "exclude")
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 1 && p < 100000 {
		f.Offset = (p - 1) * queuePageSize
	}
	if len(f.Query) > 200 {
		f.Query = f.Query[:200]
	}
	return f
}

func oneOf(v string, allowed ...string) string {
	for _, a := range allowed {
		if v == a {
			return v
		}
	}
	return ""
}

// filterDetail is the audit record of which filter a list or export used
// (no free text beyond the search words staff typed).
func filterDetail(f store.QueueFilter, n int) map[string]any {
	d := map[string]any{"rows": n}
	add := func(k, v string) {
		if v != "" {
			d[k] = v
		}
	}
	add("status", f.Status)
	add("channel", f.Channel)
	add("incomplete", f.Incomplete)
	add("simulated", f.Simulated)
	add("search", f.Query)
	if f.CaseID != 0 {
		d["case_id"] = f.CaseID
	}
	if f.AssignedTo != 0 {
		d["assigned_to"] = f.AssignedTo
	}
	if !f.From.IsZero() {
		d["from"] = f.From
	}
	if !f.To.IsZero() {
		d["to"] = f.To
	}
	if f.Offset != 0 {
		d["offset"] = f.Offset
	}
	return d
}
