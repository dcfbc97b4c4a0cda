package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline"
	"tipline/telegram/telegramtest"
)

const secret = "tipline_2024-secret_Q7x"

var fixedNow = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// recorder collects what the webhook hands to its callbacks.
type recorder struct {
	mu      sync.Mutex
	inbound []tipline.Inbound
	members []Update
	fail    error
}

func (r *recorder) onUpdate(_ context.Context, in tipline.Inbound) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.inbound = append(r.inbound, in)
	return r.fail
}

func (r *recorder) onMember(_ context.Context, u Update) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.members = append(r.members, u)
	return r.fail
}

// newWebhookServer serves a real Webhook on loopback.
func newWebhookServer(t *testing.T, rec *recorder, maxBody int64) string {
	t.Helper()
	h, err := NewWebhook(WebhookConfig{
		Secret: secret, OnUpdate: rec.onUpdate, OnMember: rec.onMember,
		MaxBody: maxBody, Now: func() time.Time { return fixedNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/webhooks/telegram", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv.URL + "/webhooks/telegram"
}

func post(t *testing.T, req *http.Request) int {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestWebhookUpdateKinds(t *testing.T) {
	for _, c := range updateCases {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{}
			url := newWebhookServer(t, rec, 0)
			if got := post(t, telegramtest.WebhookRequest(url, secret, string(caseBody(t, c)))); got != c.status {
				t.Fatalf("status = %d, want %d", got, c.status)
			}
			var got []tipline.Inbound
			switch c.kind {
			case KindMessage:
				got = rec.inbound
			case KindBlocked, KindUnblocked:
				if len(rec.members) == 1 && rec.members[0].Kind != c.kind {
					t.Fatalf("member kind = %v, want %v", rec.members[0].Kind, c.kind)
				}
				for _, m := range rec.members {
					got = append(got, m.Inbound)
				}
			}
			if c.status != 200 || c.kind == KindIgnored {
				if len(rec.inbound)+len(rec.members) != 0 {
					t.Fatalf("callback called for an ignored/bad update: %+v %+v", rec.inbound, rec.members)
				}
				return
			}
			want := c.want
			want.ReceivedAt = fixedNow
			if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
				t.Fatalf("inbound =\n %+v\nwant\n %+v", got, want)
			}
		})
	}
}

func TestWebhookSecret(t *testing.T) {
	rec := &recorder{}
	url := newWebhookServer(t, rec, 0)
	body := `{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"text":"hi"}}`
	cases := map[string]func(*http.Request){
		"missing":             func(r *http.Request) { r.Header.Del(SecretHeader) },
		"empty":               func(r *http.Request) { r.Header.Set(SecretHeader, "") },
		"different":           func(r *http.Request) { r.Header.Set(SecretHeader, "tipline_2024-secret_Q7y") },
		"case differs":        func(r *http.Request) { r.Header.Set(SecretHeader, strings.ToUpper(secret)) },
		"prefix":              func(r *http.Request) { r.Header.Set(SecretHeader, secret[:len(secret)-1]) },
		"longer":              func(r *http.Request) { r.Header.Set(SecretHeader, secret+"x") },
		"twice":               func(r *http.Request) { r.Header.Add(SecretHeader, secret) },
		"malformed body too":  func(r *http.Request) { r.Header.Set(SecretHeader, "nope") },
		"in query not header": func(r *http.Request) { r.Header.Del(SecretHeader); r.URL.RawQuery = "secret=" + secret },
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			b := body
			if name == "malformed body too" {
				b = "{not json"
			}
			req := telegramtest.WebhookRequest(url, secret, b)
			mutate(req)
			if got := post(t, req); got != http.StatusForbidden {
				t.Fatalf("status = %d, want 403", got)
			}
		})
	}
	if len(rec.inbound) != 0 {
		t.Fatalf("forged request reached the handler: %+v", rec.inbound)
	}
	if got := post(t, telegramtest.WebhookRequest(url, secret, body)); got != http.StatusOK {
		t.Fatalf("genuine request: status %d", got)
	}
}

func TestWebhookStatuses(t *testing.T) {
	rec := &recorder{}
	url := newWebhookServer(t, rec, 512)
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set(SecretHeader, secret)
	if got := post(t, req); got != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d, want 405", got)
	}
	big := `{"update_id":1,"message":{"message_id":1,"date":1,"chat":{"id":5,"type":"private"},"text":"` +
		strings.Repeat("a", 600) + `"}}`
	if got := post(t, telegramtest.WebhookRequest(url, secret, big)); got != http.StatusRequestEntityTooLarge {
		t.Errorf("oversize: %d, want 413", got)
	}
	rec.fail = errors.New("database down")
	text := telegramtest.TextUpdate(5, 42, "hello")
	if got := post(t, telegramtest.WebhookRequest(url, secret, text)); got != http.StatusInternalServerError {
		t.Errorf("handler error: %d, want 500", got)
	}
	if got := post(t, telegramtest.WebhookRequest(url, secret, telegramtest.BlockedUpdate(6, 42))); got != 500 {
		t.Errorf("member handler error: %d, want 500", got)
	}
	rec.fail = nil
	// Telegram retries: the same update again gives the same ProviderID, so
	// the store's unique key makes the retry a no-op.
	if got := post(t, telegramtest.WebhookRequest(url, secret, text)); got != http.StatusOK {
		t.Errorf("retry: %d, want 200", got)
	}
	if len(rec.inbound) != 2 || rec.inbound[0].ProviderID != rec.inbound[1].ProviderID {
		t.Errorf("retried update: %+v", rec.inbound)
	}
}

func TestNewWebhookValidates(t *testing.T) {
	ok := func(context.Context, tipline.Inbound) error { return nil }
	for _, s := range []string{"", "has space", "semi;colon", strings.Repeat("a", 257)} {
		if _, err := NewWebhook(WebhookConfig{Secret: s, OnUpdate: ok}); err == nil {
			t.Errorf("secret %q accepted", s)
		}
	}
	if _, err := NewWebhook(WebhookConfig{Secret: secret}); err == nil {
		t.Error("nil OnUpdate accepted")
	}
	if _, err := NewWebhook(WebhookConfig{Secret: strings.Repeat("a", 256), OnUpdate: ok}); err != nil {
		t.Errorf("256-char secret refused: %v", err)
	}
}
