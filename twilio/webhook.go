package twilio

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"tipline"
)

// DefaultMaxBody bounds a webhook body when WebhookConfig.MaxBody is 0.
// An inbound SMS is at most 1600 characters plus about 30 short fields.
const DefaultMaxBody = 64 << 10

// emptyTwiML is the answer to an inbound message: replies go out through
// the API, never in the webhook response, except a danger answer while the
// database is unreachable (WebhookConfig.Fallback).
const emptyTwiML = `<?xml version="1.0" encoding="UTF-8"?><Response/>`

// SignatureHeader is the header Twilio signs requests with.
const SignatureHeader = "X-Twilio-Signature"

// WebhookConfig configures the Twilio webhook handlers.
type WebhookConfig struct {
	// PublicURL is the https base URL Twilio calls (PUBLIC_URL); signatures
	// are checked against PublicURL + path (+ "?" + query), never against
	// the Host header.
	PublicURL string
	// AuthToken is the account's primary auth token (TWILIO_AUTH_TOKEN).
	AuthToken string
	// OnMessage handles one verified inbound message; an error answers
	// 500 so that Twilio retries (only when the webhook URL asks for it:
	// see the README's connection overrides). Required.
	OnMessage func(ctx context.Context, in tipline.Inbound) error
	// Fallback, when set, is asked about a message OnMessage failed on
	// (the database is unreachable: docs/design.md rule 16). Replies it
	// returns are given in the HTTP response itself, as TwiML <Message>
	// verbs, with 200; with none the webhook answers 503 so that Twilio
	// retries (rp=5xx) and then tries the Fallback URL. Nil: 500.
	Fallback func(ctx context.Context, in tipline.Inbound, err error) []tipline.Reply
	// OnStatus handles one verified status callback with a known status;
	// an error answers 500. Nil acknowledges callbacks and drops them.
	OnStatus func(ctx context.Context, st Status) error
	// MaxBody bounds the request body in bytes; 0 means DefaultMaxBody.
	MaxBody int64
	// Now stamps ReceivedAt; nil means time.Now.
	Now func() time.Time
	// Logger receives non-identifying events only; nil means slog.Default().
	Logger *slog.Logger
}

// Webhook serves POST /webhooks/twilio (inbound messages) and
// POST /webhooks/twilio/status (status callbacks). Every request is
// verified before anything in it is used: 405 for a method other than
// POST, 413 for an oversized body, 415 for a body that is not a form,
// 403 for a bad or missing signature, 400 for a verified but malformed
// request.
type Webhook struct {
	cfg  WebhookConfig
	base string
	log  *slog.Logger
}

// NewWebhook checks cfg and returns the handlers.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	u, err := url.Parse(cfg.PublicURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("twilio: webhook: PublicURL must be an absolute http(s) URL")
	}
	if cfg.AuthToken == "" || cfg.OnMessage == nil {
		return nil, errors.New("twilio: webhook: AuthToken and OnMessage are required")
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	w := &Webhook{cfg: cfg, base: strings.TrimRight(cfg.PublicURL, "/"), log: cfg.Logger}
	if w.log == nil {
		w.log = slog.Default()
	}
	return w, nil
}

// ServeHTTP sends paths ending in "/status" to Status and all others to
// Inbound, so one Webhook can be mounted on both routes.
func (w *Webhook) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	if strings.HasSuffix(r.URL.Path, "/status") {
		w.Status().ServeHTTP(rw, r)
		return
	}
	w.Inbound().ServeHTTP(rw, r)
}

// Inbound returns the handler for inbound SMS/MMS webhooks. It answers
// empty TwiML once OnMessage has returned nil.
func (w *Webhook) Inbound() http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		form, ok := w.verified(rw, r)
		if !ok {
			return
		}
		in, err := ParseInbound(form, w.cfg.Now())
		if err != nil {
			w.log.Warn("twilio: malformed inbound webhook", "path", r.URL.Path)
			http.Error(rw, "malformed request", http.StatusBadRequest)
			return
		}
		if err := w.cfg.OnMessage(r.Context(), in); err != nil {
			w.log.Error("twilio: inbound message not handled", "err", err)
			w.fail(rw, r, in, err)
			return
		}
		writeTwiML(rw)
	})
}

// fail answers a message OnMessage failed on: the Fallback's replies in
// the TwiML response, else 503 (500 without a Fallback).
func (w *Webhook) fail(rw http.ResponseWriter, r *http.Request, in tipline.Inbound, err error) {
	if w.cfg.Fallback == nil {
		http.Error(rw, "temporarily unavailable", http.StatusInternalServerError)
		return
	}
	replies := w.cfg.Fallback(r.Context(), in, err)
	if len(replies) == 0 {
		http.Error(rw, "temporarily unavailable", http.StatusServiceUnavailable)
		return
	}
	rw.Header().Set("Content-Type", "text/xml")
	rw.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(rw, MessagesTwiML(replies))
}

// MessagesTwiML is a TwiML response that sends replies to the sender, one
// <Message> each, rendered as SMS shows them (Render), XML-escaped.
func MessagesTwiML(replies []tipline.Reply) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Response>`)
	for _, r := range replies {
		b.WriteString("<Message>")
		_ = xml.EscapeText(&b, []byte(Render(r)))
		b.WriteString("</Message>")
	}
	b.WriteString("</Response>")
	return b.String()
}

// Status returns the handler for delivery status callbacks. Statuses this
// package does not know are acknowledged and dropped.
func (w *Webhook) Status() http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		form, ok := w.verified(rw, r)
		if !ok {
			return
		}
		st, err := ParseStatus(form, w.cfg.Now())
		if err != nil {
			w.log.Warn("twilio: malformed status callback", "path", r.URL.Path)
			http.Error(rw, "malformed request", http.StatusBadRequest)
			return
		}
		if !st.Status.Known() || w.cfg.OnStatus == nil {
			w.log.Debug("twilio: status callback ignored", "status", string(st.Status))
			writeTwiML(rw)
			return
		}
		if err := w.cfg.OnStatus(r.Context(), st); err != nil {
			w.log.Error("twilio: status callback not handled", "status", string(st.Status), "err", err)
			http.Error(rw, "temporarily unavailable", http.StatusInternalServerError)
			return
		}
		writeTwiML(rw)
	})
}

// verified reads and verifies a webhook request. On failure it has
// already answered and returns false.
func (w *Webhook) verified(rw http.ResponseWriter, r *http.Request) (url.Values, bool) {
	if r.Method != http.MethodPost {
		rw.Header().Set("Allow", http.MethodPost)
		http.Error(rw, "method not allowed", http.StatusMethodNotAllowed)
		return nil, false
	}
	body, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, w.cfg.MaxBody))
	if err != nil {
		status := http.StatusBadRequest
		if _, tooBig := errors.AsType[*http.MaxBytesError](err); tooBig {
			status = http.StatusRequestEntityTooLarge
		}
		http.Error(rw, http.StatusText(status), status)
		return nil, false
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/x-www-form-urlencoded" {
		http.Error(rw, "form body expected", http.StatusUnsupportedMediaType)
		return nil, false
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(rw, "malformed form", http.StatusBadRequest)
		return nil, false
	}
	if !Verify(w.cfg.AuthToken, w.signedURL(r), form, r.Header.Get(SignatureHeader)) {
		w.log.Warn("twilio: webhook signature rejected", "path", r.URL.Path)
		http.Error(rw, "forbidden", http.StatusForbidden)
		return nil, false
	}
	return form, true
}

// signedURL is the URL Twilio signed: PublicURL + path (+ query).
func (w *Webhook) signedURL(r *http.Request) string {
	u := w.base + r.URL.EscapedPath()
	if r.URL.RawQuery != "" {
		u += "?" + r.URL.RawQuery
	}
	return u
}

func writeTwiML(rw http.ResponseWriter) {
	rw.Header().Set("Content-Type", "text/xml")
	rw.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(rw, emptyTwiML)
}
