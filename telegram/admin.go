package telegram

import (
	"context"
	"encoding/json"
	"errors"
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
