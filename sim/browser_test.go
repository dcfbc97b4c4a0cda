package sim_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"tipline/twilio"
)

// chromiumPath finds Debian's chromium. Without it the browser test skips,
// except in CI (CI set), where it must run.
func chromiumPath(t *testing.T) string {
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
		t.Fatal("chromium is not installed, and CI is set: the browser test must run (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium); skipping the browser test (it always runs when CI is set)")
	return ""
}

// browser starts a headless chromium with a fresh profile and collects
// every script exception and console or CSP error of the page.
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	var mu sync.Mutex
	var problems []string
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text+" "+describe(e.ExceptionDetails.Exception))
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				problems = append(problems, "console.error")
			}
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError && !strings.HasSuffix(e.Entry.URL, "/favicon.ico") {
				problems = append(problems, "log: "+e.Entry.Text)
			}
		}
	}
	// The first call starts the browser for the life of bctx (no timeout
	// there); the test's actions run under a derived deadline.
	started := time.Now()
	if err := chromedp.Listen(bctx, listen); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	t.Logf("chromium started in %v", time.Since(started).Round(time.Millisecond))
	ctx, cancelTimeout := context.WithTimeout(bctx, 60*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), problems...) }
}

func TestBrowserTypesHelloAndSeesBothRenderings(t *testing.T) {
	ctx, problems := browser(t)
	r := newRig(t)
	want := r.firstAnswer("hello")
	wctx, stop := context.WithCancel(context.Background())
	defer stop()
	go r.worker.Run(wctx, r.bot.Wake(), 200*time.Millisecond)

	start := time.Now()
	err := chromedp.Do(ctx,
		chromedp.Navigate(r.srv.URL+"/sim/"),
		chromedp.WaitVisible(chromedp.ID("text")),
		chromedp.SendKeys(chromedp.ID("text"), "hello"),
		chromedp.Click(chromedp.ID("send")),
		chromedp.WaitVisible(chromedp.CSS("#sms-log li.msg.out .text")),
		chromedp.WaitVisible(chromedp.CSS("#tg-log li.msg.out .tg-btn")),
		chromedp.WaitVisible(chromedp.CSS("#wa-log li.msg.out .text")),
	)
	if err != nil {
		t.Fatalf("browser: %v (page problems: %v)", err, problems())
	}
	waText := must(chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#wa-log li.msg.out .text"))))
	if strings.TrimSpace(waText) != twilio.RenderWhatsApp(want) {
		t.Errorf("WhatsApp pane shows %q, want %q", waText, twilio.RenderWhatsApp(want))
	}
	smsText := must(chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#sms-log li.msg.out .text"))))
	smsMeta := must(chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#sms-log li.msg.out .meta"))))
	tgText := must(chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#tg-log li.msg.out .text"))))
	buttons := must(chromedp.Run(ctx, chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("#tg-log li.msg.out .tg-btn")].map(b => b.textContent)`)))
	if strings.TrimSpace(smsText) != twilio.Render(want) {
		t.Errorf("SMS pane shows %q, want %q", smsText, twilio.Render(want))
	}
	if !strings.Contains(smsMeta, "GSM-7") || !strings.Contains(smsMeta, "1 segment") {
		t.Errorf("SMS pane meta %q lacks encoding and segment count", smsMeta)
	}
	if strings.TrimSpace(tgText) != want.Text {
		t.Errorf("Telegram pane shows %q, want %q", tgText, want.Text)
	}
	if len(buttons) != len(want.Options) || buttons[0] != want.Options[0].Label {
		t.Errorf("Telegram buttons %q, want the labels of %+v", buttons, want.Options)
	}
	pressFirstButton(t, ctx, problems)
	t.Logf("browser round trip (type, send, two answers, a button press) took %v", time.Since(start).Round(time.Millisecond))
	if p := problems(); len(p) > 0 {
		t.Errorf("the page reported errors (CSP or script): %v", p)
	}
}

// pressFirstButton clicks the first inline button and waits for the bot's
// next answer and for the first reply to show as sent.
func pressFirstButton(t *testing.T, ctx context.Context, problems func() []string) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS("#tg-log li.msg.out .tg-btn")),
		chromedp.WaitVisible(chromedp.CSS("#tg-log li.msg.out:nth-of-type(4)")),
		chromedp.WaitVisible(chromedp.CSS("#sms-log li.msg.out .status-sent")),
	)
	if err != nil {
		t.Fatalf("pressing a button: %v (page problems: %v)", err, problems())
	}
	pressed := must(chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#tg-log li.msg.in:nth-of-type(3) .text"))))
	if !strings.HasPrefix(pressed, "▸ ") {
		t.Errorf("the pressed button shows as %q, want its label", pressed)
	}
}

func describe(o *runtime.RemoteObject) string {
	if o == nil {
		return ""
	}
	return o.Description
}
