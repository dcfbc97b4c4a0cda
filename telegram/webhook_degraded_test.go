package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"tipline"
	"tipline/telegram/telegramtest"
)

// degradedURL serves a Webhook whose OnUpdate fails (the database is
// down) and whose Fallback answers with replies.
func degradedURL(t *testing.T, replies []tipline.Reply, calls *int) string {
	t.Helper()
	h, err := NewWebhook(WebhookConfig{
		Secret:   secret,
		OnUpdate: func(context.Context, tipline.Inbound) error { return errors.New("database unreachable") },
		Fallback: func(_ context.Context, in tipline.Inbound, err error) []tipline.Reply {
			*calls++
			if in.SenderID != "5" || err == nil {
				t.Errorf("fallback got sender %q, err %v", in.SenderID, err)
			}
			return replies
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// A danger answer goes back as the webhook response's sendMessage call;
// without one the webhook answers 503 so that Telegram delivers again.
func TestWebhookFallback(t *testing.T) {
	body := `{"update_id":7,"message":{"message_id":3,"date":1,"chat":{"id":5,"type":"private"},"text":"help"}}`
	answer := tipline.Reply{Text: "If you are in danger, call 911 now.\n- Line: call 988."}
	calls := 0
	url := degradedURL(t, []tipline.Reply{answer}, &calls)
	resp, err := http.DefaultClient.Do(telegramtest.WebhookRequest(url, secret, body))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var call struct {
		Method      string         `json:"method"`
		ChatID      int64          `json:"chat_id"`
		Text        string         `json:"text"`
		ReplyMarkup map[string]any `json:"reply_markup"`
	}
	if err := json.Unmarshal(raw, &call); err != nil || resp.StatusCode != 200 ||
		resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("status %d %q, body %s: %v", resp.StatusCode, resp.Header.Get("Content-Type"), raw, err)
	}
	if call.Method != "sendMessage" || call.ChatID != 5 || call.Text != answer.Text || calls != 1 {
		t.Fatalf("call %+v (fallback calls %d)", call, calls)
	}

	calls = 0
	url = degradedURL(t, nil, &calls)
	if got := post(t, telegramtest.WebhookRequest(url, secret, body)); got != http.StatusServiceUnavailable || calls != 1 {
		t.Fatalf("nothing to say: status %d, fallback calls %d", got, calls)
	}
	// A request without the secret never reaches the fallback.
	if got := post(t, telegramtest.WebhookRequest(url, "wrong_secret", body)); got != 403 || calls != 1 {
		t.Fatalf("bad secret: status %d, fallback calls %d", got, calls)
	}
}

func TestSendMessageCallRefusesBadChat(t *testing.T) {
	if _, err := SendMessageCall("not-a-number", []tipline.Reply{{Text: "x"}}); err == nil {
		t.Fatal("accepted a chat id that is not a number")
	}
}
