package staff

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// runJob runs the dashboard's periodic job name once, as the scheduler
// would.
func runJob(t *testing.T, e *env, name string, now time.Time) {
	t.Helper()
	for _, j := range e.dash.Jobs() {
		if j.Name == name {
			if err := j.Run(context.Background(), now); err != nil {
				t.Fatalf("job %s: %v", name, err)
			}
			return
		}
	}
	t.Fatalf("no job %s", name)
}

// TestBrowserTakeoverTimeouts walks issue 14's staff side in real
// Chromium with a controlled clock: a reviewer goes on shift; the panel
// shows the waiting high-risk chat with its wait; left unclaimed past
// HIGH_RISK_REPAGE it pages again, to the secondary destination; the
// reviewer claims it from the panel and writes; idle past CLAIM_IDLE, the
// claim returns to the queue and the youth receives nothing more.
func TestBrowserTakeoverTimeouts(t *testing.T) {
	ctx, problems := browser(t)
	k := &clock{at: time.Now()}
	e := newEnv(t, func(d *Deps) {
		d.Now = k.Now
		d.Takeover = Takeover{ClaimIdle: 15 * time.Minute, Repage: 5 * time.Minute, RepageTargets: []string{"telegram-secondary"}}
	})
	k.set(time.Now())
	e.exec(`UPDATE conversations SET risk_level = 'danger' WHERE id = $1`, e.fx.chatID)
	tg := newFakeTelegram(t, e)
	tg.worker.Pages["telegram-secondary"] = "-100888"
	tg.worker.Clock = k
	str := must[string](t)
	signIn(t, ctx, e, reviewerEmail)
	k.add(6 * time.Minute)
	row := `#waiting tr[data-chat="` + e.fx.chatPID + `"]`
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/staff/queue-health"),
		chromedp.Click(chromedp.ID("shift-start")),
		chromedp.WaitVisible(chromedp.CSS(`#shift-state[data-on-shift="true"]`)),
		chromedp.WaitVisible(chromedp.CSS(row)),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "queue-health")
	if w := str(chromedp.Run(ctx, chromedp.Text(chromedp.CSS(row+" .waited")))); w != "6 min" {
		t.Errorf("wait shown: %q", w)
	}
	if n := str(chromedp.Run(ctx, chromedp.Text(chromedp.ID("on-shift-count")))); n != "1" {
		t.Errorf("on shift: %q", n)
	}
	// Unclaimed for over 5 minutes: the re-page goes to the second destination.
	runJob(t, e, "high-risk-repage", k.Now())
	if sent := tg.deliver(t, -100888, 1); len(sent) != 1 || !strings.Contains(sent[0], "nobody has claimed it") ||
		!strings.Contains(sent[0], "/staff/chats/"+e.fx.chatPID) {
		t.Fatalf("re-page: %q", sent)
	}
	err = chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("unacked-pages")))
	if err != nil {
		t.Fatal(err)
	}
	if n := str(chromedp.Run(ctx, chromedp.Text(chromedp.ID("unacked-pages")))); n != "2" {
		t.Errorf("pages not acknowledged: %q", n)
	}
	claimAndWrite(t, ctx, e, tg, row)
	// Idle: nothing at 14 minutes, back in the queue after 15.
	k.add(14 * time.Minute)
	runJob(t, e, "claim-idle", k.Now())
	if e.auditCount("chat.claim_idle") != 0 {
		t.Fatal("claim returned before CLAIM_IDLE")
	}
	k.add(2 * time.Minute)
	runJob(t, e, "claim-idle", k.Now())
	err = chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/staff/queue-health"), chromedp.WaitVisible(chromedp.CSS(row)))
	if err != nil {
		t.Fatalf("the chat is not back in the queue: %v", err)
	}
	if w := str(chromedp.Run(ctx, chromedp.Text(chromedp.CSS(row+" .waited")))); w != "under 1 min" {
		t.Errorf("wait after the return: %q", w)
	}
	if sent := tg.deliver(t, e.fx.youthChat, 1); len(sent) != 1 {
		t.Errorf("the youth received %d messages, want only the staff one", len(sent))
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("script problems: %v", p)
	}
}

func claimAndWrite(t *testing.T, ctx context.Context, e *env, tg *fakeTelegram, row string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(row+" a")),
		chromedp.WaitVisible(chromedp.ID("claim")),
		chromedp.Click(chromedp.ID("claim")),
		chromedp.WaitVisible(chromedp.ID("send-message")),
		chromedp.SendKeys(chromedp.ID("text"), "Hi, I am a person on the team. Are you somewhere safe?"),
		chromedp.Click(chromedp.ID("send-message")),
		chromedp.WaitVisible(chromedp.ID("release")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if sent := tg.deliver(t, e.fx.youthChat, 1); len(sent) != 1 {
		t.Fatalf("the youth got %q", sent)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/staff/queue-health"),
		chromedp.WaitVisible(chromedp.CSS(`#claimed tr[data-chat="`+e.fx.chatPID+`"]`))); err != nil {
		t.Fatalf("the claimed chat is not in the held list: %v", err)
	}
}
