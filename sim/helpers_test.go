package sim_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
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
	"tipline/sim"
	"tipline/testdb"
)

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// rig is the simulator on a real database with a real bot, served through
// the production middleware (security headers and CSP included).
type rig struct {
	t      *testing.T
	pool   *pgxpool.Pool
	keys   *seal.Keys
	engine *flows.Engine
	bot    *bot.Bot
	worker *outbox.Worker
	srv    *httptest.Server
	client *http.Client
}

func newRig(t *testing.T) *rig {
	t.Helper()
	pool := testdb.New(t)
	keys := must(seal.ParseKeys(seal.GenerateKey(), nil))
	engine := &flows.Engine{Dir: directory.New(must(directory.Bundled())), TZ: time.UTC, Timeout: 30 * time.Minute}
	b := bot.New(pool, keys, engine, nil, nil)
	b.Pager.Targets = []string{"telegram"} // a real conversation would page; a simulated one must not
	w := &outbox.Worker{Pool: pool, Keys: keys, Providers: map[tipline.Channel]tipline.Provider{tipline.ChannelSim: sim.Provider{}}}
	h := sim.NewHandler(sim.Config{Bot: b, DB: pool, Keys: keys})
	srv := httptest.NewServer(server.New(server.Options{Routes: []server.Route{{Pattern: "/sim/", Handler: h}}}))
	t.Cleanup(srv.Close)
	jar := must(cookiejar.New(nil))
	return &rig{t: t, pool: pool, keys: keys, engine: engine, bot: b, worker: w, srv: srv,
		client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// firstAnswer is the bot's first reply to text in a fresh conversation,
// computed by the flows directly.
func (r *rig) firstAnswer(text string) tipline.Reply {
	out := r.engine.Step(flows.State{}, flows.Input{Channel: tipline.ChannelSim, Text: text}, time.Now())
	if len(out.Replies) == 0 {
		r.t.Fatalf("the flows give no answer to %q", text)
	}
	return out.Replies[0]
}

// do sends a request and returns the status and body.
func (r *rig) do(method, path, body string, hdr map[string]string) (int, string) {
	r.t.Helper()
	req := must(http.NewRequest(method, r.srv.URL+path, strings.NewReader(body)))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		r.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// transcript is GET /sim/api/messages, decoded.
type transcript struct {
	Conversation *sim.Conversation `json:"conversation"`
	Messages     []sim.Message     `json:"messages"`
}

func (r *rig) messages() transcript {
	r.t.Helper()
	code, body := r.do("GET", "/sim/api/messages", "", nil)
	if code != http.StatusOK {
		r.t.Fatalf("messages: %d %s", code, body)
	}
	var tr transcript
	if err := json.Unmarshal([]byte(body), &tr); err != nil {
		r.t.Fatalf("messages: %v in %s", err, body)
	}
	return tr
}

func (r *rig) send(body string) {
	r.t.Helper()
	if code, resp := r.do("POST", "/sim/api/send", body, nil); code != http.StatusOK {
		r.t.Fatalf("send %s: %d %s", body, code, resp)
	}
}

// session is the sim session id the client's cookie holds.
func (r *rig) session() string {
	for _, c := range r.client.Jar.Cookies(must(http.NewRequest("GET", r.srv.URL+"/sim/", nil)).URL) {
		if c.Name == sim.CookieName {
			return c.Value
		}
	}
	return ""
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
