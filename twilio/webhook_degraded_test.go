package twilio_test

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"tipline"
	"tipline/twilio"
)

// degradedServer serves the inbound webhook with a Fallback that answers
// with replies (none: nothing to say) and records the error it was given.
func degradedServer(t *testing.T, replies []tipline.Reply, seen *[]string) *httptest.Server {
	t.Helper()
	wh, err := twilio.NewWebhook(twilio.WebhookConfig{
		PublicURL: publicURL, AuthToken: exToken, Logger: slog.New(slog.DiscardHandler),
		OnMessage: func(context.Context, tipline.Inbound) error { return errors.New("database unreachable") },
		Fallback: func(_ context.Context, in tipline.Inbound, err error) []tipline.Reply {
			*seen = append(*seen, in.ProviderID+": "+err.Error())
			return replies
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/webhooks/twilio", wh.Inbound())
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// A danger answer goes out in the TwiML response itself, escaped; without
// one the webhook answers 503 so that Twilio retries.
func TestInboundFallback(t *testing.T) {
	const path = "/webhooks/twilio"
	body := "MessageSid=SMd1&From=%2B12125550199&Body=help&FromCountry=US"
	answer := tipline.Reply{Text: "If you are in danger, call 911 now.\n- Line <A> & B: call 988."}
	var seen []string
	srv := degradedServer(t, []tipline.Reply{answer}, &seen)
	resp := post(t, srv, path, body, signed(t, path, body))
	got, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/xml" {
		t.Fatalf("status %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var twiml struct {
		Messages []string `xml:"Message"`
	}
	if err := xml.Unmarshal(got, &twiml); err != nil {
		t.Fatalf("not XML: %v\n%s", err, got)
	}
	if len(twiml.Messages) != 1 || twiml.Messages[0] != answer.Text {
		t.Fatalf("messages %q, want %q", twiml.Messages, answer.Text)
	}
	if len(seen) != 1 || seen[0] != "SMd1: database unreachable" {
		t.Fatalf("fallback saw %v", seen)
	}

	seen = nil
	srv = degradedServer(t, nil, &seen)
	if resp := post(t, srv, path, body, signed(t, path, body)); resp.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("nothing to say: status %d, want 503", resp.StatusCode)
	}
	// A forged request never reaches the fallback.
	if resp := post(t, srv, path, body, "forged"); resp.StatusCode != 403 || len(seen) != 1 {
		t.Fatalf("forged: status %d, fallback calls %d", resp.StatusCode, len(seen))
	}
}

// The webhook URL configured at Twilio carries connection overrides in its
// fragment (README, going live: #rc=…&rp=…). A fragment is never sent in
// an HTTP request, and Twilio signs the URL it requests, so the signature
// is over PUBLIC_URL + path alone: the check passes with such a URL.
func TestSignatureWithConnectionOverrides(t *testing.T) {
	const path = "/webhooks/twilio"
	const overrides = "#ct=3000&rt=14000&tt=15000&rc=5&rp=ct,rt,5xx"
	rec := &recorder{}
	srv := startWebhook(t, rec)
	sig := signed(t, path, exForm) // over publicURL + path, without the fragment

	req, err := http.NewRequest(http.MethodPost, srv.URL+path+overrides, strings.NewReader(exForm))
	if err != nil {
		t.Fatal(err)
	}
	if req.URL.Fragment == "" || strings.Contains(req.URL.RequestURI(), "#") {
		t.Fatalf("fragment %q, request URI %q", req.URL.Fragment, req.URL.RequestURI())
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(twilio.SignatureHeader, sig)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || len(rec.inbound) != 1 {
		t.Fatalf("status %d, %d messages", resp.StatusCode, len(rec.inbound))
	}
	// The Fallback URL differs by its query, which is signed as sent.
	const fallbackPath = path + "?fallback=1"
	resp, err = srv.Client().Post(srv.URL+fallbackPath+overrides, "application/x-www-form-urlencoded", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Fatalf("unsigned fallback request: status %d, want 403", resp.StatusCode)
	}
	if resp := post(t, srv, fallbackPath+overrides, exForm, signed(t, fallbackPath, exForm)); resp.StatusCode != 200 || len(rec.inbound) != 2 {
		t.Fatalf("fallback URL: status %d, %d messages", resp.StatusCode, len(rec.inbound))
	}
	// PUBLIC_URL is the base alone: a signature over the URL with its
	// fragment is not what Twilio sends and is refused.
	withFragment := twilio.Sign(exToken, publicURL+path+overrides, formOf(t, exForm))
	if resp := post(t, srv, path, exForm, withFragment); resp.StatusCode != 403 {
		t.Fatalf("signature over the fragment: status %d, want 403", resp.StatusCode)
	}
}

func formOf(t *testing.T, body string) url.Values {
	t.Helper()
	form, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	return form
}
