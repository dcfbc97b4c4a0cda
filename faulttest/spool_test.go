package faulttest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"tipline/bench"
	"tipline/telegram/telegramtest"
	"tipline/twilio"
)

// outageDanger is a message the risk screen reads as danger.
const outageDanger = "i want to kill myself tonight"

// TestPostgresOutageAnswered stops PostgreSQL (a private cluster) for 30 s
// under load (issue 15, acceptance 2; docs/design.md rule 16). While it is
// down, a danger SMS and a danger Telegram message get 911 in the webhook
// response itself, and an ordinary message gets 503. When it is back, the
// instance replays its spool: each of them is stored once, the inline
// answers are recorded as sent and never sent again, the ordinary one is
// answered, and nothing the load had accepted is lost.
func TestPostgresOutageAnswered(t *testing.T) {
	t.Parallel()
	spoolDir := t.TempDir()
	settings := maps.Clone(fast)
	settings["SPOOL_DIR"] = spoolDir
	st := stack(t, true, 1, settings)
	ctx := context.Background()
	ld := bench.NewLoad(ctx, st, bench.Options{Concurrency: 8, Senders: 50, NewShare: 0.2, DupShare: 0.05,
		Think: 200 * time.Millisecond, Seed: 15})
	ld.Warm(ctx)
	done := make(chan struct{})
	go func() {
		ld.Run(ctx, 800)
		close(done)
	}()
	waitUnique(t, ld, 200, done)
	restarted := make(chan error, 1)
	go func() { restarted <- st.DB.Restart(ctx, 30*time.Second) }()
	waitReady(t, st, false, 20*time.Second)
	t.Logf("PostgreSQL down after %d accepted messages", ld.Stats().Unique)
	time.Sleep(2 * time.Second)

	o := outageSenders{sms: "+15559990142", plain: "+15559990143", chat: 5_100_000_001, update: 2_000_000_001}
	o.during(t, st)
	if err := <-restarted; err != nil {
		t.Fatal(err)
	}
	t.Logf("PostgreSQL back")
	waitSpoolEmpty(t, spoolDir, 2*time.Minute)
	<-done
	if err := st.Drain(ctx, 3*time.Minute); err != nil {
		t.Fatal(err)
	}
	checkOutage(t, st, ld)
	o.after(t, st)
	logSpoolMetrics(t, st)
}

// outageSenders are the people who write while the database is down.
type outageSenders struct {
	sms, plain     string // phone numbers
	chat, update   int64  // Telegram chat and update id
	smsID, plainID string // MessageSids
}

// during sends the danger SMS, the danger Telegram message and an ordinary
// SMS while the database is down, and checks the answers.
func (o *outageSenders) during(t *testing.T, st *bench.Stack) {
	t.Helper()
	o.smsID, o.plainID = "SMoutage"+randomID(), "SMoutage"+randomID()
	start := time.Now()
	status, body := postSMS(t, st, o.smsID, o.sms, outageDanger)
	if status != 200 || !strings.Contains(body, "<Message>") || !strings.Contains(body, "911") {
		t.Errorf("danger SMS while down: %d %q, want 200 with a TwiML <Message> giving 911", status, body)
	}
	t.Logf("danger SMS answered inline in %v", time.Since(start).Round(time.Millisecond))
	update := fmt.Sprintf(`{"update_id":%d,"message":{"message_id":1,"date":1700000000,`+
		`"from":{"id":%d,"is_bot":false,"first_name":"T","language_code":"en"},`+
		`"chat":{"id":%d,"type":"private"},"text":%q}}`, o.update, o.chat, o.chat, outageDanger)
	resp, err := http.DefaultClient.Do(telegramtest.WebhookRequest(st.Services[0].URL()+"/webhooks/telegram", st.TelegramSecret, update))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var call struct {
		Method string `json:"method"`
		ChatID int64  `json:"chat_id"`
		Text   string `json:"text"`
	}
	if resp.StatusCode != 200 || json.Unmarshal(raw, &call) != nil || call.Method != "sendMessage" ||
		call.ChatID != o.chat || !strings.Contains(call.Text, "911") {
		t.Errorf("danger Telegram message while down: %d %s", resp.StatusCode, raw)
	}
	if status, body := postSMS(t, st, o.plainID, o.plain, "hi"); status != http.StatusServiceUnavailable {
		t.Errorf("ordinary SMS while down: %d %q, want 503", status, body)
	}
}

// after checks, once the spool is replayed, that each message is stored
// once, the inline answers are the only 911 rows of their conversations,
// recorded sent and never sent by the providers, and the ordinary message
// is answered.
func (o *outageSenders) after(t *testing.T, st *bench.Stack) {
	t.Helper()
	ctx := context.Background()
	sends := st.Fakes.SendCounts()
	for _, c := range []struct {
		channel, id, provID string
		danger              bool
	}{
		{"sms", o.sms, o.smsID, true},
		{"telegram", fmt.Sprint(o.chat), fmt.Sprint(o.update), true},
		{"sms", o.plain, o.plainID, false},
	} {
		var stored, answers, inline911, queued911, providerSent int
		err := st.Pool.QueryRow(ctx, `WITH conv AS (
				SELECT v.id FROM conversations v JOIN contacts k ON k.id = v.contact_id
				WHERE k.channel = $1 AND k.id_hash = $2)
			SELECT (SELECT count(*) FROM messages WHERE direction = 'in' AND channel = $1 AND provider_id = $3),
				count(*) FILTER (WHERE m.direction = 'out'),
				count(*) FILTER (WHERE m.direction = 'out' AND m.body LIKE '%911%' AND m.status = 'sent' AND m.attempts = 0),
				count(*) FILTER (WHERE m.direction = 'out' AND m.body LIKE '%911%' AND (m.status <> 'sent' OR m.attempts > 0)),
				count(*) FILTER (WHERE m.direction = 'out' AND m.status IN ('sent', 'delivered', 'read', 'accepted', 'undelivered') AND m.attempts > 0)
			FROM messages m WHERE m.conversation_id IN (SELECT id FROM conv)`,
			c.channel, st.Keys.Hash(c.channel, c.id), c.provID).Scan(&stored, &answers, &inline911, &queued911, &providerSent)
		if err != nil {
			t.Fatal(err)
		}
		got := sends[c.channel+":"+c.id]
		t.Logf("%s %s: stored %d, replies %d, inline 911 %d, other 911 rows %d, provider sends %d (rows sent by the outbox %d)",
			c.channel, c.provID, stored, answers, inline911, queued911, got, providerSent)
		if stored != 1 || answers == 0 {
			t.Errorf("%s %s: stored %d times with %d replies, want once and answered", c.channel, c.provID, stored, answers)
		}
		if c.danger && (inline911 != 1 || queued911 != 0) {
			t.Errorf("%s %s: %d inline answers recorded sent and %d other 911 rows, want 1 and 0 (911 never twice)",
				c.channel, c.provID, inline911, queued911)
		}
		if got != providerSent {
			t.Errorf("%s %s: the provider got %d sends for %d rows sent through it", c.channel, c.provID, got, providerSent)
		}
	}
}

// checkOutage is verify (main_test.go) for this test: the two inline
// answers are the only rows recorded sent that no provider API received.
func checkOutage(t *testing.T, st *bench.Stack, ld *bench.Load) {
	t.Helper()
	if s := ld.Stats(); s.Abandoned > 0 {
		t.Errorf("%d deliveries never got a 200 (first failure: %s)", s.Abandoned, ld.FirstError())
	}
	c, err := st.Check(context.Background(), ld)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("load: %+v; check: %+v", ld.Stats(), c)
	if c.Lost != 0 || c.StoredTwice != 0 {
		t.Errorf("%d accepted messages lost, %d stored twice", c.Lost, c.StoredTwice)
	}
	if c.Unanswered != 0 || c.Failed != 0 || c.Expired != 0 || c.Pending != 0 {
		t.Errorf("%d turns without a reply; %d replies failed, %d expired, %d pending", c.Unanswered, c.Failed, c.Expired, c.Pending)
	}
	if c.Doubled != 0 || c.NotReceived != 2 {
		t.Errorf("%d sends doubled; %d rows recorded sent without a provider send, want 2 (the inline answers)", c.Doubled, c.NotReceived)
	}
}

// postSMS posts a signed inbound SMS to the first instance.
func postSMS(t *testing.T, st *bench.Stack, sid, from, text string) (int, string) {
	t.Helper()
	form := url.Values{"MessageSid": {sid}, "SmsSid": {sid}, "AccountSid": {st.Fakes.TwilioSID}, "From": {from},
		"To": {"+15005550006"}, "Body": {text}, "NumMedia": {"0"}, "FromCountry": {"US"}}
	req, err := http.NewRequest(http.MethodPost, st.Services[0].URL()+"/webhooks/twilio", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(twilio.SignatureHeader, twilio.Sign(st.Fakes.TwilioToken, st.PublicURL+"/webhooks/twilio", form))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// waitReady waits until /readyz of the first instance says want.
func waitReady(t *testing.T, st *bench.Stack, want bool, limit time.Duration) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for st.Ready(context.Background(), 0) != want {
		if time.Now().After(deadline) {
			t.Fatalf("/readyz not %v after %v", want, limit)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitSpoolEmpty waits until the instance has replayed its spool.
func waitSpoolEmpty(t *testing.T, dir string, limit time.Duration) {
	t.Helper()
	start := time.Now()
	for {
		des, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, de := range des {
			if strings.HasSuffix(de.Name(), ".msg") {
				n++
			}
		}
		if n == 0 {
			t.Logf("spool replayed %v after the restart", time.Since(start).Round(100*time.Millisecond))
			return
		}
		if time.Since(start) > limit {
			t.Fatalf("%d spooled messages still waiting after %v", n, limit)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// logSpoolMetrics logs the degraded path's counters from /metrics.
func logSpoolMetrics(t *testing.T, st *bench.Stack) {
	t.Helper()
	resp, err := http.Get(st.Services[0].URL() + "/metrics")
	if err != nil {
		t.Logf("metrics: %v", err)
		return
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(raw), "\n") {
		if (strings.HasPrefix(line, "tipline_spool_") || strings.HasPrefix(line, "tipline_degraded_")) && !strings.HasSuffix(line, " 0") {
			t.Log(line)
		}
	}
}

func randomID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
