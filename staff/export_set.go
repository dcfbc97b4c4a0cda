package staff

import (
	"fmt"
	"strconv"
	"time"

	"tipline/store"
)

// exportLimit is the most tips one export holds.
const exportLimit = 5000

// exportSet loads the tips a filtered export holds.
func (db *Dashboard) exportSet(c *reqCtx) (store.QueueFilter, []store.DashTip, error) {
	f := db.parseFilter(c.r.URL.Query(), c.staff.ID)
	f.Offset, f.Limit = 0, exportLimit
	tips, _, err := db.store.Queue(c.ctx(), f)
	return f, tips, err
}

var csvHeader = []string{"tip_id", "received", "status", "urgent", "incomplete", "simulated", "channel", "case_number",
	"case_text", "seen_at", "seen_text", "place_text", "lat", "lon", "description", "reporter_alias", "assigned_to", "legal_hold"}

// exportSetCSV is the filtered tips as CSV, every cell neutralised against
// spreadsheet formulas. Audited with the filter used.
func (db *Dashboard) exportSetCSV(c *reqCtx) error {
	f, tips, err := db.exportSet(c)
	if err != nil {
		return err
	}
	if err := c.record("export.csv", "tip", "", filterDetail(f, len(tips))); err != nil {
		return err
	}
	rows := make([][]string, 0, len(tips))
	for _, t := range tips {
		rows = append(rows, db.csvRow(t))
	}
	c.w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	c.w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tips-%s.csv"`, c.now.In(db.d.Location).Format("20060102-1504")))
	return writeCSV(c.w, csvHeader, rows)
}

func (db *Dashboard) csvRow(t store.DashTip) []string {
	f := func(p *float64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatFloat(*p, 'f', 5, 64)
	}
	ts := func(p *time.Time) string {
		if p == nil {
			return ""
		}
		return p.In(db.d.Location).Format(time.RFC3339)
	}
	return []string{t.Code, t.CreatedAt.In(db.d.Location).Format(time.RFC3339), t.Status, strconv.FormatBool(t.Urgent),
		strconv.FormatBool(t.Incomplete), strconv.FormatBool(t.Simulated), t.Channel, t.CaseNumber, t.CaseText,
		ts(t.SeenAt), t.SeenText, t.PlaceText, f(t.Lat), f(t.Lon), t.Description, t.ReporterAlias, t.AssignedEmail,
		strconv.FormatBool(t.LegalHold)}
}

// exportSetHTML is the filtered tips as a printable page. Audited.
func (db *Dashboard) exportSetHTML(c *reqCtx) error {
	f, tips, err := db.exportSet(c)
	if err != nil {
		return err
	}
	if err := c.record("export.html", "tip", "", filterDetail(f, len(tips))); err != nil {
		return err
	}
	return c.renderBare("set_export", map[string]any{
		"Title": fmt.Sprintf("%d tips", len(tips)), "Generated": fmtTime(c.now, db.d.Location), "By": c.staff.Email,
		"Tips": tips, "Truncated": len(tips) == exportLimit, "Filter": filterDetail(f, len(tips)),
	})
}
