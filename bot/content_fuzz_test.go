package bot_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/bot"
	"tipline/directory"
	"tipline/flows"
	"tipline/seal"
	"tipline/telegram"
	"tipline/telegram/telegramtest"
	"tipline/testdb"
	"tipline/twilio"
	"tipline/twilio/twiliotest"
)

// smsStack is the inbound path alone (the verified webhooks, the turn, a
// real database), built once per fuzz target so each input costs one
// request and one turn.
type smsStack struct {
	pool  *pgxpool.Pool
	token string
	url   string // the Twilio webhook
	tgURL string // the Telegram webhook
	sids  atomic.Int64
	run   string // distinguishes this process's MessageSids
}

func newSMSStack(tb testing.TB) *smsStack {
	tb.Helper()
	pool := testdb.New(tb)
	keys, err := seal.ParseKeys(seal.GenerateKey(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	tw := twiliotest.New()
	tb.Cleanup(tw.Close)
	rs, err := directory.Bundled()
	if err != nil {
		tb.Fatal(err)
	}
	engine := &flows.Engine{Dir: directory.New(rs), TZ: time.UTC, Timeout: 30 * time.Minute}
	b := bot.New(pool, keys, engine, tipline.SystemClock{}, nil)
	twc, err := twilio.NewClient(twilio.ClientConfig{AccountSID: tw.AccountSID, AuthToken: tw.AuthToken, From: smsFrom, APIURL: tw.URL})
	if err != nil {
		tb.Fatal(err)
	}
	b.Providers = map[tipline.Channel]tipline.Provider{tipline.ChannelSMS: &twilio.Provider{Client: twc, MPS: 10}}
	hook, err := twilio.NewWebhook(twilio.WebhookConfig{PublicURL: publicURL, AuthToken: tw.AuthToken, OnMessage: b.Handle})
	if err != nil {
		tb.Fatal(err)
	}
	tg, err := telegram.NewWebhook(telegram.WebhookConfig{Secret: tgSecret, OnUpdate: b.Handle})
	if err != nil {
		tb.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/twilio", hook.Inbound())
	mux.Handle("POST /webhooks/telegram", tg)
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	run := make([]byte, 4)
	_, _ = rand.Read(run)
	return &smsStack{pool: pool, token: tw.AuthToken, url: srv.URL + "/webhooks/twilio", tgURL: srv.URL + "/webhooks/telegram",
		run: hex.EncodeToString(run)}
}

// post sends a signed inbound SMS whose From and Body parameters are from
// and body as written on the wire, and returns its MessageSid, its
// parameters as parsed and the status.
func (s *smsStack) post(t *testing.T, from, body []byte) (sid string, params url.Values, code int) {
	sid = fmt.Sprintf("SM%s%024d", s.run, s.sids.Add(1))
	form := "MessageSid=" + sid + "&To=%2B15005550006&From=" + string(from) + "&Body=" + string(body)
	req, err := http.NewRequest(http.MethodPost, s.url, strings.NewReader(form))
	if err != nil {
		t.Fatal(err)
	}
	params, _ = url.ParseQuery(form) // a malformed form is refused before its signature is read
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(twilio.SignatureHeader, twilio.Sign(s.token, publicURL+"/webhooks/twilio", params))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return sid, params, resp.StatusCode
}

// checkRows fails unless a message that should be stored (a 200 for a
// message) was stored once and nothing else was stored. A DELETE erases
// the sender's messages, itself included, now or once its reply is out
// (docs/design.md rule 6), so it may have gone already.
func checkRows(t *testing.T, code, n int, stored, erased bool) {
	t.Helper()
	want := 0
	if stored {
		want = 1
	}
	if n != want && !(erased && n == 0) {
		t.Fatalf("status %d but %d inbound rows stored", code, n)
	}
}

// deletes reports whether text, once cleaned, is the DELETE keyword.
func deletes(text string) bool {
	k, ok := flows.ParseKeyword(tipline.CleanText(text))
	return ok && k.Action == flows.ActDelete
}

// FuzzVerifiedSMS drives arbitrary bytes, as the Body and From of a
// correctly signed inbound SMS, through the real webhook and turn into
// the real database: the answer is never a 5xx, and a 200 means the
// message was stored once (docs/design.md rule 17).
func FuzzVerifiedSMS(f *testing.F) {
	from := []byte("%2B12125550123")
	for _, body := range []string{
		"hello", "", "%00", "%FF", "%00%FF%FE", "\x00", "\xff\xfe", "%ED%A0%80", "\xed\xa0\x80", "%F0%9F%98",
		"i+want+to+ki%00ll+myself", "he+is+going+to+kill+me%FF", "STOP%00", "HELP\xff", "DELETE%00",
		"%25", "%", "%zz", "a&b=c", "&Body=second", "\u00e9t\u00e9%C3", "%F0%9F%98%80",
	} {
		f.Add(from, []byte(body))
	}
	f.Add([]byte("%00"), []byte("hello"))
	f.Add([]byte("+12125550124%00"), []byte("hello"))
	f.Add([]byte("\xff"), []byte("i want to kill myself"))
	f.Add([]byte(""), []byte("hello"))
	s := newSMSStack(f)
	f.Fuzz(func(t *testing.T, from, body []byte) {
		sid, form, code := s.post(t, from, body)
		if code != http.StatusOK && code != http.StatusBadRequest {
			t.Fatalf("status %d for From %q Body %q", code, from, body)
		}
		var n int
		err := s.pool.QueryRow(context.Background(), `SELECT count(*) FROM messages WHERE direction = 'in' AND provider_id = $1`, sid).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		checkRows(t, code, n, code == http.StatusOK, deletes(form.Get("Body")))
	})
}

// FuzzVerifiedTelegram drives arbitrary bytes, written verbatim into the
// text of an update carrying the webhook secret (escapes, raw bytes, and
// whatever else they make of the JSON), through the real webhook and turn
// into the real database: never a 5xx, and a 200 for a text message means
// it was stored once.
func FuzzVerifiedTelegram(f *testing.F) {
	for _, text := range []string{
		"hello", "", `\u0000`, `\ud83d`, `\ude00\ud83d`, `\ud83d\ude00`, "\xff\xfe", "\xed\xa0\x80", `ki\u0000ll`,
		`i want to kill myself\u0000\ud800`, `STOP\u0000`, `DELETE\u0000`, `\`, `"`, `\u00`, `/start abc\u0000`,
	} {
		f.Add([]byte(text))
	}
	s := newSMSStack(f)
	var ids atomic.Int64
	f.Fuzz(func(t *testing.T, text []byte) {
		id := ids.Add(1)
		body := rawTextUpdate(id, 9_000_000+id%64, string(text))
		resp, err := http.DefaultClient.Do(telegramtest.WebhookRequest(s.tgURL, tgSecret, body))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusBadRequest {
			t.Fatalf("status %d for text %q", resp.StatusCode, text)
		}
		in, isMessage, perr := telegram.Parse([]byte(body))
		var n int
		err = s.pool.QueryRow(context.Background(), `SELECT count(*) FROM messages WHERE direction = 'in' AND channel = 'telegram' AND provider_id = $1`,
			fmt.Sprint(id)).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		checkRows(t, resp.StatusCode, n, resp.StatusCode == http.StatusOK && perr == nil && isMessage, deletes(in.Text))
	})
}
