package privacy_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/bot"
	"tipline/directory"
	"tipline/flows"
	"tipline/outbox"
	"tipline/seal"
	"tipline/telegram"
	"tipline/telegram/telegramtest"
	"tipline/twilio"
	"tipline/twilio/twiliotest"
)

// fakes are the provider doubles every instance of a test talks to.
type fakes struct {
	tg *telegramtest.Server
	tw *twiliotest.Server
}

func newFakes(t *testing.T) fakes {
	tw := twiliotest.New()
	t.Cleanup(tw.Close)
	return fakes{tg: telegramtest.New(t), tw: tw}
}

// instance is one Tipline instance (bot and delivery worker) on a shared
// database and fakes, configured with its own keys.
type instance struct {
	bot    *bot.Bot
	worker *outbox.Worker
}

func newInstance(t *testing.T, pool *pgxpool.Pool, keys *seal.Keys, f fakes) *instance {
	t.Helper()
	rs, err := directory.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	engine := &flows.Engine{Dir: directory.New(rs), TZ: time.UTC, Timeout: 30 * time.Minute}
	b := bot.New(pool, keys, engine, nil, nil)
	tgc, err := telegram.New(telegram.Config{Token: f.tg.Token, APIURL: f.tg.URL})
	if err != nil {
		t.Fatal(err)
	}
	twc, err := twilio.NewClient(twilio.ClientConfig{AccountSID: f.tw.AccountSID, AuthToken: f.tw.AuthToken,
		From: "+15005550006", APIURL: f.tw.URL})
	if err != nil {
		t.Fatal(err)
	}
	w := &outbox.Worker{Pool: pool, Keys: keys, Batch: 64, Providers: map[tipline.Channel]tipline.Provider{
		tipline.ChannelTelegram: &telegram.Provider{Client: tgc, BotRate: 100000},
		tipline.ChannelSMS:      &twilio.Provider{Client: twc, MPS: 100000},
	}}
	b.Providers = w.Providers
	return &instance{bot: b, worker: w}
}

// say sends one inbound message from a sender.
func (in *instance) say(ctx context.Context, channel tipline.Channel, sender, providerID, text string) error {
	return in.bot.Handle(ctx, tipline.Inbound{Channel: channel, ProviderID: providerID, SenderID: sender,
		Text: text, ReceivedAt: time.Now()})
}

// drain delivers until nothing is queued (replies wait for their chat's
// rate slot, so this may take a few seconds).
func drain(t *testing.T, pool *pgxpool.Pool, w *outbox.Worker) {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := w.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE direction = 'out' AND status IN ('queued', 'claimed', 'sending')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("outbound queue did not drain")
}
