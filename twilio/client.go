package twilio

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	twclient "github.com/twilio/twilio-go/client"
	api "github.com/twilio/twilio-go/rest/api/v2010"
)

// DefaultAPIURL is Twilio's REST API base URL.
const DefaultAPIURL = "https://api.twilio.com"

// DefaultHTTPTimeout bounds each API call when ClientConfig.HTTPTimeout is 0.
const DefaultHTTPTimeout = 10 * time.Second

// MaxValidity is the longest ValidityPeriod Twilio accepts.
const MaxValidity = 36000 * time.Second

// ClientConfig configures a Client.
type ClientConfig struct {
	AccountSID  string            // TWILIO_ACCOUNT_SID (AC…)
	AuthToken   string            // TWILIO_AUTH_TOKEN
	From        string            // TWILIO_FROM: an E.164 number or a Messaging Service SID (MG…)
	APIURL      string            // TWILIO_API_URL; "" means DefaultAPIURL
	HTTPTimeout time.Duration     // per call; 0 means DefaultHTTPTimeout
	Transport   http.RoundTripper // base transport; nil means http.DefaultTransport
	Now         func() time.Time  // for reading Retry-After dates; nil means time.Now
}

// Client calls the Twilio Messages API through twilio-go, with every
// request rewritten to APIURL and bounded by a timeout. Errors are
// *SendError. A Client is safe for concurrent use.
type Client struct {
	cfg   ClientConfig
	api   *url.URL
	rt    http.RoundTripper // rewrites to APIURL
	media *http.Client      // media downloads, which follow redirects
}

// NewClient checks cfg and returns a Client.
func NewClient(cfg ClientConfig) (*Client, error) {
	if !alnum(cfg.AccountSID) || !alnum(cfg.AuthToken) {
		return nil, errors.New("twilio: client: AccountSID and AuthToken must be non-empty letters and digits")
	}
	if cfg.From == "" {
		return nil, errors.New("twilio: client: From is required")
	}
	if cfg.APIURL == "" {
		cfg.APIURL = DefaultAPIURL
	}
	u, err := url.Parse(cfg.APIURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, errors.New("twilio: client: APIURL must be an absolute http(s) URL")
	}
	if cfg.HTTPTimeout <= 0 {
		cfg.HTTPTimeout = DefaultHTTPTimeout
	}
	if cfg.Transport == nil {
		cfg.Transport = http.DefaultTransport
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Client{
		cfg:   cfg,
		api:   u,
		rt:    &rewriteTransport{target: u, base: cfg.Transport},
		media: &http.Client{Transport: cfg.Transport, CheckRedirect: limitRedirects},
	}, nil
}

// service returns a twilio-go API service whose requests carry ctx and
// go through a callTransport that records status and Retry-After.
func (c *Client) service(ctx context.Context) (*api.ApiService, *callTransport) {
	ct := &callTransport{ctx: ctx, next: c.rt, now: c.cfg.Now}
	tc := &twclient.Client{
		Credentials: twclient.NewCredentials(c.cfg.AccountSID, c.cfg.AuthToken),
		HTTPClient: &http.Client{
			Transport:     ct,
			Timeout:       c.cfg.HTTPTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
	}
	tc.SetAccountSid(c.cfg.AccountSID)
	h := twclient.NewRequestHandler(tc)
	h.Edge, h.Region = "", "" // ignore TWILIO_EDGE/TWILIO_REGION: APIURL decides
	return api.NewApiService(h), ct
}

// Send sends body to the number to and returns the new message's SID.
// statusCallbackURL ("" for none) receives delivery statuses; validity > 0
// sets ValidityPeriod (whole seconds, rounded up, at most MaxValidity), so
// Twilio drops the message if it cannot leave the queue in time. From is
// sent as MessagingServiceSid when it is a Messaging Service SID.
func (c *Client) Send(ctx context.Context, to, body, statusCallbackURL string, validity time.Duration) (sid string, err error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.HTTPTimeout)
	defer cancel()
	p := (&api.CreateMessageParams{}).SetTo(to).SetBody(body)
	if isServiceSid(c.cfg.From) {
		p.SetMessagingServiceSid(c.cfg.From)
	} else {
		p.SetFrom(c.cfg.From)
	}
	if statusCallbackURL != "" {
		p.SetStatusCallback(statusCallbackURL)
	}
	if validity > 0 {
		p.SetValidityPeriod(validitySeconds(validity))
	}
	svc, ct := c.service(ctx)
	m, err := svc.CreateMessage(p)
	if err != nil {
		return "", classify("send", err, ct)
	}
	if m.Sid == nil || *m.Sid == "" {
		status, _ := ct.last()
		return "", &SendError{Op: "send", Status: status, Err: errors.New("response has no sid")}
	}
	return *m.Sid, nil
}

// RedactBody erases the text of a sent message at Twilio (POST Body="" to
// the message); Twilio only allows it once the message is final.
func (c *Client) RedactBody(ctx context.Context, messageSid string) error {
	if !validSid(messageSid) {
		return &SendError{Op: "redact", Permanent: true, Err: errors.New("malformed message SID")}
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.HTTPTimeout)
	defer cancel()
	svc, ct := c.service(ctx)
	if _, err := svc.UpdateMessage(messageSid, (&api.UpdateMessageParams{}).SetBody("")); err != nil {
		return classify("redact", err, ct)
	}
	return nil
}

// validitySeconds converts a validity to Twilio's whole seconds.
func validitySeconds(d time.Duration) int {
	return int(math.Ceil(min(d, MaxValidity).Seconds()))
}

// isServiceSid reports whether from is a Messaging Service SID.
func isServiceSid(from string) bool {
	return len(from) == 34 && strings.HasPrefix(from, "MG") && alnum(from)
}

// limitRedirects follows at most 5 redirects (media lives behind one).
func limitRedirects(_ *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return fmt.Errorf("twilio: media: too many redirects")
	}
	return nil
}
