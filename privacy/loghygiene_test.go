package privacy_test

import (
	"context"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"tipline/seal"
	"tipline/store"
	"tipline/telegram/telegramtest"
	"tipline/testdb"
	"tipline/twilio/twiliotest"
)

// stack is a built binary, its environment and fake providers.
type stack struct {
	bin     string
	env     map[string]string
	key     string
	log     *syncBuffer
	tg      *telegramtest.Server
	tw      *twiliotest.Server
	tgProxy *dropProxy
}

func newStack(t *testing.T, dbURL string) *stack {
	t.Helper()
	s := &stack{bin: buildTipline(t), key: seal.GenerateKey(), log: &syncBuffer{}}
	s.tg = telegramtest.NewWithToken(t, botToken)
	s.tw = twiliotest.New()
	s.tw.AuthToken = twilioToken
	t.Cleanup(s.tw.Close)
	s.tgProxy = newDropProxy(t, s.tg.URL)
	s.env = map[string]string{
		"DATABASE_URL": dbURL, "PUBLIC_URL": publicURL, "TIPLINE_SECRET_KEY": s.key,
		"TELEGRAM_BOT_TOKEN": botToken, "TELEGRAM_WEBHOOK_SECRET": webhookSecret, "TELEGRAM_API_URL": s.tgProxy.srv.URL,
		"TWILIO_ACCOUNT_SID": s.tw.AccountSID, "TWILIO_AUTH_TOKEN": twilioToken, "TWILIO_FROM": twiliotest.Number,
		"TWILIO_API_URL": s.tw.URL, "TWILIO_MPS": "50", "STAFF_ALERT_SMS": staffAlertSMS, "STAFF_ALERT_TELEGRAM_CHAT_ID": staffChat,
		"LOG_LEVEL": "debug", "SIM_ENABLED": "true",
	}
	return s
}

// serve starts the binary and a session on it.
func (s *stack) serve(t *testing.T) *session {
	t.Helper()
	p := startServe(t, s.bin, s.env, s.log)
	pool, err := store.Open(context.Background(), s.env["DATABASE_URL"])
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	keys, err := seal.ParseKeys(s.key, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &session{t: t, p: p, pool: pool, keys: keys, tg: s.tg, tw: s.tw, update: 5000}
}

// TestLogsHoldNoSecrets runs the real binary at debug level through every
// flow, the error paths, a staff login and the operator commands, and
// finds none of the marker values in what it printed.
func TestLogsHoldNoSecrets(t *testing.T) {
	t.Parallel()
	s := newStack(t, testdb.URL(t))
	t.Cleanup(func() {
		if t.Failed() || testing.Verbose() {
			t.Logf("output:\n%s", s.log)
		}
	})
	runTool(t, s.bin, s.env, s.log, "", "migrate")
	runTool(t, s.bin, s.env, s.log, staffPassword+"\n", "staff", "add", "--email", "ops@example.org", "--role", "admin")
	for _, format := range []string{"text", "json"} {
		s.env["LOG_FORMAT"] = format
		ses := s.serve(t)
		if format == "text" {
			ses.conversations()
			ses.failures(s.tgProxy)
		} else {
			ses.expect("sms after restart", ses.sms(tipsterPhone, "STATUS "+textMarker), http.StatusOK)
		}
		staffSession(t, ses.p.base)
		ses.drained(90 * time.Second)
		ses.p.stop(t)
	}
	runTool(t, s.bin, s.env, s.log, "", "purge")
	next := seal.GenerateKey()
	rot := map[string]string{}
	for k, v := range s.env {
		rot[k] = v
	}
	rot["TIPLINE_SECRET_KEY"], rot["TIPLINE_PREVIOUS_KEYS"] = next, s.key
	runTool(t, s.bin, rot, s.log, "", "keys", "rotate")
	runTool(t, s.bin, rot, s.log, "", "keys", "status")
	out := s.log.String()
	if !strings.Contains(out, "listening") || !strings.Contains(out, "rotation complete") {
		t.Fatalf("the output does not look captured:\n%s", out)
	}
	markers := append(identifierForms(), textMarker, boomMarker, botToken, twilioToken, webhookSecret,
		staffPassword, wrongPassword, staffAlertSMS, staffAlertSMS[2:], staffChat, s.key, next)
	if u, err := url.Parse(s.env["DATABASE_URL"]); err == nil {
		if pw, ok := u.User.Password(); ok {
			markers = append(markers, pw)
		}
	}
	for _, m := range markers {
		for _, line := range strings.Split(out, "\n") {
			if strings.Contains(line, m) {
				t.Errorf("marker %q in output: %s", m, line)
			}
		}
	}
	t.Logf("%d lines of output checked", strings.Count(out, "\n"))
}

// staffSession signs in with a wrong then the right password and opens
// the queue and the chats.
func staffSession(t *testing.T, base string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	for _, pw := range []string{wrongPassword, staffPassword} {
		resp, err := c.PostForm(base+"/staff/login", url.Values{"email": {"ops@example.org"}, "password": {pw}})
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	for _, p := range []string{"/staff/tips", "/staff/chats", "/staff/nowhere"} {
		resp, err := c.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if p != "/staff/nowhere" && resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s after login: %d", p, resp.StatusCode)
		}
	}
}
