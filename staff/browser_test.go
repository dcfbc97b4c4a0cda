package staff

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium finds Debian's chromium; without it the browser tests skip,
// except when CI is set, where they must run.
func chromium(t *testing.T) string {
	if testing.Short() {
		t.Skip("browser test (-short)")
	}
	t.Helper()
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed and CI is set: the browser tests must run (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium)")
	return ""
}

// browser starts a headless chromium with a fresh profile, collecting
// script exceptions (a CSP violation of our own script shows up there).
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	parallel(t) // before the browser's 90 s budget starts
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromium(t)), chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	var mu sync.Mutex
	var problems []string
	if err := chromedp.Listen(bctx, func(ev any) {
		if e, ok := ev.(*runtime.EventExceptionThrown); ok {
			mu.Lock()
			problems = append(problems, e.ExceptionDetails.Text)
			mu.Unlock()
		}
	}); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelT := context.WithTimeout(bctx, 90*time.Second)
	t.Cleanup(cancelT)
	return ctx, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), problems...) }
}

func must[T any](t *testing.T) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// shot saves a screenshot when TIPLINE_SHOTS names a folder (to look at
// the pages; never in CI).
func shot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("TIPLINE_SHOTS")
	if dir == "" {
		return
	}
	if b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		_ = os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644)
	}
}

// eventually evaluates expr until it is true (reloads in between are
// expected) or d passes.
func eventually(ctx context.Context, d time.Duration, expr string) bool {
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr)); err == nil && ok {
			return true
		}
	}
	return false
}

func signIn(t *testing.T, ctx context.Context, e *env, email string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/staff/tips"),
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), testPassword),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID("bulk")),
	)
	if err != nil {
		t.Fatalf("sign in as %s: %v", email, err)
	}
}

// TestBrowserNightShift walks a reviewer's shift in real Chromium: sign
// in, the urgent tip on top, open it, change its status, reply to the
// tipster (the fake Telegram API receives it), claim a high-risk chat,
// write to the youth, release it, log out; a second tab is then sent to
// the login page.
func TestBrowserNightShift(t *testing.T) {
	ctx, problems := browser(t)
	e := newEnv(t)
	tg := newFakeTelegram(t, e)
	signIn(t, ctx, e, reviewerEmail)
	shot(t, ctx, "queue")
	str := must[string](t)
	if top := str(chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("tbody tr[data-tip]").dataset.tip`))); top != "TIPURG1" {
		t.Fatalf("top of the queue: %s", top)
	}
	// The live refresh badges the title: one urgent tip and one open page.
	if !eventually(ctx, 10*time.Second, `document.title.startsWith("(2) ")`) {
		t.Fatal("no title badge")
	}
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`tr[data-tip="TIPURG1"] a`)),
		chromedp.WaitVisible(chromedp.ID("tip-status")),
	)
	if err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "tip")
	err = chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("status"), "triaged"),
		chromedp.Click(chromedp.ID("set-status")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if s := str(chromedp.Run(ctx, chromedp.Text(chromedp.ID("tip-status")))); s != "triaged" {
		t.Fatalf("status shown: %q", s)
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("reply"), "Thank you. Was she alone?"),
		chromedp.Click(chromedp.ID("send-reply")),
		chromedp.WaitVisible(chromedp.CSS(".flash")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if sent := tg.deliver(t, e.fx.tipsterChat, 1); len(sent) != 1 || !strings.Contains(sent[0], "Was she alone?") {
		t.Fatalf("the fake provider got %q", sent)
	}
	chatShift(t, ctx, e, tg)
	logoutAndSecondTab(t, ctx, e)
	if p := problems(); len(p) > 0 {
		t.Errorf("script problems: %v", p)
	}
}

func chatShift(t *testing.T, ctx context.Context, e *env, tg *fakeTelegram) {
	t.Helper()
	str := must[string](t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(e.srv.URL+"/staff/chats"),
		chromedp.Click(chromedp.CSS(`#chats tbody a`)),
		chromedp.WaitVisible(chromedp.ID("claim")),
		chromedp.Click(chromedp.ID("claim")),
		chromedp.WaitVisible(chromedp.ID("send-message")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if s := str(chromedp.Run(ctx, chromedp.Text(chromedp.ID("claim-state")))); !strings.Contains(s, "Claimed by "+reviewerEmail) {
		t.Fatalf("claim state: %q", s)
	}
	// The youth writes again: the open chat page shows it by itself.
	e.exec(`INSERT INTO messages (conversation_id, direction, channel, provider_id, kind, body, status)
		VALUES ($1, 'in', 'telegram', 'y2', 'user', 'are you a real person?', 'received')`, e.fx.chatID)
	if !eventually(ctx, 20*time.Second, `document.getElementById("transcript").textContent.includes("a real person")`) {
		t.Fatal("the chat page did not refresh")
	}
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.ID("text"), "Hi, I am a person on the team. Are you somewhere safe?"),
		chromedp.Click(chromedp.ID("send-message")),
		chromedp.WaitVisible(chromedp.ID("release")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if sent := tg.deliver(t, e.fx.youthChat, 1); len(sent) != 1 || !strings.Contains(sent[0], "somewhere safe") {
		t.Fatalf("the youth got %q", sent)
	}
	shot(t, ctx, "chat")
	err = chromedp.Do(ctx, chromedp.Click(chromedp.ID("release")), chromedp.WaitVisible(chromedp.ID("claim")))
	if err != nil {
		t.Fatal(err)
	}
	if s := str(chromedp.Run(ctx, chromedp.Text(chromedp.ID("claim-state")))); !strings.Contains(s, "Not claimed") {
		t.Fatalf("after release: %q", s)
	}
}

func logoutAndSecondTab(t *testing.T, ctx context.Context, e *env) {
	t.Helper()
	tab2, cancel := chromedp.NewContext(ctx)
	defer cancel()
	if err := chromedp.Do(tab2, chromedp.Navigate(e.srv.URL+"/staff/tips"), chromedp.WaitVisible(chromedp.ID("bulk"))); err != nil {
		t.Fatalf("second tab: %v", err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("signin"))); err != nil {
		t.Fatalf("logout: %v", err)
	}
	if err := chromedp.Do(tab2, chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("signin"))); err != nil {
		t.Fatalf("second tab after logout: %v", err)
	}
	if loc := must[string](t)(chromedp.Run(tab2, chromedp.Location())); !strings.Contains(loc, "/staff/login") {
		t.Fatalf("second tab is at %s", loc)
	}
}

// TestBrowserReviewerLimits: a reviewer sees no staff management and no
// reporter contact details, even by typing the addresses.
func TestBrowserReviewerLimits(t *testing.T) {
	ctx, problems := browser(t)
	e := newEnv(t)
	signIn(t, ctx, e, reviewerEmail)
	str := must[string](t)
	nav := str(chromedp.Run(ctx, chromedp.Text(chromedp.CSS("header.top nav"))))
	if strings.Contains(nav, "Staff") || strings.Contains(nav, "Audit") {
		t.Errorf("reviewer navigation offers %q", nav)
	}
	tip := e.srv.URL + "/staff/tips/" + itoa(e.fx.tipID)
	for _, u := range []string{e.srv.URL + "/staff/people", tip + "/contact", e.srv.URL + "/staff/audit"} {
		if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitVisible(chromedp.CSS(".alert"))); err != nil {
			t.Fatal(err)
		}
		body := str(chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main"))))
		if !strings.Contains(body, "403") || strings.Contains(body, tipContact) || strings.Contains(body, adminEmail) {
			t.Errorf("%s shows: %q", u, body)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(tip), chromedp.WaitVisible(chromedp.ID("fields"))); err != nil {
		t.Fatal(err)
	}
	for name, u := range map[string]string{"poster": "/staff/cases/" + itoa(e.fx.caseID) + "/poster",
		"resources": "/staff/resources", "case": "/staff/cases/" + itoa(e.fx.caseID)} {
		if os.Getenv("TIPLINE_SHOTS") != "" {
			_ = chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+u), chromedp.WaitReady(chromedp.CSS("body")))
			shot(t, ctx, name)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(tip), chromedp.WaitVisible(chromedp.ID("fields"))); err != nil {
		t.Fatal(err)
	}
	fields := str(chromedp.Run(ctx, chromedp.Text(chromedp.ID("fields"))))
	if strings.Contains(fields, tipContact) || !strings.Contains(fields, "visible to admins only") {
		t.Errorf("reviewer tip fields: %q", fields)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("script problems: %v", p)
	}
}
