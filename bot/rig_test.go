package bot_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/bot"
	"tipline/directory"
	"tipline/flows"
	"tipline/outbox"
	"tipline/seal"
	"tipline/sim"
	"tipline/telegram"
	"tipline/telegram/telegramtest"
	"tipline/testdb"
	"tipline/twilio"
	"tipline/twilio/twiliotest"
)

const (
	publicURL = "https://tipline.example.org"
	tgSecret  = "test_secret-123"
	smsFrom   = "+15005550006"
	youthSMS  = "+12125550199"
)

// rig is one Tipline instance (bot, webhooks, worker) on a real database,
// with fake providers on loopback.
type rig struct {
	t      *testing.T
	pool   *pgxpool.Pool
	keys   *seal.Keys
	clock  tipline.Clock
	bot    *bot.Bot
	worker *outbox.Worker
	tg     *telegramtest.Server
	tw     *twiliotest.Server
	srv    *httptest.Server
}

func newRig(t *testing.T, clock tipline.Clock) *rig {
	t.Helper()
	pool := testdb.New(t)
	keys, err := seal.ParseKeys(seal.GenerateKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	tg := telegramtest.New(t)
	tw := twiliotest.New()
	t.Cleanup(tw.Close)
	r := &rig{t: t, pool: pool, keys: keys, clock: clock, tg: tg, tw: tw}
	r.instance()
	return r
}

// instance builds a bot, worker and HTTP server on the rig's database and
// fakes; calling it again gives a second instance (or a restart).
func (r *rig) instance() *rig {
	t := r.t
	rs, err := directory.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	engine := &flows.Engine{Dir: directory.New(rs), TZ: time.UTC, Timeout: 30 * time.Minute}
	b := bot.New(r.pool, r.keys, engine, r.clock, nil)
	tgc, err := telegram.New(telegram.Config{Token: r.tg.Token, APIURL: r.tg.URL})
	if err != nil {
		t.Fatal(err)
	}
	twc, err := twilio.NewClient(twilio.ClientConfig{AccountSID: r.tw.AccountSID, AuthToken: r.tw.AuthToken,
		From: smsFrom, APIURL: r.tw.URL})
	if err != nil {
		t.Fatal(err)
	}
	w := &outbox.Worker{Pool: r.pool, Keys: r.keys, Clock: r.clock, Providers: map[tipline.Channel]tipline.Provider{
		tipline.ChannelTelegram: &telegram.Provider{Client: tgc},
		tipline.ChannelSMS:      &twilio.Provider{Client: twc, StatusCallback: publicURL + "/webhooks/twilio/status", MPS: 10},
		tipline.ChannelSim:      sim.Provider{},
	}}
	mux := http.NewServeMux()
	hook, err := telegram.NewWebhook(telegram.WebhookConfig{Secret: tgSecret, OnUpdate: b.Handle})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("POST /webhooks/telegram", hook)
	twh, err := twilio.NewWebhook(twilio.WebhookConfig{PublicURL: publicURL, AuthToken: r.tw.AuthToken, OnMessage: b.Handle,
		OnStatus: statusHandler(r.pool)})
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("POST /webhooks/twilio", twh.Inbound())
	mux.Handle("POST /webhooks/twilio/status", twh.Status())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	out := *r
	b.Providers = w.Providers
	out.bot, out.worker, out.srv = b, w, srv
	if r.bot == nil {
		r.bot, r.worker, r.srv = b, w, srv
		return r
	}
	return &out
}

// postSMS sends a signed inbound SMS form and returns the status code.
func (r *rig) postSMS(form url.Values) int {
	r.t.Helper()
	req, err := twiliotest.SignedRequest(context.Background(), r.srv.URL+"/webhooks/twilio", publicURL+"/webhooks/twilio", r.tw.AuthToken, form)
	if err != nil {
		r.t.Fatal(err)
	}
	return do(r.t, req)
}

// postTelegram posts a raw update with the webhook secret.
func (r *rig) postTelegram(body string) int {
	r.t.Helper()
	return do(r.t, telegramtest.WebhookRequest(r.srv.URL+"/webhooks/telegram", tgSecret, body))
}

func do(t *testing.T, req *http.Request) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// drain runs delivery rounds, moving a fake clock on between them, until
// nothing is left to send.
func (r *rig) drain() {
	r.t.Helper()
	ctx := context.Background()
	for i := 0; i < 50; i++ {
		if fc, ok := r.clock.(*tipline.FakeClock); ok {
			fc.Advance(time.Second)
		} else {
			time.Sleep(50 * time.Millisecond)
		}
		if _, err := r.worker.RunOnce(ctx); err != nil {
			r.t.Fatal(err)
		}
		if r.count(`SELECT count(*) FROM messages WHERE direction = 'out' AND status IN ('queued', 'claimed', 'sending')`) == 0 {
			return
		}
	}
	r.t.Fatal("outbound queue did not drain")
}

func (r *rig) count(sql string, args ...any) int {
	r.t.Helper()
	var n int
	if err := r.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		r.t.Fatalf("%s: %v", sql, err)
	}
	return n
}
