package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"tipline"
)

// DefaultAPIURL is the Bot API base URL used when Config.APIURL is empty.
const DefaultAPIURL = "https://api.telegram.org"

// Defaults for Config.
const (
	// DefaultTimeout bounds one API call when Config.Timeout is zero.
	DefaultTimeout = 10 * time.Second
	// DefaultDownloadTimeout bounds one file download when
	// Config.DownloadTimeout is zero.
	DefaultDownloadTimeout = 2 * time.Minute
)

// maxResponse bounds how much of an API response is read.
const maxResponse = 16 << 20

// Config configures a Client.
type Config struct {
	Token           string        // bot token from @BotFather (TELEGRAM_BOT_TOKEN); required
	APIURL          string        // base URL (TELEGRAM_API_URL); DefaultAPIURL when empty
	Timeout         time.Duration // per API call; DefaultTimeout when zero
	DownloadTimeout time.Duration // per file download; DefaultDownloadTimeout when zero
	HTTPClient      *http.Client  // transport to use; a plain client when nil (no client-level timeout needed: every call has a context deadline)
}

// Client makes Bot API calls. It is safe for concurrent use. Every call
// honours the caller's context and its own timeout, and every error is a
// *SendError with the token redacted.
type Client struct {
	token           string
	base            string // APIURL without trailing slash
	endpoint        string // Sprintf pattern for tgbotapi: base + "/bot%s/%s"
	timeout         time.Duration
	downloadTimeout time.Duration
	http            *http.Client
}

var silenceOnce sync.Once

// nopLogger discards the library's log output, which can contain the token.
type nopLogger struct{}

// Println implements tgbotapi.BotLogger and discards.
func (nopLogger) Println(...any) {}

// Printf implements tgbotapi.BotLogger and discards.
func (nopLogger) Printf(string, ...any) {}

// New builds a Client. It makes no network call (use GetMe to check the
// token), so a service can start while Telegram is unreachable. It also
// silences the library's global logger, which can print the token.
func New(cfg Config) (*Client, error) {
	silenceOnce.Do(func() { _ = tgbotapi.SetLogger(nopLogger{}) })
	if cfg.Token == "" || strings.ContainsAny(cfg.Token, "/?#% \t\r\n") {
		return nil, errors.New("telegram: bot token is empty or has invalid characters")
	}
	base := strings.TrimRight(cfg.APIURL, "/")
	if base == "" {
		base = DefaultAPIURL
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("telegram: API URL %q is not an http(s) URL", cfg.APIURL)
	}
	c := &Client{
		token: cfg.Token, base: base, timeout: cfg.Timeout, downloadTimeout: cfg.DownloadTimeout,
		// The library formats the endpoint with Sprintf: escape any % in it.
		endpoint: strings.ReplaceAll(base, "%", "%%") + "/bot%s/%s",
		http:     cfg.HTTPClient,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.downloadTimeout <= 0 {
		c.downloadTimeout = DefaultDownloadTimeout
	}
	if c.http == nil {
		c.http = &http.Client{}
	}
	return c, nil
}

// ctxDoer is the library's HTTPClient for one call: it attaches the call's
// context, remembers the HTTP status and bounds the response body.
type ctxDoer struct {
	ctx    context.Context
	http   *http.Client
	status int
}

// Do implements tgbotapi.HTTPClient.
func (d *ctxDoer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.http.Do(req.WithContext(d.ctx))
	if err != nil {
		return nil, err
	}
	d.status = resp.StatusCode
	resp.Body = limitedBody{io.LimitReader(resp.Body, maxResponse), resp.Body}
	return resp, nil
}

type limitedBody struct {
	io.Reader
	io.Closer
}

// call runs fn against a per-call BotAPI bound to ctx with a deadline of
// extra + the client's timeout, and classifies its error.
func (c *Client) call(ctx context.Context, method string, extra time.Duration,
	fn func(b *tgbotapi.BotAPI) error) error {
	cctx, cancel := context.WithTimeout(ctx, c.timeout+extra)
	defer cancel()
	d := &ctxDoer{ctx: cctx, http: c.http}
	// Built directly rather than with NewBotAPIWithClient, which would call
	// getMe on every construction.
	b := &tgbotapi.BotAPI{Token: c.token, Client: d, Buffer: 100}
	b.SetAPIEndpoint(c.endpoint)
	return classify(ctx, method, c.token, d.status, fn(b))
}

// request sends a Chattable built by the library and decodes its result
// into out (which may be nil).
func (c *Client) request(ctx context.Context, method string, cfg tgbotapi.Chattable, out any) error {
	return c.call(ctx, method, 0, func(b *tgbotapi.BotAPI) error {
		resp, err := b.Request(cfg)
		if err != nil || out == nil {
			return err
		}
		if err := json.Unmarshal(resp.Result, out); err != nil {
			return fmt.Errorf("decoding %s result: %w", method, err)
		}
		return nil
	})
}

// raw makes a call with hand-built params (for what the library cannot
// express) and decodes its result into out (which may be nil).
func (c *Client) raw(ctx context.Context, method string, extra time.Duration, p tgbotapi.Params, out any) error {
	return c.call(ctx, method, extra, func(b *tgbotapi.BotAPI) error {
		resp, err := b.MakeRequest(method, p)
		if err != nil || out == nil {
			return err
		}
		if err := json.Unmarshal(resp.Result, out); err != nil {
			return fmt.Errorf("decoding %s result: %w", method, err)
		}
		return nil
	})
}

// Send sends one reply to a chat, rendered by Render, without link previews,
// and returns the new message's id. A reply that fails ValidateReply is a
// permanent *SendError and nothing is sent.
func (c *Client) Send(ctx context.Context, chatID int64, r tipline.Reply) (messageID int, err error) {
	if err := ValidateReply(r); err != nil {
		return 0, &SendError{Method: "sendMessage", Permanent: true, Description: err.Error(), Err: err}
	}
	text, markup := Render(r)
	msg := tgbotapi.NewMessage(chatID, text)
	msg.ReplyMarkup = markup
	msg.DisableWebPagePreview = true
	var res struct {
		MessageID int `json:"message_id"`
	}
	if err := c.request(ctx, "sendMessage", msg, &res); err != nil {
		return 0, err
	}
	return res.MessageID, nil
}

// AnswerCallback answers a callback_query so the button stops spinning. It
// shows no notification.
func (c *Client) AnswerCallback(ctx context.Context, id string) error {
	return c.request(ctx, "answerCallbackQuery", tgbotapi.NewCallback(id, ""), nil)
}

// DeleteMessage deletes a message from a chat (the bot's own, or, within 48
// hours, the user's in a private chat).
func (c *Client) DeleteMessage(ctx context.Context, chatID int64, messageID int) error {
	return c.request(ctx, "deleteMessage", tgbotapi.NewDeleteMessage(chatID, messageID), nil)
}

// GetMe checks the token and returns the bot's user id and username.
func (c *Client) GetMe(ctx context.Context) (id int64, username string, err error) {
	var me struct {
		ID       int64  `json:"id"`
		Username string `json:"username"`
	}
	if err := c.raw(ctx, "getMe", 0, nil, &me); err != nil {
		return 0, "", err
	}
	return me.ID, me.Username, nil
}
