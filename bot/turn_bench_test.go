package bot_test

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/bot"
	"tipline/directory"
	"tipline/flows"
	"tipline/outbox"
	"tipline/seal"
	"tipline/testdb"
	"tipline/twilio"
	"tipline/twilio/twiliotest"
)

// benchScript is a continuing help conversation, as tipline bench sends it.
var benchScript = []string{"1", "1", "10001", "MENU"}

// benchBot is a bot on a fresh database with the bundled directory.
func benchBot(b *testing.B) (*bot.Bot, *pgxpool.Pool, *seal.Keys) {
	b.Helper()
	pool := testdb.New(b)
	keys, err := seal.ParseKeys(seal.GenerateKey(), nil)
	if err != nil {
		b.Fatal(err)
	}
	rs, err := directory.Bundled()
	if err != nil {
		b.Fatal(err)
	}
	engine := &flows.Engine{Dir: directory.New(rs), TZ: time.UTC, Timeout: 30 * time.Minute}
	return bot.New(pool, keys, engine, nil, nil), pool, keys
}

// warmTurns opens n SMS conversations and returns their numbers.
func warmTurns(b *testing.B, bt *bot.Bot, n int) []string {
	b.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = "+1212" + strconv.Itoa(5000000+i)
		if err := bt.Handle(context.Background(), smsInbound(ids[i], "hi", "warm"+strconv.Itoa(i))); err != nil {
			b.Fatal(err)
		}
	}
	return ids
}

func smsInbound(from, text, sid string) tipline.Inbound {
	return tipline.Inbound{Channel: tipline.ChannelSMS, ProviderID: "SM" + sid, SenderID: from, Text: text,
		Country: "US", ReceivedAt: time.Now()}
}

// BenchmarkTurn is one inbound message of a continuing conversation through
// bot.Handle on a real database: sealing, the transaction, the flow step,
// the replies queued (no HTTP, no delivery). -cpu sets how many turns run
// at once.
func BenchmarkTurn(b *testing.B) {
	bt, _, _ := benchBot(b)
	ids := warmTurns(b, bt, 256)
	var n atomic.Int64
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := int(n.Add(1))
			in := smsInbound(ids[i%len(ids)], benchScript[i/len(ids)%len(benchScript)], run+"-"+strconv.Itoa(i))
			if err := bt.Handle(context.Background(), in); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkDelivery is the worker sending queued SMS replies to the fake
// Twilio: claim, rate reservation, attempt, send, record; per reply.
func BenchmarkDelivery(b *testing.B) {
	bt, pool, keys := benchBot(b)
	tw := twiliotest.New()
	defer tw.Close()
	client, err := twilio.NewClient(twilio.ClientConfig{AccountSID: tw.AccountSID, AuthToken: tw.AuthToken,
		From: "+15005550006", APIURL: tw.URL})
	if err != nil {
		b.Fatal(err)
	}
	w := &outbox.Worker{Pool: pool, Keys: keys, Providers: map[tipline.Channel]tipline.Provider{
		tipline.ChannelSMS: &twilio.Provider{Client: client, MPS: 1e6}}}
	warmTurns(b, bt, b.N)
	b.ResetTimer()
	for sent := 0; sent < b.N; {
		n, err := w.RunOnce(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		if n == 0 {
			break
		}
		sent += n
	}
}
