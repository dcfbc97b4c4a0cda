package webchat_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/bot"
	"tipline/directory"
	"tipline/flows"
	"tipline/outbox"
	"tipline/seal"
	"tipline/server"
	"tipline/testdb"
	"tipline/webchat"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// rig is the web chat on a real database with a real bot and outbox,
// served through the production middleware over loopback.
type rig struct {
	t      *testing.T
	pool   *pgxpool.Pool
	keys   *seal.Keys
	bot    *bot.Bot
	worker *outbox.Worker
	srv    *httptest.Server
}

func newRig(t *testing.T, limits webchat.Limits) *rig {
	t.Helper()
	pool := testdb.New(t)
	keys := must(seal.ParseKeys(seal.GenerateKey(), nil))
	engine := &flows.Engine{Dir: directory.New(must(directory.Bundled())), TZ: time.UTC, Timeout: 30 * time.Minute}
	b := bot.New(pool, keys, engine, nil, nil)
	hub := webchat.NewHub()
	w := &outbox.Worker{Pool: pool, Keys: keys,
		Providers: map[tipline.Channel]tipline.Provider{tipline.ChannelWebChat: webchat.NewProvider(hub)}}
	h := webchat.NewHandler(webchat.Config{Bot: b, DB: pool, Keys: keys, Hub: hub, ExitURL: "https://exit.example/",
		Origins: []string{"https://www.example.org"}, Limits: limits, Poll: 100 * time.Millisecond, StreamFor: 1500 * time.Millisecond})
	srv := httptest.NewServer(server.New(server.Options{Routes: []server.Route{
		{Pattern: "/chat", Handler: h}, {Pattern: "/chat/", Handler: h}}}))
	t.Cleanup(srv.Close)
	return &rig{t: t, pool: pool, keys: keys, bot: b, worker: w, srv: srv}
}

// do sends a request and returns the response (body read) and its body.
func (r *rig) do(method, path, token, body string, hdr map[string]string) (*http.Response, string) {
	r.t.Helper()
	req := must(http.NewRequest(method, r.srv.URL+path, strings.NewReader(body)))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set(webchat.TokenHeader, token)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// session asks for a new session token.
func (r *rig) session() string {
	r.t.Helper()
	resp, body := r.do("POST", "/chat/api/session", "", "", nil)
	if resp.StatusCode != http.StatusOK {
		r.t.Fatalf("session: %d %s", resp.StatusCode, body)
	}
	var s struct{ Token string }
	if err := json.Unmarshal([]byte(body), &s); err != nil || s.Token == "" {
		r.t.Fatalf("session: %q", body)
	}
	return s.Token
}

// send posts one text as the session; it returns the status.
func (r *rig) send(token string, in webchat.Input) int {
	r.t.Helper()
	if in.ID == "" {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		in.ID = hex.EncodeToString(b)
	}
	b := must(json.Marshal(in))
	resp, _ := r.do("POST", "/chat/api/send", token, string(b), nil)
	return resp.StatusCode
}

// deliver runs the delivery worker until nothing is due.
func (r *rig) deliver() {
	r.t.Helper()
	for {
		n, err := r.worker.RunOnce(context.Background())
		if err != nil {
			r.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// event is one server-sent event's data.
type event struct {
	Cursor   int64             `json:"cursor"`
	Messages []webchat.Message `json:"messages"`
	Gone     bool              `json:"gone"`
}

// stream opens the session's stream after cursor and collects its events
// until it ends (StreamFor) or until it holds want messages.
func (r *rig) stream(token string, after int64, want int) []event {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req := must(http.NewRequestWithContext(ctx, "GET", r.srv.URL+"/chat/api/stream?after="+itoa(after), nil))
	req.Header.Set(webchat.TokenHeader, token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/event-stream" {
		r.t.Fatalf("stream: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var out []event
	n := 0
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "data: ")
		if !ok {
			continue
		}
		var ev event
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			r.t.Fatalf("event %q: %v", line, err)
		}
		out = append(out, ev)
		if n += len(ev.Messages); want > 0 && n >= want {
			break
		}
	}
	return out
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
