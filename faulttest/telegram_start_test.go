package faulttest

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline/bench"
)

// TestServeStartsWithoutTelegram (issue 15, acceptance 5): `tipline serve`
// starts while the Telegram Bot API is down (connections dropped, or 404
// as for an unknown method), answers SMS meanwhile and, in webhook mode,
// accepts Telegram updates; when the API returns, the set-up (getMe;
// getWebhookInfo and setWebhook in webhook mode) completes in the
// background, the queued reply is delivered, and in polling mode the
// poller starts taking updates. The webhook run also checks the operator
// metrics on their own listener (METRICS_ADDR), and that the main
// listener, with a proxy configured, does not serve them to loopback.
func TestServeStartsWithoutTelegram(t *testing.T) {
	for _, mode := range []string{"webhook", "polling"} {
		t.Run(mode, func(t *testing.T) { serveWithoutTelegram(t, mode) })
	}
}

func serveWithoutTelegram(t *testing.T, mode string) {
	gate := newTGGate(t)
	metricsAddr := freeLoopbackAddr(t)
	settings := map[string]string{"TELEGRAM_API_URL": gate.url, "TELEGRAM_MODE": mode,
		"METRICS_ADDR": metricsAddr, "TRUSTED_PROXIES": "127.0.0.1/32"}
	for k, v := range fast {
		settings[k] = v
	}
	begin := time.Now()
	st := durableStack(t, settings) // returns once every instance answers /readyz
	t.Logf("serve ready %v after start with the Bot API down (%d calls refused so far)",
		time.Since(begin).Round(time.Millisecond), gate.refused(""))

	crisisSMS(t, st)
	smsAt := awaitCond(t, time.Minute, "the SMS reply", func() bool { return st.Fakes.SendCounts()["sms:+15005550199"] > 0 })
	const chat = 770001
	replies := func() int { return st.Fakes.SendCounts()[fmt.Sprint("telegram:", chat)] }
	if mode == "webhook" {
		postTGUpdate(t, st, 9001, chat, "hello")
	} else {
		gate.queue(9001, chat, "hello")
	}
	time.Sleep(3 * time.Second) // set-up, poller and outbox keep failing against the gate meanwhile
	if n := replies(); n != 0 {
		t.Fatalf("a Telegram reply got through the closed gate (%d)", n)
	}
	if gate.refused("getMe") == 0 || (mode == "polling" && gate.refused("getUpdates") == 0) {
		t.Fatalf("serve did not try the Bot API while it was down (getMe %d, getUpdates %d)",
			gate.refused("getMe"), gate.refused("getUpdates"))
	}
	t.Logf("SMS answered %v after it arrived, with Telegram down; %d Bot API calls refused",
		smsAt.Round(time.Millisecond), gate.refused(""))

	gate.open(st.Fakes.TelegramURL)
	tgAt := awaitCond(t, 2*time.Minute, "the Telegram reply", func() bool { return replies() > 0 })
	t.Logf("after the Bot API came back: Telegram reply delivered in %v", tgAt.Round(time.Millisecond))
	if mode == "webhook" {
		hookAt := awaitCond(t, 2*time.Minute, "setWebhook", func() bool { return gate.passed("setWebhook") > 0 })
		t.Logf("webhook registered %v after the Bot API came back", hookAt.Round(time.Millisecond))
		postTGUpdate(t, st, 9002, chat, "hello again")
		checkOpsMetrics(t, st, metricsAddr)
	} else {
		if n := gate.passed("getWebhookInfo") + gate.refused("getWebhookInfo") + gate.passed("deleteWebhook"); n != 0 {
			t.Errorf("polling asked about or deleted the webhook (%d calls)", n)
		}
		gate.queue(9002, chat, "hello again")
	}
	awaitCond(t, time.Minute, "the second Telegram reply", func() bool { return replies() > 1 })
}

// checkOpsMetrics scrapes METRICS_ADDR and the main listener.
func checkOpsMetrics(t *testing.T, st *bench.Stack, metricsAddr string) {
	t.Helper()
	status, body := fetchURL(t, "http://"+metricsAddr+"/metrics")
	if status != http.StatusOK {
		t.Fatalf("METRICS_ADDR: %d", status)
	}
	for _, want := range []string{
		`tipline_outbox_depth{channel="telegram",kind="bot"}`,
		`tipline_outbox_oldest_due_seconds{channel="sms",kind="bot"}`,
		"tipline_outbox_query_ok 1",
		"tipline_db_pool_acquired_conns",
		`tipline_http_request_duration_seconds_count{code="200",route="POST /webhooks/twilio"}`,
		`tipline_http_request_duration_seconds_count{code="200",route="POST /webhooks/telegram"}`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, line := range strings.Split(body, "\n") {
		if strings.Contains(line, "pause") && !strings.HasPrefix(line, "#") {
			t.Logf("pause metric: %s", line)
		}
	}
	if status, _ := fetchURL(t, st.Services[0].URL()+"/metrics"); status != http.StatusForbidden {
		t.Errorf("main listener /metrics from loopback with TRUSTED_PROXIES and METRICS_ADDR set: %d, want 403", status)
	}
}

// tgGate stands in front of the fake Bot API (which has no getUpdates):
// closed, it drops every other connection and answers the rest 404 (an
// unknown method); open, it answers getUpdates from its own queue and
// passes everything else through. It counts calls by method.
type tgGate struct {
	url     string
	mu      sync.Mutex
	proxy   http.Handler
	refuse  map[string]int
	pass    map[string]int
	updates []tgQueued
}

type tgQueued struct {
	id   int
	json string
}

func newTGGate(t *testing.T) *tgGate {
	g := &tgGate{refuse: map[string]int{}, pass: map[string]int{}}
	srv := httptest.NewServer(http.HandlerFunc(g.serve))
	t.Cleanup(srv.Close)
	g.url = srv.URL
	return g
}

func (g *tgGate) serve(w http.ResponseWriter, r *http.Request) {
	method := r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	g.mu.Lock()
	proxy := g.proxy
	if proxy == nil {
		g.refuse[method]++
	} else {
		g.pass[method]++
	}
	n := g.refuse[""] + 1
	g.refuse[""] = n
	g.mu.Unlock()
	switch {
	case proxy != nil && method == "getUpdates":
		g.getUpdates(w, r)
	case proxy != nil:
		proxy.ServeHTTP(w, r)
	case n%2 == 0:
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"ok":false,"error_code":404,"description":"Not Found"}`)
	default:
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
	}
}

// getUpdates answers the queued updates from the offset on, or, when there
// are none, an empty list after a short wait (a long poll, shortened).
func (g *tgGate) getUpdates(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	offset, _ := strconv.Atoi(r.Form.Get("offset"))
	var out []string
	for range 10 {
		g.mu.Lock()
		out = out[:0]
		for _, u := range g.updates {
			if u.id >= offset {
				out = append(out, u.json)
			}
		}
		g.mu.Unlock()
		if len(out) > 0 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = io.WriteString(w, `{"ok":true,"result":[`+strings.Join(out, ",")+`]}`)
}

// queue adds a text update for getUpdates.
func (g *tgGate) queue(id, chat int, text string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.updates = append(g.updates, tgQueued{id: id, json: tgUpdate(id, chat, text)})
}

// open lets calls through to target from now on.
func (g *tgGate) open(target string) {
	u, _ := url.Parse(target)
	g.mu.Lock()
	g.proxy = httputil.NewSingleHostReverseProxy(u)
	g.mu.Unlock()
}

// refused counts the calls to method refused while closed ("" for all).
func (g *tgGate) refused(method string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	if method == "" {
		n := 0
		for m, c := range g.refuse {
			if m != "" {
				n += c
			}
		}
		return n
	}
	return g.refuse[method]
}

func (g *tgGate) passed(method string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.pass[method]
}

// tgUpdate is a private chat's text update.
func tgUpdate(id, chat int, text string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":%d,"chat":{"id":%d,"type":"private"},`+
		`"from":{"id":%d,"is_bot":false,"first_name":"A"},"text":%q}}`, id, id, time.Now().Unix(), chat, chat, text)
}

// postTGUpdate posts a Telegram text update to the service's webhook with
// its secret and expects 200.
func postTGUpdate(t *testing.T, st *bench.Stack, id, chat int, text string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, st.Services[0].URL()+"/webhooks/telegram", strings.NewReader(tgUpdate(id, chat, text)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Telegram-Bot-Api-Secret-Token", st.TelegramSecret)
	resp, err := (&http.Client{Timeout: time.Minute}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("Telegram update %d: %s", id, resp.Status)
	}
}

// awaitCond polls cond until it holds and returns how long that took.
func awaitCond(t *testing.T, limit time.Duration, what string, cond func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !cond() {
		if time.Since(start) > limit {
			t.Fatalf("%s: not within %v", what, limit)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return time.Since(start)
}

func fetchURL(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// freeLoopbackAddr returns a loopback address with a port free right now.
func freeLoopbackAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
