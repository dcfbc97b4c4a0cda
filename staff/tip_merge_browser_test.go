package staff

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSightingMerge walks issue 18's correlation in real Chromium:
// a new sighting's page suggests the earlier sighting of the same child
// first (not the other child seen at the same corner) with its reasons; a
// person confirms and the tips are merged; merging the original back into
// the new tip is refused with the cycle named; the merge is undone and
// the suggestion is back.
func TestBrowserSightingMerge(t *testing.T) {
	ctx, problems := browser(t)
	e := newEnv(t)
	now := time.Now()
	insert := func(code, desc, lang string, ago time.Duration, lat, lon float64) int64 {
		var id int64
		at := now.Add(-ago)
		if err := e.pool.QueryRow(t.Context(), `INSERT INTO tips (code, channel, incomplete, description, lang, seen_at, lat, lon,
			submitted_at, created_at) VALUES ($1, 'sms', false, $2, $3, $4, $5, $6, $4, $4) RETURNING id`,
			code, desc, lang, at, lat, lon).Scan(&id); err != nil {
			t.Fatal(err)
		}
		return id
	}
	first := insert("SEENA1", "Girl about 14 with a purple backpack and a red coat, brown hair", "en", 30*time.Minute, 42.3601, -71.0589)
	other := insert("SEENX1", "A boy of 8 with a red backpack", "en", 15*time.Minute, 42.3610, -71.0590)
	second := insert("SEENB1", "Vi a una niña de unos 14 años con una mochila morada, pelo castaño", "es", 10*time.Minute, 42.3637, -71.0589)
	_ = other
	str := must[string](t)
	signIn(t, ctx, e, reviewerEmail)
	secondURL, firstURL := e.srv.URL+"/staff/tips/"+itoa(second), e.srv.URL+"/staff/tips/"+itoa(first)
	err := chromedp.Do(ctx, chromedp.Navigate(secondURL), chromedp.WaitVisible(chromedp.ID("suggestions")))
	if err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "suggestions")
	top := `#suggestions li:first-child`
	if ref := str(chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("`+top+`").dataset.ref`))); ref != "SEENA1" {
		t.Fatalf("first suggestion: %s", ref)
	}
	reason := str(chromedp.Run(ctx, chromedp.Text(chromedp.CSS(top+" .reason"))))
	if !strings.Contains(reason, "0.4 km and 20 min from tip SEENA1") || !strings.Contains(reason, "a purple backpack") {
		t.Errorf("reason: %q", reason)
	}
	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(top+" .confirm-merge")), chromedp.WaitVisible(chromedp.CSS("#merges li.merge-open")))
	if err != nil {
		t.Fatal(err)
	}
	if s := str(chromedp.Run(ctx, chromedp.Text(chromedp.ID("tip-status")))); s != "duplicate" {
		t.Errorf("status after the merge: %q", s)
	}
	// The original merged back into the new tip: a cycle, refused. The wait
	// is for the refusal page's own alert (the tip page has none here), so
	// nothing is read from the page the form is leaving.
	err = chromedp.Do(ctx, chromedp.Navigate(firstURL), chromedp.WaitVisible(chromedp.ID("merge-form")),
		chromedp.SendKeys(chromedp.ID("into"), "SEENB1"), chromedp.SendKeys(chromedp.ID("merge-reason"), "the other way round"),
		chromedp.Click(chromedp.ID("merge-submit")), chromedp.WaitVisible(chromedp.CSS(`p.alert[role="alert"]`)))
	if err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "cycle-refused")
	if body := str(chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))); !strings.Contains(body, "would form a cycle") ||
		!strings.Contains(body, "SEENB1 → SEENA1") {
		t.Errorf("cycle refusal: %q", body)
	}
	// Undone from the new tip's page: the merge stays on record, the
	// suggestion is back.
	err = chromedp.Do(ctx, chromedp.Navigate(secondURL), chromedp.WaitVisible(chromedp.CSS("#merges li.merge-open")),
		chromedp.SendKeys(chromedp.CSS("#merges li.merge-open input[name=reason]"), "two different girls"),
		chromedp.Click(chromedp.CSS("#merges li.merge-open .undo-merge")), chromedp.WaitVisible(chromedp.CSS("#merges li.merge-undone")))
	if err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "undone")
	if s := str(chromedp.Run(ctx, chromedp.Text(chromedp.ID("tip-status")))); s != "new" {
		t.Errorf("status after undo: %q", s)
	}
	if s := str(chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#merges li.merge-undone")))); !strings.Contains(s, "undone by "+reviewerEmail) ||
		!strings.Contains(s, "two different girls") {
		t.Errorf("undone merge: %q", s)
	}
	if ref := str(chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("`+top+`").dataset.ref`))); ref != "SEENA1" {
		t.Errorf("suggestion after undo: %s", ref)
	}
	if n := e.auditCount("tip.merge") + e.auditCount("tip.unmerge"); n != 2 {
		t.Errorf("audit rows: %d, want 2", n)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("script problems: %v", p)
	}
}
