package webchat_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/domstorage"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromiumPath finds Debian's chromium. Without it the browser test skips,
// except in CI (CI set), where it must run.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test (-short)")
	}
	for _, p := range []string{"/usr/bin/chromium", "chromium", "chromium-browser"} {
		if path, err := exec.LookPath(p); err == nil {
			return path
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed, and CI is set: the browser test must run (apt-get install -y chromium)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium)")
	return ""
}

// browser starts a headless chromium with a fresh profile and collects
// every script exception and console or CSP error.
func browser(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Flag("headless", true), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1000, 900),
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
			problems = append(problems, "exception: "+e.ExceptionDetails.Text)
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
	if err := chromedp.Listen(bctx, listen); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	ctx, cancelTimeout := context.WithTimeout(bctx, 240*time.Second)
	t.Cleanup(cancelTimeout)
	return ctx, func() []string { mu.Lock(); defer mu.Unlock(); return append([]string(nil), problems...) }
}

// hostSite is an organisation's plain site on its own origin: a page
// before, the page that embeds the widget with one script tag, and the
// neutral page quick exit goes to.
func hostSite(t *testing.T, chatURL *string) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, strings.ReplaceAll(body, "CHAT", *chatURL))
		}
	}
	mux.HandleFunc("GET /before", page(`<!doctype html><title>News</title><p id="before">Today's news</p>`))
	mux.HandleFunc("GET /services", page(`<!doctype html><html lang="en"><head><title>Youth services</title></head>`+
		`<body><h1>Our services</h1><p>Talk to us:</p><script src="CHAT/chat/widget.js"></script><p>Footer</p></body></html>`))
	mux.HandleFunc("GET /weather", page(`<!doctype html><title>Weather</title><p id="weather">Sunny</p>`))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// chatFrame waits for the widget's iframe to hold the chat page and
// returns the query option that reaches into it.
func chatFrame(t *testing.T, ctx context.Context) chromedp.QueryOption {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS("iframe")))
		if err == nil && len(nodes) == 1 && nodes[0].ContentDocument != nil {
			fr := chromedp.FromNode(nodes[0])
			wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			err = chromedp.Do(wctx, chromedp.WaitVisible(chromedp.CSS("#text"), fr))
			cancel()
			if err == nil {
				return fr
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the widget's chat frame did not load")
	return nil
}

// waitLog waits until the conversation log (in the frame fr, or the
// page itself when fr is nil) holds a text.
func waitLog(t *testing.T, ctx context.Context, fr chromedp.QueryOption, want string) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		var opts []chromedp.QueryOption
		if fr != nil {
			opts = append(opts, fr)
		}
		got, _ = chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#log"), opts...))
		if strings.Contains(got, want) {
			return got
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the chat never showed %q; it shows %q", want, got)
	return ""
}

// waitLocation waits until the tab shows url.
func waitLocation(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	var loc string
	for range 100 {
		loc, _ = chromedp.Run(ctx, chromedp.Location())
		if loc == url {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("the tab is at %q, want %q", loc, url)
}

// sessionItems is the tab's session storage of the chat's origin; an
// error means no frame of that origin is open.
func sessionItems(ctx context.Context, chatURL string) ([]domstorage.Item, error) {
	return chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) ([]domstorage.Item, error) {
		if _, err := cdp.Call(ctx, tg, domstorage.Enable, cdp.Empty{}); err != nil {
			return nil, err
		}
		res, err := cdp.Call(ctx, tg, domstorage.GetDOMStorageItems, domstorage.GetDOMStorageItemsParams{
			StorageID: &domstorage.StorageID{SecurityOrigin: chatURL, IsLocalStorage: false}})
		return res.Entries, err
	})
}

// nothingKept checks that the tab keeps no session storage of the chat's
// origin and the browser no cookie of it.
func nothingKept(t *testing.T, ctx context.Context, chatURL string) {
	t.Helper()
	items, err := sessionItems(ctx, chatURL)
	if err != nil {
		t.Logf("session storage of %s: %v (none)", chatURL, err)
	}
	if len(items) > 0 {
		t.Errorf("the tab keeps session storage of the chat: %q", items)
	}
	cookies, err := chromedp.Run(ctx, func(ctx context.Context, tg *chromedp.Target) ([]*network.Cookie, error) {
		res, err := cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{URLs: []string{chatURL + "/chat"}})
		return res.Cookies, err
	})
	if err != nil || len(cookies) > 0 {
		t.Errorf("cookies of the chat: %v %v", cookies, err)
	}
}
