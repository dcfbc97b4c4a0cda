package outbox_test

import (
	"context"
	"testing"
	"time"

	"tipline"
	"tipline/bot"
	"tipline/directory"
	"tipline/flows"
	"tipline/outbox"
	"tipline/seal"
	"tipline/store"
	"tipline/telegram"
	"tipline/telegram/telegramtest"
	"tipline/testdb"
	"tipline/twilio"
	"tipline/twilio/twiliotest"
)

const (
	publicURL = "https://tipline.example.org"
	smsFrom   = "+15005550006"
	youthSMS  = "+12125550199"
)

// rig is a turn (to queue real replies) and a delivery worker on a real
// database, with the fake Telegram and Twilio on loopback.
type rig struct {
	t      *testing.T
	pool   *store.Pool
	keys   *seal.Keys
	clock  *tipline.FakeClock
	bot    *bot.Bot
	worker *outbox.Worker
	tg     *telegramtest.Server
	tw     *twiliotest.Server
}

func newRig(t *testing.T, clock *tipline.FakeClock) *rig {
	t.Helper()
	keys, err := seal.ParseKeys(seal.GenerateKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, pool: testdb.New(t), keys: keys, clock: clock, tg: telegramtest.New(t), tw: twiliotest.New()}
	t.Cleanup(r.tw.Close)
	rs, err := directory.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	r.worker = r.newWorker()
	r.bot = bot.New(r.pool, keys, &flows.Engine{Dir: directory.New(rs), TZ: time.UTC, Timeout: 30 * time.Minute}, clock, nil)
	r.bot.Providers = r.worker.Providers
	return r
}

// newWorker builds a delivery worker with the channels' real providers.
func (r *rig) newWorker() *outbox.Worker {
	tgc, err := telegram.New(telegram.Config{Token: r.tg.Token, APIURL: r.tg.URL})
	if err != nil {
		r.t.Fatal(err)
	}
	twc, err := twilio.NewClient(twilio.ClientConfig{AccountSID: r.tw.AccountSID, AuthToken: r.tw.AuthToken,
		From: smsFrom, APIURL: r.tw.URL})
	if err != nil {
		r.t.Fatal(err)
	}
	return &outbox.Worker{Pool: r.pool, Keys: r.keys, Clock: r.clock, Providers: map[tipline.Channel]tipline.Provider{
		tipline.ChannelTelegram: &telegram.Provider{Client: tgc},
		tipline.ChannelSMS:      &twilio.Provider{Client: twc, StatusCallback: publicURL + "/webhooks/twilio/status", MPS: 10},
	}}
}

// restart is the same database and fakes with a new worker, as after a
// crash of the process.
func (r *rig) restart() *rig {
	out := *r
	out.worker = r.newWorker()
	return &out
}

// sms runs one inbound SMS through the turn, as the webhook would.
func (r *rig) sms(from, text string) {
	r.t.Helper()
	in, err := twilio.ParseInbound(r.tw.InboundForm(from, text), r.clock.Now())
	if err != nil {
		r.t.Fatal(err)
	}
	if err := r.bot.Handle(context.Background(), in); err != nil {
		r.t.Fatal(err)
	}
}

// telegram runs one raw Telegram update through the turn.
func (r *rig) telegram(update string) {
	r.t.Helper()
	in, ok, err := telegram.Parse([]byte(update))
	if err != nil || !ok {
		r.t.Fatalf("update: ok %v, %v", ok, err)
	}
	if err := r.bot.Handle(context.Background(), in); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rig) runOnce() int {
	r.t.Helper()
	n, err := r.worker.RunOnce(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	return n
}

// drain runs delivery rounds, a second apart on the fake clock, until
// nothing is left to send.
func (r *rig) drain() {
	r.t.Helper()
	for range 50 {
		r.clock.Advance(time.Second)
		r.runOnce()
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

func (r *rig) firstOutbound() (status string, next time.Time) {
	r.t.Helper()
	err := r.pool.QueryRow(context.Background(), `SELECT status, next_attempt_at FROM messages
		WHERE direction = 'out' ORDER BY id LIMIT 1`).Scan(&status, &next)
	if err != nil {
		r.t.Fatal(err)
	}
	return status, next
}
