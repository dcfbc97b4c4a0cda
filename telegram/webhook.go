package telegram

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"tipline"
)

// SecretHeader is the header Telegram echoes the webhook secret in.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// DefaultMaxBody bounds a webhook body when WebhookConfig.MaxBody is zero.
const DefaultMaxBody = 1 << 20

// WebhookConfig configures a Webhook.
type WebhookConfig struct {
	// Secret is TELEGRAM_WEBHOOK_SECRET, as given to SetWebhook. Required.
	Secret string
	// OnUpdate handles one message (KindMessage). It should return only
	// after the turn is committed: a nil error answers 200, an error answers
	// 500 so that Telegram delivers the update again. Required.
	OnUpdate func(ctx context.Context, in tipline.Inbound) error
	// Fallback, when set, is asked about a message OnUpdate failed on (the
	// database is unreachable: docs/design.md rule 16). Replies it returns
	// are answered in the HTTP response itself, as a sendMessage method
	// call (Telegram's "reply directly to the webhook"), with 200; with
	// none the webhook answers 503 so that Telegram delivers the update
	// again. Nil: 500.
	Fallback func(ctx context.Context, in tipline.Inbound, err error) []tipline.Reply
	// OnMember handles KindBlocked and KindUnblocked (the user blocked or
	// unblocked the bot); Update.Inbound carries the sender. Optional: when
	// nil these updates are acknowledged and dropped. Errors answer 500.
	OnMember func(ctx context.Context, u Update) error
	// MaxBody bounds the request body; DefaultMaxBody when zero. Larger
	// bodies get 413.
	MaxBody int64
	// Now stamps Inbound.ReceivedAt; time.Now when nil.
	Now func() time.Time
	// Logger receives handler failures (update id and error only, never
	// content or chat ids). Optional.
	Logger *slog.Logger
}

// Webhook is the http.Handler for POST /webhooks/telegram.
//
// Order of checks: 405 for a method other than POST; 403 when the secret
// header is missing or differs (compared in constant time, before the body
// is read); 413 when the body exceeds MaxBody; 400 when it is not an Update;
// 200 for an update that is ignored; otherwise the callback decides: 200 on
// nil, 500 on error (with a Fallback: its answer with 200, else 503). The
// response body is empty except for a Fallback's answer.
type Webhook struct {
	secretSum [sha256.Size]byte
	cfg       WebhookConfig
}

// NewWebhook checks cfg and builds the handler.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	if !ValidSecret(cfg.Secret) {
		return nil, errors.New("telegram: webhook secret must be 1-256 of A-Z a-z 0-9 _ -")
	}
	if cfg.OnUpdate == nil {
		return nil, errors.New("telegram: webhook needs an OnUpdate handler")
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Webhook{secretSum: sha256.Sum256([]byte(cfg.Secret)), cfg: cfg}, nil
}

// authorized compares the header with the secret in constant time. Both are
// hashed first so that not even the length leaks.
func (h *Webhook) authorized(r *http.Request) bool {
	got, present := r.Header[http.CanonicalHeaderKey(SecretHeader)]
	if !present || len(got) != 1 {
		return false
	}
	sum := sha256.Sum256([]byte(got[0]))
	return subtle.ConstantTimeCompare(sum[:], h.secretSum[:]) == 1
}

// ServeHTTP implements http.Handler.
func (h *Webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if !h.authorized(r) {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.cfg.MaxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	u, err := ParseUpdate(body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	status, reply := h.dispatch(r.Context(), u)
	if reply != nil {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(status)
	_, _ = w.Write(reply)
}

// dispatch hands a parsed update to its callback and returns the status
// and, when the Fallback answered, the method call to answer with.
func (h *Webhook) dispatch(ctx context.Context, u Update) (int, []byte) {
	var err error
	switch {
	case u.Kind == KindMessage:
		u.Inbound.ReceivedAt = h.cfg.Now()
		err = h.cfg.OnUpdate(ctx, u.Inbound)
	case (u.Kind == KindBlocked || u.Kind == KindUnblocked) && h.cfg.OnMember != nil:
		u.Inbound.ReceivedAt = h.cfg.Now()
		err = h.cfg.OnMember(ctx, u)
	default:
		return http.StatusOK, nil
	}
	if err == nil {
		return http.StatusOK, nil
	}
	if h.cfg.Logger != nil {
		h.cfg.Logger.LogAttrs(ctx, slog.LevelError, "telegram webhook: handler failed",
			slog.Int64("update_id", u.ID), slog.String("kind", u.Kind.String()),
			slog.String("err", err.Error()))
	}
	if h.cfg.Fallback == nil || u.Kind != KindMessage {
		return http.StatusInternalServerError, nil
	}
	replies := h.cfg.Fallback(ctx, u.Inbound, err)
	if len(replies) == 0 {
		return http.StatusServiceUnavailable, nil
	}
	call, merr := SendMessageCall(u.Inbound.SenderID, replies)
	if merr != nil {
		return http.StatusServiceUnavailable, nil
	}
	return http.StatusOK, call
}

// SendMessageCall is a sendMessage method call to answer a webhook with
// (Telegram runs it as if the bot had called the API): the replies' texts
// in one message, since a webhook response carries one call, with the
// last reply's keyboard.
func SendMessageCall(chatID string, replies []tipline.Reply) ([]byte, error) {
	id, err := strconv.ParseInt(chatID, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("telegram: chat id: %w", err)
	}
	texts := make([]string, 0, len(replies))
	var markup any
	for _, r := range replies {
		var text string
		text, markup = Render(r)
		texts = append(texts, text)
	}
	return json.Marshal(struct {
		Method      string `json:"method"`
		ChatID      int64  `json:"chat_id"`
		Text        string `json:"text"`
		ReplyMarkup any    `json:"reply_markup,omitempty"`
	}{"sendMessage", id, truncate(strings.Join(texts, "\n\n"), MaxTextLen), markup})
}
