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
	"tipline/testdb"
	"tipline/twilio"
	"tipline/twilio/twiliotest"
)

// smsStack is the SMS path alone (the signed webhook, the turn, a real
// database), built once per fuzz target so each input costs one request
// and one turn.
type smsStack struct {
	pool  *pgxpool.Pool
	token string
	url   string
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
	srv := httptest.NewServer(hook.Inbound())
	tb.Cleanup(srv.Close)
	run := make([]byte, 4)
	_, _ = rand.Read(run)
	return &smsStack{pool: pool, token: tw.AuthToken, url: srv.URL + "/webhooks/twilio", run: hex.EncodeToString(run)}
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

// erases reports whether the message is DELETE, whose turn erases the
// sender's messages, itself included (docs/design.md rule 6).
func erases(params url.Values) bool {
	k, ok := flows.ParseKeyword(tipline.CleanText(params.Get("Body")))
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
		want := 0
		if code == http.StatusOK && !erases(form) {
			want = 1
		}
		if n != want {
			t.Fatalf("status %d but %d inbound rows stored", code, n)
		}
	})
}
