package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"regexp"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// secretRe is the form Telegram allows for a webhook secret token.
var secretRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

// ValidSecret reports whether s is a valid webhook secret token
// (TELEGRAM_WEBHOOK_SECRET): 1-256 of A-Z a-z 0-9 _ -.
func ValidSecret(s string) bool { return secretRe.MatchString(s) }

// DefaultAllowedUpdates are the update kinds Tipline asks for: everything it
// handles, nothing it would only ignore (edits, channel posts...).
var DefaultAllowedUpdates = []string{"message", "callback_query", "my_chat_member"}

// SetWebhook registers url as the bot's webhook with a secret_token that
// Telegram echoes in X-Telegram-Bot-Api-Secret-Token, and the update kinds
// to deliver (nil keeps Telegram's current setting). Library v5.5.1 has no
// secret_token field, so the parameters are built here.
func (c *Client) SetWebhook(ctx context.Context, url, secret string, allowedUpdates []string) error {
	if !ValidSecret(secret) {
		return &SendError{Method: "setWebhook", Permanent: true, Description: "invalid secret token",
			Err: errors.New("secret token must be 1-256 of A-Z a-z 0-9 _ -")}
	}
	p := tgbotapi.Params{"url": url, "secret_token": secret}
	if allowedUpdates != nil {
		if err := p.AddInterface("allowed_updates", allowedUpdates); err != nil {
			return classify(ctx, "setWebhook", c.token, 0, err)
		}
	}
	return c.raw(ctx, "setWebhook", 0, p, nil)
}

// WebhookInfo returns the bot's webhook URL, "" when none is set.
func (c *Client) WebhookInfo(ctx context.Context) (url string, err error) {
	var info tgbotapi.WebhookInfo
	err = c.call(ctx, "getWebhookInfo", 0, func(b *tgbotapi.BotAPI) error {
		var err error
		info, err = b.GetWebhookInfo()
		return err
	})
	return info.URL, err
}

// DeleteWebhook removes the webhook, keeping pending updates.
func (c *Client) DeleteWebhook(ctx context.Context) error {
	return c.request(ctx, "deleteWebhook", tgbotapi.DeleteWebhookConfig{}, nil)
}

// GetUpdates long-polls for updates with update_id >= offset (offset 0:
// from the oldest unconfirmed), waiting up to timeout (whole seconds) when
// none are pending. Calling it with a higher offset confirms the earlier
// updates to Telegram. allowedUpdates, if given, replaces the bot's filter.
//
// The updates come back as raw JSON, in order, so that Parse stays the
// single parser. The HTTP deadline is timeout plus the client's timeout.
func (c *Client) GetUpdates(ctx context.Context, offset int, timeout time.Duration,
	allowedUpdates ...string) ([]json.RawMessage, error) {
	secs := int((timeout + time.Second - 1) / time.Second)
	if secs < 0 {
		secs = 0
	}
	p := tgbotapi.Params{"timeout": strconv.Itoa(secs), "limit": "100"}
	p.AddNonZero("offset", offset)
	if len(allowedUpdates) > 0 {
		if err := p.AddInterface("allowed_updates", allowedUpdates); err != nil {
			return nil, classify(ctx, "getUpdates", c.token, 0, err)
		}
	}
	var raws []json.RawMessage
	if err := c.raw(ctx, "getUpdates", time.Duration(secs)*time.Second, p, &raws); err != nil {
		return nil, err
	}
	return raws, nil
}

// Setup brings a bot into service in the background: it checks the token
// (getMe), then, when Webhook is set, makes sure the webhook is registered.
// Each step is retried with growing delays until it succeeds or ctx ends,
// so the service never waits for Telegram: webhooks are answered, other
// channels work and the outbox retries Telegram's sends meanwhile.
type Setup struct {
	Client *Client
	// Webhook, when set, registers the webhook (in webhook mode) and
	// returns nil once it is registered, by this instance or another.
	Webhook func(ctx context.Context) error
	// MinBackoff and MaxBackoff bound the delay between attempts (doubling
	// from Min); 1s and 5m by default. A 429's retry_after is honoured.
	MinBackoff, MaxBackoff time.Duration
	// Sleep waits d or until ctx ends; a real timer when nil.
	Sleep func(ctx context.Context, d time.Duration) error
	// Logger receives progress and failures (never the token); none when nil.
	Logger *slog.Logger
}

// Run performs the set-up and returns nil once every step succeeded, or
// ctx.Err() when ctx ended first.
func (s *Setup) Run(ctx context.Context) error {
	if s.MinBackoff <= 0 {
		s.MinBackoff = time.Second
	}
	if s.MaxBackoff <= 0 {
		s.MaxBackoff = 5 * time.Minute
	}
	if s.Sleep == nil {
		s.Sleep = sleepCtx
	}
	if err := s.retry(ctx, "getMe", func(ctx context.Context) error {
		_, name, err := s.Client.GetMe(ctx)
		if err == nil {
			s.log(ctx, slog.LevelInfo, "telegram: bot token accepted", slog.String("bot", name))
		}
		return err
	}); err != nil || s.Webhook == nil {
		return err
	}
	return s.retry(ctx, "webhook registration", s.Webhook)
}

// retry runs step until it succeeds or ctx ends, waiting between attempts.
func (s *Setup) retry(ctx context.Context, name string, step func(context.Context) error) error {
	d := s.MinBackoff
	for attempt := 1; ; attempt++ {
		err := step(ctx)
		if err == nil {
			if attempt > 1 {
				s.log(ctx, slog.LevelInfo, "telegram: "+name+" succeeded", slog.Int("attempt", attempt))
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		wait, level := d, slog.LevelWarn
		var se *SendError
		if errors.As(err, &se) {
			wait = max(wait, se.RetryAfter)
			if se.Permanent || se.Code == 401 {
				level = slog.LevelError // a wrong token or request: the operator must act
			}
		}
		s.log(ctx, level, "telegram: "+name+" failed; trying again", slog.Int("attempt", attempt),
			slog.Duration("retry_in", wait), slog.String("err", err.Error()))
		if err := s.Sleep(ctx, wait); err != nil {
			return err
		}
		d = min(2*d, s.MaxBackoff)
	}
}

func (s *Setup) log(ctx context.Context, level slog.Level, msg string, attrs ...slog.Attr) {
	if s.Logger != nil {
		s.Logger.LogAttrs(ctx, level, msg, attrs...)
	}
}
