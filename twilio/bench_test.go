package twilio_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"tipline"
	"tipline/twilio"
)

func BenchmarkVerify(b *testing.B) {
	p := exParams(b)
	for b.Loop() {
		if !twilio.Verify(exToken, exURL, p, exSig) {
			b.Fatal("rejected")
		}
	}
}

// BenchmarkParse parses the section 2 request body into a tipline.Inbound.
func BenchmarkParse(b *testing.B) {
	now := time.Now()
	b.SetBytes(int64(len(exForm)))
	for b.Loop() {
		form, err := url.ParseQuery(exForm)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := twilio.ParseInbound(form, now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWebhook runs one verified inbound request through the handler
// (in memory, without a network).
func BenchmarkWebhook(b *testing.B) {
	wh, err := twilio.NewWebhook(twilio.WebhookConfig{
		PublicURL: "https://tipline.example.org", AuthToken: exToken, Logger: slog.New(slog.DiscardHandler),
		OnMessage: func(context.Context, tipline.Inbound) error { return nil },
	})
	if err != nil {
		b.Fatal(err)
	}
	h := wh.Inbound()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, "/twilio/sms", strings.NewReader(exForm))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set(twilio.SignatureHeader, exSig)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body.String())
		}
		_, _ = io.Copy(io.Discard, w.Body)
	}
}
