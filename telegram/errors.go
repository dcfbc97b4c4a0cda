package telegram

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// ErrWebhookSet says the bot has a webhook (getUpdates answered 409): a
// bot is either polled or pushed to, never both. The Poller logs it and
// asks again later; it never deletes the webhook itself.
var ErrWebhookSet = errors.New("telegram: this bot has a webhook set, so it cannot be long-polled; " +
	"use a separate bot for dev, or delete the webhook (deleteWebhook) first")

// ErrTooLarge is returned by Download when a file exceeds the size limit.
var ErrTooLarge = errors.New("telegram: file too large")

// SendError is a failed Bot API call, classified for the delivery workers.
//
// Permanent means retrying cannot help: 403 (bot blocked, user deactivated),
// 400 (chat not found, bad request) and any other 4xx except 401, 404, 409
// and 429. Those four and 5xx, network errors and timeouts are temporary:
// 401/404 mean a wrong token or endpoint (the operator's mistake, not the
// recipient's), 409 a webhook/poller conflict, 429 flood control with
// RetryAfter set from parameters.retry_after.
//
// Description is Telegram's text (or a short cause); it never contains the
// token. Err is the underlying cause with the token redacted; it is the
// context error itself when the caller's context ended.
type SendError struct {
	Method      string        // Bot API method, e.g. "sendMessage"
	Permanent   bool          // retrying will not help
	RetryAfter  time.Duration // wait at least this long before retrying (429)
	Code        int           // Telegram error_code or HTTP status; 0 for network errors
	Description string        // what went wrong, token-free
	Err         error         // cause, token-free
}

// Error implements error.
func (e *SendError) Error() string {
	kind := "temporary"
	if e.Permanent {
		kind = "permanent"
	}
	s := fmt.Sprintf("telegram %s: %s failure", e.Method, kind)
	if e.Code != 0 {
		s += fmt.Sprintf(" %d", e.Code)
	}
	if e.Description != "" {
		s += ": " + e.Description
	}
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return s
}

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }

// IsPermanent reports whether err is a permanent *SendError.
func IsPermanent(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Permanent
}

// classify turns whatever a call produced into a *SendError. status is the
// HTTP status seen (0 if none); parent is the caller's context.
func classify(parent context.Context, method, token string, status int, err error) error {
	if err == nil {
		return nil
	}
	var se *SendError
	if errors.As(err, &se) {
		return err
	}
	if pe := parent.Err(); pe != nil {
		return &SendError{Method: method, Description: pe.Error(), Err: pe}
	}
	if apiErr, ok := asAPIError(err); ok {
		code := apiErr.Code
		if code == 0 {
			code = status
		}
		return &SendError{
			Method: method, Code: code, Permanent: permanentCode(code),
			RetryAfter:  time.Duration(apiErr.RetryAfter) * time.Second,
			Description: redact(apiErr.Message, token),
			Err:         errors.New(redact(apiErr.Message, token)),
		}
	}
	msg := redact(err.Error(), token)
	if errors.Is(err, context.DeadlineExceeded) {
		return &SendError{Method: method, Description: "timeout", Err: errors.New(msg)}
	}
	if status >= 400 {
		return &SendError{Method: method, Code: status, Permanent: permanentCode(status),
			Description: httpStatusText(status), Err: errors.New(msg)}
	}
	return &SendError{Method: method, Code: 0, Description: "request failed", Err: errors.New(msg)}
}

func asAPIError(err error) (tgbotapi.Error, bool) {
	var p *tgbotapi.Error
	if errors.As(err, &p) && p != nil {
		return *p, true
	}
	var v tgbotapi.Error
	if errors.As(err, &v) {
		return v, true
	}
	return tgbotapi.Error{}, false
}

// permanentCode says whether an error_code means retrying cannot help.
func permanentCode(code int) bool {
	switch {
	case code == 401 || code == 404 || code == 409 || code == 429:
		return false
	case code >= 400 && code < 500:
		return true
	}
	return false
}

func httpStatusText(code int) string {
	return fmt.Sprintf("HTTP status %d", code)
}

// redact removes the bot token, raw or URL-escaped, from s.
func redact(s, token string) string {
	if token == "" {
		return s
	}
	s = strings.ReplaceAll(s, token, "<token>")
	if esc := url.PathEscape(token); esc != token {
		s = strings.ReplaceAll(s, esc, "<token>")
	}
	if esc := url.QueryEscape(token); esc != token {
		s = strings.ReplaceAll(s, esc, "<token>")
	}
	return s
}
