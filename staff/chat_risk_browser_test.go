package staff

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserRiskReasons: in real Chromium a reviewer opens a flagged chat
// from the high-risk list and sees why its message was flagged (level,
// categories, the rule and concepts, the classifier's feature), then marks
// it a false alarm and sees the mark.
func TestBrowserRiskReasons(t *testing.T) {
	ctx, problems := browser(t)
	e := newEnv(t)
	id := flagFixtureMessage(e)
	signIn(t, ctx, e, reviewerEmail)
	str := must[string](t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/staff/chats"),
		chromedp.WaitVisible(chromedp.CSS(`#chats tr[data-risk-level="danger"] a`)),
		chromedp.Click(chromedp.CSS(`#chats tr[data-risk-level="danger"] a`)),
		chromedp.WaitVisible(chromedp.CSS(`#m`+itoa(id)+` .risk`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	why := str(chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#m`+itoa(id)+` .risk`))))
	for _, want := range []string{"danger", "imminent, abuse", "rule en.harm_by_person: person + harm + me", `"he hurts me"`,
		`classifier feature "w:hurts me" (+1.42)`} {
		if !strings.Contains(why, want) {
			t.Errorf("the page shows %q, without %q", why, want)
		}
	}
	shot(t, ctx, "chat-risk")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`#m`+itoa(id)+` button[value="false_alarm"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#m`+itoa(id)+` .risk-marked`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	if s := str(chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#m`+itoa(id)+` .risk-marked`)))); !strings.Contains(s, "false alarm") {
		t.Errorf("mark shown: %q", s)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("script problems: %v", p)
	}
}
