package webchat_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"tipline"
	"tipline/bot"
	"tipline/directory"
	"tipline/flows"
	"tipline/outbox"
	"tipline/password"
	"tipline/seal"
	"tipline/server"
	"tipline/staff"
	"tipline/store"
	"tipline/testdb"
	"tipline/webchat"
)

const staffPassword = "correct horse battery staple"

// site is the whole web chat path in one process: the chat and the staff
// dashboard on one server (as `tipline serve` mounts them), the outbox
// running, and an organisation's site on another origin embedding the
// widget.
type site struct {
	pool *store.Pool
	chat string // the Tipline server's URL
	host string // the organisation's site's URL
}

func newSite(t *testing.T) *site {
	t.Helper()
	pool := testdb.New(t)
	keys := must(seal.ParseKeys(seal.GenerateKey(), nil))
	engine := &flows.Engine{Dir: directory.New(must(directory.Bundled())), TZ: time.UTC, Timeout: 30 * time.Minute}
	b := bot.New(pool, keys, engine, nil, nil)
	hub := webchat.NewHub()
	w := &outbox.Worker{Pool: pool, Keys: keys,
		Providers: map[tipline.Channel]tipline.Provider{tipline.ChannelWebChat: webchat.NewProvider(hub)}}
	s := &site{pool: pool}
	host := hostSite(t, &s.chat)
	s.host = host.URL
	chat := webchat.NewHandler(webchat.Config{Bot: b, DB: pool, Keys: keys, Hub: hub,
		ExitURL: host.URL + "/weather", Origins: []string{host.URL}, StreamFor: 2 * time.Second})
	dash := must(staff.New(staff.Deps{Pool: pool, Keys: keys, Dev: true, Location: time.UTC, Wake: b.Notify}))
	routes := append([]server.Route{{Pattern: "/chat", Handler: chat}, {Pattern: "/chat/", Handler: chat}}, dash.Routes()...)
	srv := httptest.NewServer(server.New(server.Options{Routes: routes}))
	s.chat = srv.URL
	ctx, cancel := context.WithCancel(context.Background())
	go w.Run(ctx, b.Wake(), 100*time.Millisecond)
	t.Cleanup(func() { cancel(); srv.Close() })
	hash := must(password.Hash(staffPassword))
	if _, err := store.CreateStaff(context.Background(), pool, "ana@example.org", store.RoleReviewer, hash); err != nil {
		t.Fatal(err)
	}
	return s
}

// say types a message into the chat frame and sends it.
func say(t *testing.T, ctx context.Context, fr chromedp.QueryOption, text string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#text"), text, fr),
		chromedp.Click(chromedp.CSS("#send"), fr)); err != nil {
		t.Fatalf("say %q: %v", text, err)
	}
}

// staffAnswers signs a reviewer in (in a browser context of their own),
// claims the web chat and writes to it.
func staffAnswers(t *testing.T, ctx context.Context, s *site, text string) {
	t.Helper()
	sctx, cancel := chromedp.NewContext(ctx, chromedp.WithNewBrowserContext())
	defer cancel()
	var pid string
	err := s.pool.QueryRow(context.Background(),
		`SELECT public_id FROM conversations WHERE channel = 'webchat' AND high_risk`).Scan(&pid)
	if err != nil {
		t.Fatalf("the web chat is not flagged high-risk: %v", err)
	}
	err = chromedp.Do(sctx,
		chromedp.Navigate(s.chat+"/staff/login"),
		chromedp.SendKeys(chromedp.ID("email"), "ana@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), staffPassword),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID("logout")),
		chromedp.Navigate(s.chat+"/staff/chats"),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/staff/chats/`+pid+`"]`)),
		chromedp.Click(chromedp.CSS(`a[href="/staff/chats/`+pid+`"]`)),
		chromedp.Click(chromedp.ID("claim")),
		chromedp.WaitVisible(chromedp.ID("send-message")),
	)
	if err != nil {
		t.Fatalf("staff claim: %v", err)
	}
	// The chat page reloads itself when a message arrives unless staff are
	// typing; a reload that began just before the typing starts loses the
	// text (the empty form is then refused by the browser). Type again
	// until the message is stored, as a reviewer would.
	for try := 0; ; try++ {
		err = chromedp.Do(sctx,
			chromedp.WaitVisible(chromedp.ID("send-message")),
			chromedp.SendKeys(chromedp.ID("text"), text),
			chromedp.Click(chromedp.ID("send-message")),
			chromedp.WaitVisible(chromedp.ID("release")),
		)
		if err != nil {
			t.Fatalf("staff answer: %v", err)
		}
		if staffMessageStored(t, s, 3*time.Second) || try == 2 {
			return
		}
	}
}

// staffMessageStored waits up to d for a staff message to the chat.
func staffMessageStored(t *testing.T, s *site, d time.Duration) bool {
	t.Helper()
	for end := time.Now().Add(d); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		var n int
		err := s.pool.QueryRow(context.Background(),
			`SELECT count(*) FROM messages WHERE direction = 'out' AND kind = 'staff'`).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return true
		}
	}
	return false
}

// TestBrowserWidgetDangerTakeoverQuickExit is issue 17's acceptance 1:
// the widget embedded in a plain HTML page on another origin; a youth asks
// for help; a danger message gets 911 first; a reviewer claims the chat
// in the dashboard and answers; the answer appears in the widget; quick
// exit leaves no conversation in the tab (back button included) or in
// storage. Then Escape does the same for a second conversation.
func TestBrowserWidgetDangerTakeoverQuickExit(t *testing.T) {
	ctx, problems := browser(t)
	s := newSite(t)
	t.Cleanup(func() {
		if t.Failed() {
			s.dump(t)
		}
	})
	if err := chromedp.Do(ctx, chromedp.Navigate(s.host+"/before"), chromedp.Navigate(s.host+"/services")); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	fr := chatFrame(t, ctx)
	say(t, ctx, fr, "I need help")
	first := waitLog(t, ctx, fr, "Reply:")
	danger := "my dad hits me and I am scared he will kill me tonight"
	say(t, ctx, fr, danger)
	got := waitLog(t, ctx, fr, "911")
	after := got[strings.Index(got, danger)+len(danger):]
	if i := strings.Index(after, "911"); i < 0 || i > strings.Index(after, "Reply:")+60 {
		t.Errorf("the danger answer does not give 911 first: %q", after)
	}
	staffWrites := "Hi, I am a person on the team. Are you somewhere safe?"
	staffAnswers(t, ctx, s, staffWrites)
	waitLog(t, ctx, fr, staffWrites)
	t.Logf("staff answer shown after %v", time.Since(start).Round(time.Millisecond))
	if who := must(chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#log li.msg.staff .who"), fr))); who != "Team member:" {
		t.Errorf("the staff message is labelled %q", who)
	}
	t.Logf("first answer %q", first)
	if items, err := sessionItems(ctx, s.chat); err != nil || len(items) != 1 {
		t.Fatalf("while chatting, the tab holds %q (%v), want the session alone", items, err)
	}
	// Quick exit by the button: the embedding page is replaced.
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("exit"), fr)); err != nil {
		t.Fatal(err)
	}
	waitLocation(t, ctx, s.host+"/weather")
	t.Logf("quick exit after %v", time.Since(start).Round(time.Millisecond))
	nothingKept(t, ctx, s.chat)
	// Back goes to the page before the one with the chat.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any]("history.back()")); err != nil {
		t.Fatal(err)
	}
	waitLocation(t, ctx, s.host+"/before")
	if txt := must(chromedp.Run(ctx, chromedp.Evaluate[string]("document.body.innerText"))); !strings.Contains(txt, "news") || strings.Contains(txt, "911") {
		t.Errorf("back shows %q", txt)
	}
	// Coming to the page again starts with nothing.
	if err := chromedp.Do(ctx, chromedp.Navigate(s.host+"/services")); err != nil {
		t.Fatal(err)
	}
	fr = chatFrame(t, ctx)
	time.Sleep(time.Second)
	nothingKept(t, ctx, s.chat)
	if n := must(chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS("#log li"), fr, chromedp.AtLeast(0)))); len(n) != 0 {
		t.Fatalf("the chat came back after quick exit: %d messages", len(n))
	}
	// Escape, from inside the chat.
	say(t, ctx, fr, "hola necesito ayuda")
	waitLog(t, ctx, fr, "Hola.")
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	waitLocation(t, ctx, s.host+"/weather")
	nothingKept(t, ctx, s.chat)
	if p := problems(); len(p) > 0 {
		t.Errorf("the pages reported errors (CSP or script): %v", p)
	}
}

// dump logs the web chat's messages, for a failed test.
func (s *site) dump(t *testing.T) {
	rows, err := s.pool.Query(context.Background(), `SELECT m.id, m.direction, m.kind, m.status,
		coalesce(m.next_attempt_at::text, ''), m.channel, left(m.body, 40) FROM messages m ORDER BY m.id`)
	if err != nil {
		t.Log(err)
		return
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var dir, kind, status, next, ch, body string
		if err := rows.Scan(&id, &dir, &kind, &status, &next, &ch, &body); err == nil {
			t.Logf("%d %s %s %s %s %s %q", id, dir, kind, status, next, ch, body)
		}
	}
}
