// Package twiliotest is a fake Twilio REST API for tests: an httptest
// server on loopback that speaks the part of the 2010-04-01 API Tipline
// uses, records every request, and can be told to fail.
//
// Point a twilio.Client at it:
//
//	fake := twiliotest.New()
//	defer fake.Close()
//	client, err := twilio.NewClient(twilio.ClientConfig{
//		AccountSID: fake.AccountSID, AuthToken: fake.AuthToken,
//		From: "+15005550006", APIURL: fake.URL,
//	})
//	sid, err := client.Send(ctx, "+12125550199", "Hi", "https://tipline.example.org/webhooks/twilio/status", 600*time.Second)
//	got := fake.Creates() // []Request: To, From, MessagingServiceSid, Body, StatusCallback, ValidityPeriod
//
// Endpoints, under /2010-04-01/Accounts/{AccountSID}; each needs basic
// auth AccountSID:AuthToken (else 401, code 20003):
//
//	POST   /Messages.json                    create (201, status "queued", sid "SM"+32 hex); needs To,
//	                                         Body, and From or MessagingServiceSid (400 21604/21602/21603);
//	                                         a To not in E.164 gives 400 21211
//	GET    /Messages.json                    list, newest first; filters To, From, DateSent, DateSent>,
//	                                         DateSent< (RFC 3339 or YYYY-MM-DD); PageSize and Page paging
//	GET    /Messages/{Sid}.json              fetch one (404, code 20404, when unknown)
//	POST   /Messages/{Sid}.json              update: Body="" redacts the body, Status=canceled cancels
//	GET    /Messages/{Sid}/Media/{Sid}       307 to /_media/{Sid}, which serves the bytes (no auth), as
//	                                         Twilio redirects to its media store
//	GET    /Messages/{Sid}/Media/{Sid}.json  media metadata
//	DELETE /Messages/{Sid}/Media/{Sid}[.json] 204; the media is gone afterwards (then 404)
//
// Created messages get date_sent equal to date_created (as if sent at
// once), so a DateSent> list finds them immediately. Times come from the
// clock set with SetNow (time.Now by default).
//
// Failures: FailNext(n, f) makes the next n API requests (any endpoint
// except /_media) fail with f, for example TooManyRequests(3*time.Second),
// ServerError(), OptedOut(), InvalidTo(), or LostResponse() (the request
// takes effect, then the connection closes with no answer: a send whose
// outcome is unknown).
//
// WhatsApp (whatsapp.go): To and From may be "whatsapp:+…" addresses; a
// message may be a content template (ContentSid, ContentVariables) instead
// of a Body; WhatsAppInboundForm and WhatsAppLocationForm build inbound
// WhatsApp forms and open the person's 24-hour session, and a free-form
// message to them outside it is created already "failed" with error 63016,
// as Twilio reports it.
//
// For webhook tests, InboundForm builds a realistic inbound-SMS form,
// SignedRequest signs a form for a URL, and DeliverStatus posts a signed
// status callback for a message the fake holds.
package twiliotest

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"time"
)

// Default credentials of a fake; any letters and digits would do.
const (
	DefaultAccountSID = "AC00000000000000000000000000000001"
	DefaultAuthToken  = "0123456789abcdef0123456789abcdef"
)

// Server is a fake Twilio API. Its methods are safe for concurrent use.
type Server struct {
	URL        string // base URL, for twilio.ClientConfig.APIURL
	AccountSID string // the account the fake serves
	AuthToken  string // its auth token

	srv *httptest.Server
	mux *http.ServeMux

	mu       sync.Mutex
	now      func() time.Time
	requests []Request
	messages []*Message
	media    map[string]*media // by media SID
	failures []Failure
	sessions map[string]time.Time // WhatsApp address → the person's last message
}

// Request is one request the fake received, with the fields a test of
// Tipline's sending checks already pulled out of Form.
type Request struct {
	Method string
	Path   string     // URL path, e.g. /2010-04-01/Accounts/AC…/Messages.json
	Query  url.Values // URL query (list filters)
	Form   url.Values // POST body parameters

	To                  string
	From                string
	MessagingServiceSid string
	Body                string
	StatusCallback      string
	ValidityPeriod      int // seconds; 0 when absent

	User string    // basic-auth user name (never the password)
	Time time.Time // when it arrived, by the fake's clock
}

// Message is a message the fake holds.
type Message struct {
	Sid                 string
	To                  string
	From                string
	MessagingServiceSid string
	Body                string
	StatusCallback      string
	ValidityPeriod      int
	Status              string // "queued" when created
	ErrorCode           int
	Direction           string // "outbound-api" for created messages
	DateCreated         time.Time
	DateSent            time.Time
}

// New starts a fake with DefaultAccountSID and DefaultAuthToken.
func New() *Server {
	s := &Server{
		AccountSID: DefaultAccountSID,
		AuthToken:  DefaultAuthToken,
		now:        time.Now,
		media:      map[string]*media{},
		sessions:   map[string]time.Time{},
	}
	s.mux = s.routes()
	s.srv = httptest.NewServer(s)
	s.URL = s.srv.URL
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.srv.Close() }

// SetNow sets the clock used for dates and request times.
func (s *Server) SetNow(now func() time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// Requests returns every API request received so far, in order.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// Creates returns the requests to create a message (POST Messages.json),
// including those the fake failed.
func (s *Server) Creates() []Request {
	var out []Request
	for _, r := range s.Requests() {
		if r.Method == http.MethodPost && r.Path == s.accountPath()+"/Messages.json" {
			out = append(out, r)
		}
	}
	return out
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// Messages returns the messages the fake holds, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Message, len(s.messages))
	for i, m := range s.messages {
		out[i] = *m
	}
	return out
}

// Message returns the message with the given SID.
func (s *Server) Message(sid string) (Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.findMessage(sid); m != nil {
		return *m, true
	}
	return Message{}, false
}

// AddMessage stores m as if Twilio already held it (for example one sent
// before a crash). Empty Sid, Status, Direction and DateCreated are filled
// in; the stored message is returned.
func (s *Server) AddMessage(m Message) Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m.Sid == "" {
		m.Sid = NewSid("SM")
	}
	if m.Status == "" {
		m.Status = "queued"
	}
	if m.Direction == "" {
		m.Direction = "outbound-api"
	}
	if m.DateCreated.IsZero() {
		m.DateCreated = s.now().UTC().Truncate(time.Second)
	}
	s.messages = append(s.messages, &m)
	return m
}

// SetMessageStatus changes a held message's status and error code; it
// reports whether the message exists.
func (s *Server) SetMessageStatus(sid, status string, errorCode int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.findMessage(sid)
	if m == nil {
		return false
	}
	m.Status, m.ErrorCode = status, errorCode
	return true
}

func (s *Server) findMessage(sid string) *Message {
	for _, m := range s.messages {
		if m.Sid == sid {
			return m
		}
	}
	return nil
}

func (s *Server) accountPath() string { return "/2010-04-01/Accounts/" + s.AccountSID }

// NewSid returns a random Twilio-style SID: prefix and 32 hex digits.
func NewSid(prefix string) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}
