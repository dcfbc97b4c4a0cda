package twilio_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline"
	"tipline/twilio"
)

const publicURL = "https://tipline.example.org"

// recorder collects what the handlers pass on.
type recorder struct {
	mu       sync.Mutex
	inbound  []tipline.Inbound
	statuses []twilio.Status
	fail     error
}

func (r *recorder) onMessage(_ context.Context, in tipline.Inbound) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.inbound = append(r.inbound, in)
	return r.fail
}

func (r *recorder) onStatus(_ context.Context, st twilio.Status) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.statuses = append(r.statuses, st)
	return r.fail
}

var fixedNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// startWebhook serves the real handlers over loopback, mounted on the
// routes of docs/design.md section 1 and on the /twilio/sms path of the vectors.
func startWebhook(t *testing.T, rec *recorder) *httptest.Server {
	t.Helper()
	wh, err := twilio.NewWebhook(twilio.WebhookConfig{
		PublicURL: publicURL + "/", AuthToken: exToken,
		OnMessage: rec.onMessage, OnStatus: rec.onStatus,
		MaxBody: 8 << 10, Now: func() time.Time { return fixedNow },
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/webhooks/twilio", wh.Inbound())
	mux.Handle("/webhooks/twilio/status", wh.Status())
	mux.Handle("/twilio/sms", wh)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// post sends a raw form body to srv+path with the given signature.
func post(t *testing.T, srv *httptest.Server, path, body, sig string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if sig != "" {
		req.Header.Set(twilio.SignatureHeader, sig)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

// signed returns the signature Twilio would send for body posted to path.
func signed(t *testing.T, path, body string) string {
	t.Helper()
	form, err := url.ParseQuery(body)
	if err != nil {
		t.Fatal(err)
	}
	return twilio.Sign(exToken, publicURL+path, form)
}

const mmsForm = "MessageSid=MM0123456789abcdef0123456789abcdef&AccountSid=AC0123456789abcdef0123456789abcdef&From=%2B12125550199&To=%2B12125550100&Body=this+is+the+car&NumMedia=2&FromCountry=us&FromCity=NEW+YORK&FromZip=10027" +
	"&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2F2010-04-01%2FAccounts%2FAC0123456789abcdef0123456789abcdef%2FMessages%2FMM0123456789abcdef0123456789abcdef%2FMedia%2FME00000000000000000000000000000000&MediaContentType0=image%2Fjpeg" +
	"&MediaUrl1=https%3A%2F%2Fapi.twilio.com%2F2010-04-01%2FAccounts%2FAC0123456789abcdef0123456789abcdef%2FMessages%2FMM0123456789abcdef0123456789abcdef%2FMedia%2FME11111111111111111111111111111111&MediaContentType1=image%2Fpng"

// TestInboundPosts runs raw form posts through the real handler.
func TestInboundPosts(t *testing.T) {
	media := func(n, ct string) tipline.MediaRef {
		return tipline.MediaRef{Ref: "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/MM0123456789abcdef0123456789abcdef/Media/ME" + strings.Repeat(n, 32), ContentType: ct}
	}
	tests := []struct {
		name, path, body string
		want             tipline.Inbound
	}{
		{"section 2 example", "/twilio/sms", exForm, tipline.Inbound{
			Channel: tipline.ChannelSMS, ProviderID: "SM0123456789abcdef0123456789abcdef",
			SenderID: "+12125550199", Text: "I need help", Country: "US", ReceivedAt: fixedNow}},
		{"MMS with two images", "/webhooks/twilio", mmsForm, tipline.Inbound{
			Channel: tipline.ChannelSMS, ProviderID: "MM0123456789abcdef0123456789abcdef",
			SenderID: "+12125550199", Text: "this is the car", Country: "US", ReceivedAt: fixedNow,
			Media: []tipline.MediaRef{media("0", "image/jpeg"), media("1", "image/png")}}},
		{"query string is signed too", "/webhooks/twilio?src=sms", "MessageSid=SMaa&From=%2B447700900123&Body=&FromCountry=GB", tipline.Inbound{
			Channel: tipline.ChannelSMS, ProviderID: "SMaa", SenderID: "+447700900123", Country: "GB", ReceivedAt: fixedNow}},
		{"unknown country shape dropped", "/webhooks/twilio", "MessageSid=SMbb&From=%2B15550100&Body=hi&FromCountry=USA", tipline.Inbound{
			Channel: tipline.ChannelSMS, ProviderID: "SMbb", SenderID: "+15550100", Text: "hi", ReceivedAt: fixedNow}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			srv := startWebhook(t, rec)
			resp := post(t, srv, tt.path, tt.body, signed(t, tt.path, tt.body))
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/xml" ||
				string(body) != `<?xml version="1.0" encoding="UTF-8"?><Response/>` {
				t.Fatalf("got %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			if len(rec.inbound) != 1 || !reflect.DeepEqual(rec.inbound[0], tt.want) {
				t.Fatalf("inbound = %+v\nwant %+v", rec.inbound, tt.want)
			}
		})
	}
}

// TestInboundRejects covers every refusal, each answered before OnMessage.
func TestInboundRejects(t *testing.T) {
	const path = "/webhooks/twilio"
	good := "MessageSid=SM1&From=%2B12125550199&Body=hi"
	goodSig := signed(t, path, good)
	tests := []struct {
		name, path, body, sig string
		status                int
	}{
		{"no signature", path, good, "", 403},
		{"signature of another body", path, good, signed(t, path, good+"x"), 403},
		{"one byte of body changed", path, strings.Replace(good, "hi", "hj", 1), goodSig, 403},
		{"query not signed", path + "?a=1", good, goodSig, 403},
		{"signed over the Host header", path, good, "host", 403},
		{"signed with another token", path, good, "token", 403},
		{"no MessageSid", path, "From=%2B12125550199&Body=hi", signed(t, path, "From=%2B12125550199&Body=hi"), 400},
		{"no From", path, "MessageSid=SM1&Body=hi", signed(t, path, "MessageSid=SM1&Body=hi"), 400},
		{"bad MessageSid", path, "MessageSid=SM%2F1&From=1", signed(t, path, "MessageSid=SM%2F1&From=1"), 400},
		{"bad form encoding", path, "MessageSid=%zz", goodSig, 400},
		{"too large", path, good + "&Body=" + strings.Repeat("a", 9<<10), goodSig, 413},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			srv := startWebhook(t, rec)
			sig := tt.sig
			form, _ := url.ParseQuery(tt.body)
			switch sig {
			case "host":
				sig = twilio.Sign(exToken, srv.URL+tt.path, form)
			case "token":
				sig = twilio.Sign(exToken[:len(exToken)-1]+"1", publicURL+tt.path, form)
			}
			if resp := post(t, srv, tt.path, tt.body, sig); resp.StatusCode != tt.status {
				t.Errorf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if len(rec.inbound) != 0 {
				t.Error("OnMessage called")
			}
		})
	}
}

func TestInboundMethodAndType(t *testing.T) {
	srv := startWebhook(t, &recorder{})
	resp, err := srv.Client().Get(srv.URL + "/webhooks/twilio")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET: %d, Allow %q", resp.StatusCode, resp.Header.Get("Allow"))
	}
	resp, err = srv.Client().Post(srv.URL+"/webhooks/twilio", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 415 {
		t.Errorf("JSON: %d, want 415", resp.StatusCode)
	}
}

// TestInboundHandlerError answers 500 so Twilio retries.
func TestInboundHandlerError(t *testing.T) {
	rec := &recorder{fail: errors.New("database down")}
	srv := startWebhook(t, rec)
	body := "MessageSid=SM1&From=%2B12125550199&Body=hi"
	if resp := post(t, srv, "/webhooks/twilio", body, signed(t, "/webhooks/twilio", body)); resp.StatusCode != 500 {
		t.Errorf("status %d, want 500", resp.StatusCode)
	}
}

func TestStatusCallbacks(t *testing.T) {
	const path = "/webhooks/twilio/status"
	tests := []struct {
		name, body string
		status     int
		want       []twilio.Status
	}{
		{"delivered", "MessageSid=SMd&MessageStatus=delivered&SmsStatus=delivered&To=%2B1555", 200,
			[]twilio.Status{{MessageSid: "SMd", Status: twilio.StatusDelivered, ReceivedAt: fixedNow}}},
		{"undelivered with code", "MessageSid=SMu&MessageStatus=undelivered&ErrorCode=30003", 200,
			[]twilio.Status{{MessageSid: "SMu", Status: twilio.StatusUndelivered, ErrorCode: 30003, ReceivedAt: fixedNow}}},
		{"old SmsStatus name", "SmsSid=SMo&SmsStatus=sent", 200,
			[]twilio.Status{{MessageSid: "SMo", Status: twilio.StatusSent, ReceivedAt: fixedNow}}},
		{"unknown status acknowledged", "MessageSid=SMx&MessageStatus=teleported", 200, nil},
		{"no status", "MessageSid=SMx", 400, nil},
		{"no sid", "MessageStatus=sent", 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{}
			srv := startWebhook(t, rec)
			if resp := post(t, srv, path, tt.body, signed(t, path, tt.body)); resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if !reflect.DeepEqual(rec.statuses, tt.want) {
				t.Errorf("statuses = %+v, want %+v", rec.statuses, tt.want)
			}
		})
	}
	rec := &recorder{fail: errors.New("busy")}
	srv := startWebhook(t, rec)
	body := "MessageSid=SMd&MessageStatus=failed&ErrorCode=30008"
	if resp := post(t, srv, path, body, signed(t, path, body)); resp.StatusCode != 500 {
		t.Errorf("OnStatus error: %d, want 500", resp.StatusCode)
	}
	if resp := post(t, srv, path, body, signed(t, "/webhooks/twilio", body)); resp.StatusCode != 403 {
		t.Errorf("signed for another path: %d, want 403", resp.StatusCode)
	}
}

func TestNewWebhookValidates(t *testing.T) {
	ok := func(context.Context, tipline.Inbound) error { return nil }
	for _, cfg := range []twilio.WebhookConfig{
		{PublicURL: "", AuthToken: "t", OnMessage: ok},
		{PublicURL: "tipline.example.org", AuthToken: "t", OnMessage: ok},
		{PublicURL: publicURL, AuthToken: "", OnMessage: ok},
		{PublicURL: publicURL, AuthToken: "t"},
	} {
		if _, err := twilio.NewWebhook(cfg); err == nil {
			t.Errorf("accepted %+v", cfg)
		}
	}
}

func TestStatusPredicates(t *testing.T) {
	if !twilio.StatusDelivered.Final() || twilio.StatusSent.Final() || !twilio.StatusUndelivered.Failed() ||
		twilio.StatusDelivered.Failed() || twilio.MessageStatus("x").Known() {
		t.Error("status predicates wrong")
	}
}
