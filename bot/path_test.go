package bot_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline"
	"tipline/telegram/telegramtest"
	"tipline/twilio/twiliotest"
)

var t0 = time.Date(2026, 11, 25, 15, 0, 0, 0, time.UTC)

func TestSMSAnsweredOnceWithExactRequests(t *testing.T) {
	t.Parallel()
	r := newRig(t, tipline.NewFakeClock(t0))
	form := r.tw.InboundForm(youthSMS, "hello")
	for i := 0; i < 3; i++ { // Twilio retries: the same MessageSid three times
		if code := r.postSMS(form); code != 200 {
			t.Fatalf("delivery %d: status %d", i, code)
		}
	}
	if n := r.count(`SELECT count(*) FROM messages WHERE direction = 'in'`); n != 1 {
		t.Fatalf("inbound stored %d times", n)
	}
	queued := r.count(`SELECT count(*) FROM messages WHERE direction = 'out'`)
	if queued == 0 {
		t.Fatal("no reply queued")
	}
	r.drain()
	creates := r.tw.Creates()
	if len(creates) != queued {
		t.Fatalf("provider got %d sends for %d replies", len(creates), queued)
	}
	var body string
	if err := r.pool.QueryRow(context.Background(), `SELECT reply->>'text' FROM messages WHERE direction = 'out' ORDER BY id LIMIT 1`).Scan(&body); err != nil {
		t.Fatal(err)
	}
	c := creates[0]
	if c.To != youthSMS || c.From != smsFrom || c.StatusCallback != publicURL+"/webhooks/twilio/status" || c.ValidityPeriod != 600 {
		t.Errorf("unexpected send: to=%q from=%q cb=%q validity=%d", c.To, c.From, c.StatusCallback, c.ValidityPeriod)
	}
	if !strings.HasPrefix(c.Body, body) {
		t.Errorf("sent body %q does not start with the stored reply %q", c.Body, body)
	}
	// The status callback moves the row to delivered.
	if err := r.tw.DeliverStatus(context.Background(), r.srv.URL, r.tw.Messages()[0].Sid, "delivered", 0); err != nil {
		t.Fatal(err)
	}
	if n := r.count(`SELECT count(*) FROM messages WHERE status = 'delivered'`); n != 1 {
		t.Fatalf("delivered rows = %d", n)
	}
	// Nothing about the sender is stored in clear.
	if n := r.count(`SELECT count(*) FROM messages m WHERE m.body LIKE '%2125550199%' OR m.target LIKE '%2125550199%'`); n != 0 {
		t.Fatal("phone number stored in clear")
	}
}

func TestForgedAndMalformedWebhooks(t *testing.T) {
	t.Parallel()
	r := newRig(t, tipline.NewFakeClock(t0))
	form := r.tw.InboundForm(youthSMS, "hello")
	req, _ := twiliotest.SignedRequest(context.Background(), r.srv.URL+"/webhooks/twilio", publicURL+"/webhooks/twilio", "wrong-token", form)
	if code := do(t, req); code != 403 {
		t.Errorf("forged SMS: %d", code)
	}
	// Signed over a different host (as if the Host header were trusted).
	req, _ = twiliotest.SignedRequest(context.Background(), r.srv.URL+"/webhooks/twilio", r.srv.URL+"/webhooks/twilio", r.tw.AuthToken, form)
	if code := do(t, req); code != 403 {
		t.Errorf("SMS signed over the Host header: %d", code)
	}
	if code := do(t, telegramtest.WebhookRequest(r.srv.URL+"/webhooks/telegram", "not-the-secret", telegramtest.TextUpdate(1, 42, "hi"))); code != 403 {
		t.Errorf("forged Telegram: %d", code)
	}
	if code := r.postTelegram(`{"update_id":`); code != 400 {
		t.Errorf("malformed Telegram: %d", code)
	}
	bad := url.Values{"Body": {"no sid"}}
	if code := r.postSMS(bad); code != 400 {
		t.Errorf("malformed SMS: %d", code)
	}
	if n := r.count(`SELECT count(*) FROM messages`); n != 0 {
		t.Fatalf("%d rows stored from bad requests", n)
	}
}

func TestTelegramAnsweredOnceWithExactRequests(t *testing.T) {
	t.Parallel()
	r := newRig(t, tipline.NewFakeClock(t0))
	upd := telegramtest.TextUpdate(1001, 555000111, "hello")
	for i := 0; i < 2; i++ {
		if code := r.postTelegram(upd); code != 200 {
			t.Fatalf("status %d", code)
		}
	}
	queued := r.count(`SELECT count(*) FROM messages WHERE direction = 'out'`)
	r.drain()
	sent := r.tg.Sent()
	if len(sent) != queued || queued == 0 {
		t.Fatalf("sent %d of %d replies", len(sent), queued)
	}
	var text string
	if err := r.pool.QueryRow(context.Background(), `SELECT reply->>'text' FROM messages WHERE direction = 'out' ORDER BY id LIMIT 1`).Scan(&text); err != nil {
		t.Fatal(err)
	}
	if sent[0].ChatID() != 555000111 || sent[0].Text() != text {
		t.Errorf("sendMessage chat=%d text=%q, want 555000111 %q", sent[0].ChatID(), sent[0].Text(), text)
	}
}

func TestTwoInstancesSameUpdateStoredAndAnsweredOnce(t *testing.T) {
	t.Parallel()
	r := newRig(t, tipline.SystemClock{})
	r2 := r.instance()
	upd := telegramtest.TextUpdate(77, 4242, "hello")
	form := r.tw.InboundForm(youthSMS, "hello")
	var wg sync.WaitGroup
	for i := 0; i < 10; i++ {
		target := r
		if i%2 == 1 {
			target = r2
		}
		wg.Add(2)
		go func() { defer wg.Done(); target.postTelegram(upd) }()
		go func() { defer wg.Done(); target.postSMS(form) }()
	}
	wg.Wait()
	if n := r.count(`SELECT count(*) FROM messages WHERE direction = 'in'`); n != 2 {
		t.Fatalf("inbound rows = %d, want 2", n)
	}
	if n := r.count(`SELECT count(*) FROM conversations`); n != 2 {
		t.Fatalf("conversations = %d, want 2", n)
	}
	queued := r.count(`SELECT count(*) FROM messages WHERE direction = 'out'`)
	done := make(chan struct{})
	go func() { r2.drain(); close(done) }()
	r.drain()
	<-done
	if got := len(r.tg.Sent()) + len(r.tw.Creates()); got != queued {
		t.Fatalf("sent %d for %d queued replies", got, queued)
	}
}

func TestOneChatHandledInUpdateOrderAcrossInstances(t *testing.T) {
	t.Parallel()
	r := newRig(t, tipline.SystemClock{})
	r2 := r.instance()
	const chat = 90001
	if code := r.postTelegram(telegramtest.TextUpdate(1000, chat, "hello")); code != 200 {
		t.Fatal(code)
	}
	// Each update is sent once the previous one has reached Tipline (it is
	// announced or stored), without waiting for its answer: 50 requests of
	// one chat in flight together over two instances, arriving in order.
	var wg sync.WaitGroup
	for i := 1; i <= 50; i++ {
		target := r
		if i%2 == 0 {
			target = r2
		}
		seq := int64(1000 + i*3)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if code := target.postTelegram(telegramtest.TextUpdate(seq, chat, "message")); code != 200 {
				t.Errorf("update %d: %d", seq, code)
			}
		}()
		r.waitArrived(seq)
	}
	wg.Wait()
	rows, err := r.pool.Query(context.Background(), `SELECT provider_id::bigint FROM messages WHERE direction = 'in' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var prev, n int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		if id < prev {
			t.Errorf("update %d handled after %d", id, prev)
		}
		prev = id
		n++
	}
	if n != 51 {
		t.Fatalf("handled %d of 51 updates", n)
	}
}

// waitArrived waits until an update has reached Tipline: announced in
// flight or already stored.
func (r *rig) waitArrived(seq int64) {
	r.t.Helper()
	for i := 0; i < 2000; i++ {
		if r.count(`SELECT count(*) FROM inflight WHERE seq = $1`, seq)+
			r.count(`SELECT count(*) FROM messages WHERE direction = 'in' AND provider_id = $1`, strconv.FormatInt(seq, 10)) > 0 {
			return
		}
		time.Sleep(time.Millisecond)
	}
	r.t.Fatalf("update %d never arrived", seq)
}
