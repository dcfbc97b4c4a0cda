package staff

import (
	"fmt"
	"html"
	"strings"
	"time"

	"tipline/store"
)

// Chart geometry (SVG user units).
const (
	chartW, chartH   = 720, 240
	chartL, chartR   = 40, 50
	chartT, chartB   = 20, 40
	chartDays        = 30
	chartBarFraction = 0.7
)

// chart draws tips per day (bars) and the median time to triage (line, in
// hours, right axis) for the last 30 days, as a small server-side SVG.
func (db *Dashboard) chart(c *reqCtx) error {
	loc := db.d.Location
	y, m, d := c.now.In(loc).Date()
	from := time.Date(y, m, d, 0, 0, 0, 0, loc).AddDate(0, 0, -(chartDays - 1))
	days, err := db.store.TipsPerDay(c.ctx(), from, c.now, loc)
	if err != nil {
		return err
	}
	c.w.Header().Set("Content-Type", "image/svg+xml")
	_, err = c.w.Write([]byte(renderChart(days)))
	return err
}

// renderChart builds the SVG. Text is escaped; nothing comes from users.
func renderChart(days []store.DayStat) string {
	maxTips, maxHours := 1, 1.0
	for _, d := range days {
		maxTips = max(maxTips, d.Tips)
		if d.MedianTriage != nil {
			maxHours = max(maxHours, d.MedianTriage.Hours())
		}
	}
	plotW, plotH := float64(chartW-chartL-chartR), float64(chartH-chartT-chartB)
	step := plotW / float64(max(len(days), 1))
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%d" height="%d" role="img" font-family="sans-serif" font-size="11">`,
		chartW, chartH, chartW, chartH)
	b.WriteString(`<title>Tips per day and median time to triage, last 30 days</title>`)
	fmt.Fprintf(&b, `<rect x="0" y="0" width="%d" height="%d" fill="#fff"/>`, chartW, chartH)
	fmt.Fprintf(&b, `<text x="%d" y="14" fill="#1d2b3a">tips per day (max %d)</text>`, chartL, maxTips)
	fmt.Fprintf(&b, `<text x="%d" y="14" fill="#b00020" text-anchor="end">median hours to triage (max %.1f)</text>`, chartW-4, maxHours)
	var line []string
	for i, d := range days {
		x := float64(chartL) + float64(i)*step
		h := plotH * float64(d.Tips) / float64(maxTips)
		fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#1d2b3a"><title>%s: %d tips</title></rect>`,
			x, float64(chartT)+plotH-h, step*chartBarFraction, h, html.EscapeString(d.Day.Format("Jan 2")), d.Tips)
		if d.MedianTriage != nil {
			ly := float64(chartT) + plotH - plotH*d.MedianTriage.Hours()/maxHours
			line = append(line, fmt.Sprintf("%.1f,%.1f", x+step*chartBarFraction/2, ly))
		}
		if (i%7 == 0 && i < len(days)-3) || i == len(days)-1 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" fill="#333">%s</text>`, x, chartH-chartB+16, html.EscapeString(d.Day.Format("Jan 2")))
		}
	}
	if len(line) > 0 {
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="#b00020" stroke-width="2"/>`, strings.Join(line, " "))
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#999"/>`, chartL, float64(chartT)+plotH, chartW-chartR, float64(chartT)+plotH)
	b.WriteString(`</svg>`)
	return b.String()
}
