package telegram

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"tipline"
	"tipline/telegram/telegramtest"
)

func newClient(t *testing.T, api *telegramtest.Server) *Client {
	t.Helper()
	c, err := New(Config{Token: api.Token, APIURL: api.URL, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestSendExactRequest(t *testing.T) {
	api := telegramtest.New(t)
	c := newClient(t, api)
	ctx := context.Background()
	id, err := c.Send(ctx, 4503599627370495, tipline.Reply{Text: "Are you safe right now?",
		Options: []tipline.Option{{Label: "Yes", Value: "safe:yes"}, {Label: "No", Value: "safe:no"}}})
	if err != nil {
		t.Fatal(err)
	}
	if id <= 0 {
		t.Errorf("message id = %d", id)
	}
	calls := api.Calls()
	if len(calls) != 1 || calls[0].Method != "sendMessage" {
		t.Fatalf("calls = %+v", calls)
	}
	s := calls[0]
	if s.ChatID() != 4503599627370495 || s.Text() != "Are you safe right now?" || s.Get("disable_web_page_preview") != "true" {
		t.Errorf("params = %v", s.Params)
	}
	if s.Get("parse_mode") != "" {
		t.Errorf("parse_mode must be unset (plain text), got %q", s.Get("parse_mode"))
	}
	want := `{"inline_keyboard":[[{"text":"Yes","callback_data":"safe:yes"}],[{"text":"No","callback_data":"safe:no"}]]}`
	if s.ReplyMarkup() != want {
		t.Errorf("reply_markup = %s", s.ReplyMarkup())
	}
	m, err := s.Markup()
	if err != nil || len(m.InlineKeyboard) != 2 || m.InlineKeyboard[1][0].CallbackData != "safe:no" {
		t.Errorf("markup = %+v, %v", m, err)
	}
}

func TestSendLocationAndPlain(t *testing.T) {
	api := telegramtest.New(t)
	c := newClient(t, api)
	ctx := context.Background()
	if _, err := c.Send(ctx, 42, tipline.Reply{Text: "Where are you?", AskLocation: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send(ctx, 42, tipline.Reply{Text: "Thanks."}); err != nil {
		t.Fatal(err)
	}
	sent := api.Sent()
	loc, _ := sent[0].Markup()
	if len(loc.Keyboard) != 1 || !loc.Keyboard[0][0].RequestLocation || !loc.OneTimeKeyboard {
		t.Errorf("location markup = %s", sent[0].ReplyMarkup())
	}
	if sent[1].ReplyMarkup() != `{"remove_keyboard":true}` {
		t.Errorf("plain markup = %s", sent[1].ReplyMarkup())
	}
}

func TestSendInvalidReplyMakesNoCall(t *testing.T) {
	api := telegramtest.New(t)
	c := newClient(t, api)
	_, err := c.Send(context.Background(), 42, tipline.Reply{Text: "x",
		Options: []tipline.Option{{Label: "L", Value: strings.Repeat("v", 65)}}})
	if !IsPermanent(err) || !errors.Is(err, ErrInvalidReply) {
		t.Fatalf("err = %v", err)
	}
	if n := len(api.Calls()); n != 0 {
		t.Fatalf("%d calls made", n)
	}
}

func TestSendErrorClassification(t *testing.T) {
	cases := []struct {
		name      string
		fail      telegramtest.Failure
		permanent bool
		code      int
		retry     time.Duration
	}{
		{"429 retry_after", telegramtest.TooManyRequests(3), false, 429, 3 * time.Second},
		{"500", telegramtest.ServerError(), false, 500, 0},
		{"403 blocked", telegramtest.Forbidden(), true, 403, 0},
		{"400 chat not found", telegramtest.ChatNotFound(), true, 400, 0},
		{"403 deactivated", telegramtest.Failure{Code: 403, Description: "Forbidden: user is deactivated"}, true, 403, 0},
		{"401 bad token", telegramtest.Failure{Code: 401, Description: "Unauthorized"}, false, 401, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			api := telegramtest.New(t)
			api.FailNext(1, c.fail.On("sendMessage"))
			cl := newClient(t, api)
			_, err := cl.Send(context.Background(), 42, tipline.Reply{Text: "hi"})
			var se *SendError
			if !errors.As(err, &se) {
				t.Fatalf("err = %#v", err)
			}
			if se.Permanent != c.permanent || se.Code != c.code || se.RetryAfter != c.retry ||
				se.Description != c.fail.Description || se.Method != "sendMessage" {
				t.Fatalf("SendError = %+v", se)
			}
			if _, err := cl.Send(context.Background(), 42, tipline.Reply{Text: "hi"}); err != nil {
				t.Fatalf("second send: %v", err)
			}
		})
	}
}

func TestBlockedChatIsPermanent(t *testing.T) {
	api := telegramtest.New(t)
	api.Block(42)
	_, err := newClient(t, api).Send(context.Background(), 42, tipline.Reply{Text: "hi"})
	if !IsPermanent(err) {
		t.Fatalf("err = %v", err)
	}
}

func TestNetworkErrorsAreTemporaryAndRedacted(t *testing.T) {
	token := "999:SECRET_token-value"
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	c, err := New(Config{Token: token, APIURL: url, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Send(context.Background(), 1, tipline.Reply{Text: "hi"})
	assertTemporaryRedacted(t, err, token)
	_, _, err = c.Download(context.Background(), "f", 10)
	assertTemporaryRedacted(t, err, token)
	// A proxy answering 502 with HTML is temporary too.
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "<html>bad gateway "+r.URL.Path+"</html>", http.StatusBadGateway)
	}))
	defer html.Close()
	c, _ = New(Config{Token: token, APIURL: html.URL})
	_, err = c.Send(context.Background(), 1, tipline.Reply{Text: "hi"})
	assertTemporaryRedacted(t, err, token)
	var se *SendError
	if errors.As(err, &se); se.Code != 502 {
		t.Errorf("code = %d, want 502", se.Code)
	}
}

func assertTemporaryRedacted(t *testing.T, err error, token string) {
	t.Helper()
	var se *SendError
	if !errors.As(err, &se) || se.Permanent {
		t.Fatalf("err = %v, want a temporary SendError", err)
	}
	for e := error(se); e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), token) || strings.Contains(e.Error(), "SECRET") {
			t.Fatalf("error leaks the token: %v", e)
		}
	}
}

func TestTimeoutAndCancel(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(release)
	c, _ := New(Config{Token: "1:t", APIURL: slow.URL, Timeout: 50 * time.Millisecond})
	start := time.Now()
	_, err := c.Send(context.Background(), 1, tipline.Reply{Text: "hi"})
	var se *SendError
	if !errors.As(err, &se) || se.Permanent || se.Description != "timeout" || time.Since(start) > 2*time.Second {
		t.Fatalf("err = %v after %v", err, time.Since(start))
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := c.AnswerCallback(ctx, "x"); !errors.Is(err, context.Canceled) {
		t.Fatalf("canceled ctx: %v", err)
	}
}

func TestSmallCalls(t *testing.T) {
	api := telegramtest.New(t)
	c := newClient(t, api)
	ctx := context.Background()
	if err := c.AnswerCallback(ctx, "4382bfdwdsb323b2d9"); err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteMessage(ctx, 1111111, 14); err != nil {
		t.Fatal(err)
	}
	id, name, err := c.GetMe(ctx)
	if err != nil || id != telegramtest.BotID || name != telegramtest.BotUsername {
		t.Fatalf("getMe = %d %q %v", id, name, err)
	}
	calls := api.Calls()
	if calls[0].Method != "answerCallbackQuery" || calls[0].Get("callback_query_id") != "4382bfdwdsb323b2d9" ||
		calls[0].Get("text") != "" {
		t.Errorf("answer = %+v", calls[0])
	}
	if calls[1].Method != "deleteMessage" || calls[1].ChatID() != 1111111 || calls[1].Get("message_id") != "14" {
		t.Errorf("delete = %+v", calls[1])
	}
}

func TestWebhookManagement(t *testing.T) {
	api := telegramtest.New(t)
	c := newClient(t, api)
	ctx := context.Background()
	hook := "https://tipline.example.org/webhooks/telegram"
	if err := c.SetWebhook(ctx, hook, secret, DefaultAllowedUpdates); err != nil {
		t.Fatal(err)
	}
	w := api.Webhook()
	if w.URL != hook || w.SecretToken != secret || !reflect.DeepEqual(w.AllowedUpdates, DefaultAllowedUpdates) {
		t.Fatalf("webhook = %+v", w)
	}
	if got := api.CallsTo("setWebhook")[0].Get("allowed_updates"); got != `["message","callback_query","my_chat_member"]` {
		t.Errorf("allowed_updates = %s", got)
	}
	if url, err := c.WebhookInfo(ctx); err != nil || url != hook {
		t.Fatalf("info = %q %v", url, err)
	}
	if err := c.DeleteWebhook(ctx); err != nil {
		t.Fatal(err)
	}
	if url, err := c.WebhookInfo(ctx); err != nil || url != "" {
		t.Fatalf("after delete: %q %v", url, err)
	}
	n := len(api.Calls())
	if err := c.SetWebhook(ctx, hook, "bad secret", nil); !IsPermanent(err) || len(api.Calls()) != n {
		t.Fatalf("invalid secret: %v, calls %d→%d", err, n, len(api.Calls()))
	}
}

func TestGetUpdatesKeepsRawBytes(t *testing.T) {
	api := telegramtest.New(t)
	c := newClient(t, api)
	u1, u2 := telegramtest.TextUpdate(5, 42, "a"), telegramtest.TextUpdate(6, 42, "b")
	api.AddUpdate(u1)
	api.AddUpdate(u2)
	raws, err := c.GetUpdates(context.Background(), 0, 0, "message")
	if err != nil || len(raws) != 2 || string(raws[0]) != u1 || string(raws[1]) != u2 {
		t.Fatalf("raws = %s, %v", raws, err)
	}
	raws, err = c.GetUpdates(context.Background(), 6, 0)
	if err != nil || len(raws) != 1 {
		t.Fatalf("offset 6: %s, %v", raws, err)
	}
	g := api.CallsTo("getUpdates")
	if g[0].Get("offset") != "" || g[0].Get("allowed_updates") != `["message"]` || g[1].Get("offset") != "6" {
		t.Errorf("getUpdates params: %v / %v", g[0].Params, g[1].Params)
	}
	if !reflect.DeepEqual(api.Pending(), []int64{6}) {
		t.Errorf("pending = %v", api.Pending())
	}
}

func TestNewValidates(t *testing.T) {
	for _, cfg := range []Config{{}, {Token: "a/b"}, {Token: "1:x", APIURL: "ftp://x"}, {Token: "1:x", APIURL: "::"}} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
	c, err := New(Config{Token: "1:x", APIURL: "http://h/p%41th/"})
	if err != nil || c.endpoint != "http://h/p%%41th/bot%s/%s" || c.base != "http://h/p%41th" {
		t.Fatalf("endpoint %q base %q err %v", c.endpoint, c.base, err)
	}
	if got := c.FileURL("photos/file 1.jpg"); got != "http://h/p%41th/file/bot1:x/photos/file%201.jpg" {
		t.Errorf("FileURL = %q", got)
	}
}
