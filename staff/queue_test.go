package staff

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestQueueOrderAndFilters: urgent first, then newest; filters narrow.
func TestQueueOrderAndFilters(t *testing.T) {
	e := newEnv(t)
	c := e.login(reviewerEmail)
	body := bodyOf(t, e.get(c, "/staff/tips"))
	urg, old := strings.Index(body, `data-tip="TIPURG1"`), strings.Index(body, `data-tip="TIPOLD1"`)
	if urg < 0 || old < 0 || urg > old {
		t.Fatalf("urgent tip not on top (%d, %d)", urg, old)
	}
	if !strings.Contains(body, "SIMULATED") {
		t.Error("a simulated tip is not marked")
	}
	for q, want := range map[string][]string{
		"?sim=exclude":                   {"TIPURG1", "TIPOLD1"},
		"?sim=only":                      {"TIPSIM1"},
		"?channel=sms":                   {"TIPOLD1"},
		"?q=greyhound":                   {"TIPURG1"},
		"?q=tipold1":                     {"TIPOLD1"},
		"?case=" + itoa(e.fx.caseID):     {"TIPURG1"},
		"?status=closed":                 {},
		"?from=2000-01-01&to=2000-01-02": {},
	} {
		b := bodyOf(t, e.get(c, "/staff/tips"+q))
		if n := strings.Count(b, "data-tip="); n != len(want) {
			t.Errorf("%s: %d tips, want %v", q, n, want)
		}
		for _, code := range want {
			if !strings.Contains(b, `data-tip="`+code+`"`) {
				t.Errorf("%s: %s missing", q, code)
			}
		}
	}
	e.post(c, "/staff/tips/"+itoa(e.fx.tip2ID)+"/assign", map[string][]string{"staff": {itoa(e.reviewer.ID)}})
	if b := bodyOf(t, e.get(c, "/staff/tips?mine=1")); strings.Count(b, "data-tip=") != 1 || !strings.Contains(b, "TIPOLD1") {
		t.Error("assigned-to-me filter")
	}
}

// TestQueuePagination: pages of 50, with a link to the next page.
func TestQueuePagination(t *testing.T) {
	e := newEnv(t)
	e.exec(`INSERT INTO tips (code, channel, description, created_at)
		SELECT 'P' || g, 'sms', 'bulk tip', now() - g * interval '1 minute' FROM generate_series(1, 120) g`)
	c := e.login(reviewerEmail)
	p1, p3 := bodyOf(t, e.get(c, "/staff/tips")), bodyOf(t, e.get(c, "/staff/tips?page=3"))
	if strings.Count(p1, "data-tip=") != 50 || !strings.Contains(p1, "page=2") {
		t.Error("page 1")
	}
	if n := strings.Count(p3, "data-tip="); n != 123-100 || strings.Contains(p3, "Older →") {
		t.Errorf("page 3 has %d tips", n)
	}
}

// TestQueueStateCounts: the live refresh sees counts and new urgent tips.
func TestQueueStateCounts(t *testing.T) {
	e := newEnv(t)
	c := e.login(reviewerEmail)
	var st struct {
		Counts    map[string]int `json:"counts"`
		Total     int            `json:"total"`
		UrgentNew int            `json:"urgent_new"`
		NewestID  int64          `json:"newest_id"`
		OpenPages int            `json:"open_pages"`
	}
	if err := json.Unmarshal([]byte(bodyOf(t, e.get(c, "/staff/tips/state"))), &st); err != nil {
		t.Fatal(err)
	}
	if st.Total != 3 || st.Counts["new"] != 3 || st.UrgentNew != 1 || st.NewestID != e.fx.simTipID || st.OpenPages != 1 {
		t.Fatalf("state: %+v", st)
	}
}

// TestChartAndStats: the chart counts tips per day and the median time
// to triage.
func TestChartAndStats(t *testing.T) {
	e := newEnv(t)
	e.exec(`UPDATE tips SET triaged_at = created_at + interval '2 hours' WHERE NOT simulated`)
	loc, _ := time.LoadLocation("America/New_York")
	now := time.Now()
	days, err := e.dash.store.TipsPerDay(context.Background(), now.AddDate(0, 0, -2), now, loc)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, d := range days {
		total += d.Tips
		if d.Tips > 0 && (d.MedianTriage == nil || *d.MedianTriage != 2*time.Hour) {
			t.Errorf("median triage %v", d.MedianTriage)
		}
	}
	if total != 2 || len(days) < 3 {
		t.Errorf("days %d, tips %d", len(days), total)
	}
	r := e.get(e.login(reviewerEmail), "/staff/tips/chart.svg")
	if r.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(bodyOf(t, r), "<polyline") {
		t.Error("chart")
	}
}
