package twilio_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"tipline/twilio"
	"tipline/twilio/twiliotest"
)

const (
	youth      = "+12125550199"
	ourNumber  = "+15005550006"
	serviceSid = "MG0123456789abcdef0123456789abcdef"
	statusURL  = "https://tipline.example.org/webhooks/twilio/status"
)

var smSid = regexp.MustCompile(`^SM[0-9a-f]{32}$`)

func newClient(t *testing.T, fake *twiliotest.Server, from string) *twilio.Client {
	t.Helper()
	c, err := twilio.NewClient(twilio.ClientConfig{
		AccountSID: fake.AccountSID, AuthToken: fake.AuthToken, From: from,
		APIURL: fake.URL, HTTPTimeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func startFake(t *testing.T) *twiliotest.Server {
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	return fake
}

// TestSendRequests asserts the exact requests Send makes.
func TestSendRequests(t *testing.T) {
	tests := []struct {
		name     string
		from     string
		callback string
		validity time.Duration
		want     twiliotest.Request
	}{
		{"number, callback, youth validity", ourNumber, statusURL, 600 * time.Second,
			twiliotest.Request{From: ourNumber, StatusCallback: statusURL, ValidityPeriod: 600}},
		{"messaging service, no validity", serviceSid, statusURL, 0,
			twiliotest.Request{MessagingServiceSid: serviceSid, StatusCallback: statusURL}},
		{"no callback, validity rounded up", ourNumber, "", 1500 * time.Millisecond,
			twiliotest.Request{From: ourNumber, ValidityPeriod: 2}},
		{"validity capped", ourNumber, "", 48 * time.Hour,
			twiliotest.Request{From: ourNumber, ValidityPeriod: 36000}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := startFake(t)
			sid, err := newClient(t, fake, tt.from).Send(context.Background(), youth, "Hola 😜", tt.callback, tt.validity)
			if err != nil || !smSid.MatchString(sid) {
				t.Fatalf("Send = %q, %v", sid, err)
			}
			reqs := fake.Creates()
			if len(reqs) != 1 {
				t.Fatalf("%d creates", len(reqs))
			}
			r := reqs[0]
			want := fields(tt.want)
			want.To, want.Body = youth, "Hola 😜"
			if got := fields(r); got != want {
				t.Errorf("request = %+v\nwant %+v", got, want)
			}
			if r.Path != "/2010-04-01/Accounts/"+fake.AccountSID+"/Messages.json" || r.User != fake.AccountSID {
				t.Errorf("path %s user %s", r.Path, r.User)
			}
			if _, has := r.Form["ValidityPeriod"]; has != (tt.validity > 0) {
				t.Errorf("ValidityPeriod present = %v", has)
			}
			if m, ok := fake.Message(sid); !ok || m.Status != "queued" {
				t.Errorf("fake holds %+v", m)
			}
		})
	}
}

// TestSendErrors checks the classification of failures.
func TestSendErrors(t *testing.T) {
	tests := []struct {
		name    string
		failure twiliotest.Failure
		to      string
		want    twilio.SendError
	}{
		{"429 with Retry-After", twiliotest.TooManyRequests(3 * time.Second), youth,
			twilio.SendError{Op: "send", Status: 429, Code: 20429, RetryAfter: 3 * time.Second}},
		{"500", twiliotest.ServerError(), youth, twilio.SendError{Op: "send", Status: 500, Code: 20500}},
		{"opted out", twiliotest.OptedOut(), youth, twilio.SendError{Op: "send", Status: 400, Code: 21610, Permanent: true}},
		{"not mobile", twiliotest.Failure{Status: 400, Code: 21614, Message: "not mobile"}, youth,
			twilio.SendError{Op: "send", Status: 400, Code: 21614, Permanent: true}},
		{"other 4xx", twiliotest.Failure{Status: 403, Code: 20003, Message: "no"}, youth,
			twilio.SendError{Op: "send", Status: 403, Code: 20003, Permanent: true}},
		{"invalid number from the API", twiliotest.Failure{}, "+1-555-INVALID", twilio.SendError{Op: "send", Status: 400, Code: 21211, Permanent: true}},
		{"502 without code", twiliotest.Failure{Status: 502}, youth, twilio.SendError{Op: "send", Status: 502}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := startFake(t)
			if tt.failure.Status != 0 {
				fake.FailNext(1, tt.failure)
			}
			_, err := newClient(t, fake, ourNumber).Send(context.Background(), tt.to, "hi", "", 0)
			se, ok := errors.AsType[*twilio.SendError](err)
			if !ok {
				t.Fatalf("error %T %v", err, err)
			}
			got := *se
			got.Err = nil
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
			if strings.Contains(err.Error(), "555") || twilio.IsPermanent(err) != tt.want.Permanent {
				t.Errorf("error text %q", err)
			}
			if se.OptedOut() != (tt.want.Code == twilio.CodeOptedOut) {
				t.Error("OptedOut wrong")
			}
		})
	}
}

// TestSendRetryThenSucceed: a temporary failure leaves nothing at Twilio.
func TestSendRetryThenSucceed(t *testing.T) {
	fake := startFake(t)
	fake.FailNext(1, twiliotest.ServerError())
	c := newClient(t, fake, ourNumber)
	if _, err := c.Send(context.Background(), youth, "hi", "", 0); twilio.IsPermanent(err) || err == nil {
		t.Fatalf("first send: %v", err)
	}
	if _, err := c.Send(context.Background(), youth, "hi", "", 0); err != nil {
		t.Fatal(err)
	}
	if n := len(fake.Messages()); n != 1 {
		t.Errorf("fake holds %d messages, want 1", n)
	}
}

// TestLostResponseReconciled: Twilio accepted the message but the answer
// was lost; ListSentTo finds it so it is not sent twice.
func TestLostResponseReconciled(t *testing.T) {
	fake := startFake(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	fake.SetNow(func() time.Time { return now })
	fake.AddMessage(twiliotest.Message{To: youth, Body: "older", DateCreated: now.Add(-time.Hour), DateSent: now.Add(-time.Hour)})
	fake.AddMessage(twiliotest.Message{To: "+12125550111", Body: "other person", DateCreated: now, DateSent: now})
	fake.FailNext(1, twiliotest.LostResponse())
	c := newClient(t, fake, ourNumber)
	_, err := c.Send(context.Background(), youth, "Shelter: 555-0100", statusURL, 600*time.Second)
	se, ok := errors.AsType[*twilio.SendError](err)
	if !ok || se.Permanent || se.Status != 0 {
		t.Fatalf("lost response: %v", err)
	}
	got, err := c.ListSentTo(context.Background(), youth, now.Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Body != "Shelter: 555-0100" || got[0].To != youth || got[0].Status != twilio.StatusQueued ||
		!smSid.MatchString(got[0].Sid) || !got[0].DateCreated.Equal(now) || got[0].NumSegments != 1 {
		t.Fatalf("ListSentTo = %+v", got)
	}
	last := fake.Requests()[len(fake.Requests())-1]
	if last.Method != "GET" || last.Query.Get("To") != youth || last.Query.Get("DateSent>") != "2026-03-01T11:59:00Z" {
		t.Errorf("list request %s %v", last.Method, last.Query)
	}
}

func TestListSentToPages(t *testing.T) {
	fake := startFake(t)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for i := range 130 {
		at := now.Add(time.Duration(i) * time.Second)
		fake.AddMessage(twiliotest.Message{To: youth, Body: "m", DateCreated: at, DateSent: at})
	}
	got, err := newClient(t, fake, ourNumber).ListSentTo(context.Background(), youth, now)
	if err != nil || len(got) != 130 || !got[0].DateCreated.After(got[129].DateCreated) {
		t.Fatalf("got %d, %v", len(got), err)
	}
	fake.FailNext(1, twiliotest.TooManyRequests(time.Second))
	if _, err := newClient(t, fake, ourNumber).ListSentTo(context.Background(), youth, now); err == nil || twilio.IsPermanent(err) {
		t.Errorf("429 on list: %v", err)
	}
}

func TestRedactBody(t *testing.T) {
	fake := startFake(t)
	c := newClient(t, fake, ourNumber)
	sid, err := c.Send(context.Background(), youth, "secret", "", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.RedactBody(context.Background(), sid); err != nil {
		t.Fatal(err)
	}
	r := fake.Requests()[1]
	if r.Method != "POST" || r.Path != "/2010-04-01/Accounts/"+fake.AccountSID+"/Messages/"+sid+".json" ||
		len(r.Form) != 1 || r.Form.Get("Body") != "" || len(r.Form["Body"]) != 1 {
		t.Errorf("redact request %s %s %v", r.Method, r.Path, r.Form)
	}
	if m, _ := fake.Message(sid); m.Body != "" {
		t.Errorf("body still %q", m.Body)
	}
	err = c.RedactBody(context.Background(), "SM00000000000000000000000000000000")
	if se, ok := errors.AsType[*twilio.SendError](err); !ok || se.Status != 404 || !se.Permanent {
		t.Errorf("unknown sid: %v", err)
	}
	if err := c.RedactBody(context.Background(), "../x"); !twilio.IsPermanent(err) {
		t.Errorf("malformed sid: %v", err)
	}
}

func TestContextAndTimeout(t *testing.T) {
	fake := startFake(t)
	c := newClient(t, fake, ourNumber)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.Send(ctx, youth, "hi", "", 0)
	if !errors.Is(err, context.Canceled) || twilio.IsPermanent(err) {
		t.Errorf("cancelled: %v", err)
	}
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer slow.Close()
	defer close(release)
	c2, err := twilio.NewClient(twilio.ClientConfig{AccountSID: fake.AccountSID, AuthToken: fake.AuthToken,
		From: ourNumber, APIURL: slow.URL, HTTPTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c2.Send(context.Background(), youth, "hi", "", 0)
	if !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), youth) {
		t.Errorf("timeout: %v", err)
	}
	_, err = c2.ListSentTo(context.Background(), youth, time.Now())
	if err == nil || strings.Contains(err.Error(), "2125550199") {
		t.Errorf("list timeout leaks the number: %v", err)
	}
}

// TestAPIURLWithPrefix: APIURL may carry a path; twilio-go's fixed host is
// replaced by it.
func TestAPIURLWithPrefix(t *testing.T) {
	fake := startFake(t)
	prefixed := httptest.NewServer(http.StripPrefix("/twilio", fake))
	defer prefixed.Close()
	c, err := twilio.NewClient(twilio.ClientConfig{AccountSID: fake.AccountSID, AuthToken: fake.AuthToken,
		From: ourNumber, APIURL: prefixed.URL + "/twilio/"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Send(context.Background(), youth, "hi", "", 0); err != nil {
		t.Fatal(err)
	}
}

func TestNewClientValidates(t *testing.T) {
	for _, cfg := range []twilio.ClientConfig{
		{AccountSID: "", AuthToken: "tok", From: ourNumber},
		{AccountSID: "AC1", AuthToken: "tok_en", From: ourNumber},
		{AccountSID: "AC1", AuthToken: "tok", From: ""},
		{AccountSID: "AC1", AuthToken: "tok", From: ourNumber, APIURL: "api.twilio.com"},
	} {
		if _, err := twilio.NewClient(cfg); err == nil {
			t.Errorf("accepted %+v", cfg)
		}
	}
	if _, err := twilio.NewClient(twilio.ClientConfig{AccountSID: "AC1", AuthToken: "tok", From: ourNumber}); err != nil {
		t.Errorf("defaults: %v", err)
	}
}

// sendFields are the fields of a create request a test compares.
type sendFields struct {
	To, From, MessagingServiceSid, Body, StatusCallback string
	ValidityPeriod                                      int
}

func fields(r twiliotest.Request) sendFields {
	return sendFields{r.To, r.From, r.MessagingServiceSid, r.Body, r.StatusCallback, r.ValidityPeriod}
}

// TestNonJSONError: a proxy's HTML error page still gives status and
// Retry-After.
func TestNonJSONError(t *testing.T) {
	html := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		http.Error(w, "<html>bad gateway</html>", http.StatusBadGateway)
	}))
	defer html.Close()
	c, err := twilio.NewClient(twilio.ClientConfig{AccountSID: "AC1", AuthToken: "tok", From: ourNumber, APIURL: html.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Send(context.Background(), youth, "hi", "", 0)
	se, ok := errors.AsType[*twilio.SendError](err)
	if !ok || se.Status != 502 || se.Permanent || se.RetryAfter != 7*time.Second {
		t.Errorf("got %v", err)
	}
}
