package twiliotest_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline"
	"tipline/twilio"
	"tipline/twilio/twiliotest"
)

const public = "https://tipline.example.org"

// webhookServer runs the real twilio.Webhook over loopback with the fake's token.
func webhookServer(t *testing.T, fake *twiliotest.Server) (*httptest.Server, *[]tipline.Inbound, *[]twilio.Status) {
	t.Helper()
	var mu sync.Mutex
	var in []tipline.Inbound
	var st []twilio.Status
	wh, err := twilio.NewWebhook(twilio.WebhookConfig{
		PublicURL: public, AuthToken: fake.AuthToken, Logger: slog.New(slog.DiscardHandler),
		OnMessage: func(_ context.Context, m tipline.Inbound) error {
			mu.Lock()
			in = append(in, m)
			mu.Unlock()
			return nil
		},
		OnStatus: func(_ context.Context, s twilio.Status) error {
			mu.Lock()
			st = append(st, s)
			mu.Unlock()
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(wh)
	t.Cleanup(srv.Close)
	return srv, &in, &st
}

func TestInboundFormAndSignedRequest(t *testing.T) {
	fake := twiliotest.New()
	defer fake.Close()
	srv, in, _ := webhookServer(t, fake)
	photo := fake.AddMedia("", "image/png", []byte("png"))
	form := fake.InboundForm("+12125550199", "the car", photo)
	req, err := twiliotest.SignedRequest(context.Background(), srv.URL+"/webhooks/twilio", public+"/webhooks/twilio", fake.AuthToken, form)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || len(*in) != 1 {
		t.Fatalf("status %d, %d inbound", resp.StatusCode, len(*in))
	}
	got := (*in)[0]
	if got.ProviderID != form.Get("MessageSid") || !strings.HasPrefix(got.ProviderID, "MM") || got.Text != "the car" ||
		got.Country != "US" || len(got.Media) != 1 || got.Media[0] != (tipline.MediaRef{Ref: photo, ContentType: "image/png"}) {
		t.Errorf("inbound %+v", got)
	}
}

func TestDeliverStatus(t *testing.T) {
	fake := twiliotest.New()
	defer fake.Close()
	srv, _, st := webhookServer(t, fake)
	m := fake.AddMessage(twiliotest.Message{To: "+12125550199", Body: "hi", StatusCallback: public + "/webhooks/twilio/status?o=42"})
	if err := fake.DeliverStatus(context.Background(), srv.URL, m.Sid, "undelivered", 30003); err != nil {
		t.Fatal(err)
	}
	if len(*st) != 1 || (*st)[0].MessageSid != m.Sid || (*st)[0].Status != twilio.StatusUndelivered || (*st)[0].ErrorCode != 30003 {
		t.Errorf("statuses %+v", *st)
	}
	if got, _ := fake.Message(m.Sid); got.Status != "undelivered" {
		t.Errorf("fake status %q", got.Status)
	}
	if err := fake.DeliverStatus(context.Background(), srv.URL, "SMnope", "sent", 0); err == nil {
		t.Error("unknown sid accepted")
	}
}

// get calls the fake directly and decodes the JSON answer.
func get(t *testing.T, fake *twiliotest.Server, path, user string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, fake.URL+path, nil)
	req.SetBasicAuth(user, fake.AuthToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var v map[string]any
	_ = json.Unmarshal(body, &v)
	return resp.StatusCode, v
}

func TestListFiltersAndAuth(t *testing.T) {
	fake := twiliotest.New()
	defer fake.Close()
	day := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i, to := range []string{"+12125550199", "+12125550199", "+12125550111"} {
		at := day.Add(time.Duration(i-1) * 24 * time.Hour)
		fake.AddMessage(twiliotest.Message{To: to, Body: "m", DateCreated: at, DateSent: at})
	}
	base := "/2010-04-01/Accounts/" + fake.AccountSID + "/Messages.json?"
	tests := []struct {
		query string
		want  int
	}{
		{"", 3},
		{"To=%2B12125550199", 2},
		{"To=%2B12125550199&DateSent%3E=2026-03-01", 1},
		{"DateSent%3E=2026-03-01T12:00:00Z", 2},
		{"DateSent%3C=2026-03-01", 2},
		{"DateSent=2026-02-28", 1},
	}
	for _, tt := range tests {
		status, v := get(t, fake, base+tt.query, fake.AccountSID)
		if msgs, _ := v["messages"].([]any); status != 200 || len(msgs) != tt.want {
			t.Errorf("%q: status %d, %d messages, want %d", tt.query, status, len(msgs), tt.want)
		}
	}
	if status, v := get(t, fake, base, "ACwrong"); status != 401 || v["code"] != float64(20003) {
		t.Errorf("bad auth: %d %v", status, v)
	}
	other := strings.Replace(base, fake.AccountSID, "AC99999999999999999999999999999999", 1)
	if status, _ := get(t, fake, other, fake.AccountSID); status != 404 {
		t.Errorf("other account: %d", status)
	}
	if status, v := get(t, fake, "/2010-04-01/Nothing", fake.AccountSID); status != 404 || v["code"] != float64(20404) {
		t.Errorf("unknown route: %d %v", status, v)
	}
	if n := len(fake.Requests()); n != len(tests)+3 {
		t.Errorf("recorded %d requests", n)
	}
}

func TestFailuresQueue(t *testing.T) {
	fake := twiliotest.New()
	defer fake.Close()
	fake.FailNext(1, twiliotest.TooManyRequests(1500*time.Millisecond))
	fake.FailNext(1, twiliotest.InvalidTo())
	path := "/2010-04-01/Accounts/" + fake.AccountSID + "/Messages.json"
	req, _ := http.NewRequest(http.MethodGet, fake.URL+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "2" {
		t.Errorf("first: %d Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if status, v := get(t, fake, path, fake.AccountSID); status != 400 || v["code"] != float64(21211) {
		t.Errorf("second: %d %v", status, v)
	}
	if status, _ := get(t, fake, path, fake.AccountSID); status != 200 {
		t.Errorf("third: %d", status)
	}
}
