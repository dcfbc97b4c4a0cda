package twiliotest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"tipline/twilio"
)

// Number is the fake's own phone number, the To of inbound messages.
const Number = "+15005550006"

// InboundForm returns the parameters Twilio posts for an inbound SMS from
// the number from with the given body, with a fresh MessageSid and the
// location fields Twilio adds (FromCity, FromZip, … which Tipline must
// drop). Each media URL (from AddMedia) becomes MediaUrl{N} with its
// content type, and the SID becomes an "MM" one.
func (s *Server) InboundForm(from, body string, mediaURLs ...string) url.Values {
	sid := NewSid("SM")
	if len(mediaURLs) > 0 {
		sid = "MM" + sid[2:]
	}
	f := url.Values{
		"MessageSid": {sid}, "SmsSid": {sid}, "SmsMessageSid": {sid},
		"AccountSid": {s.AccountSID}, "From": {from}, "To": {Number}, "Body": {body},
		"NumMedia": {strconv.Itoa(len(mediaURLs))}, "NumSegments": {"1"},
		"SmsStatus": {"received"}, "ApiVersion": {"2010-04-01"},
		"FromCountry": {"US"}, "FromState": {"NY"}, "FromCity": {"NEW YORK"}, "FromZip": {"10027"},
		"ToCountry": {"US"}, "ToState": {"NY"}, "ToCity": {"NEW YORK"}, "ToZip": {"10001"},
	}
	for i, u := range mediaURLs {
		n := strconv.Itoa(i)
		f.Set("MediaUrl"+n, u)
		f.Set("MediaContentType"+n, s.mediaType(u))
	}
	return f
}

func (s *Server) mediaType(mediaURL string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if md, ok := s.media[lastSegment(mediaURL)]; ok {
		return md.contentType
	}
	return "image/jpeg"
}

// SignedRequest builds a webhook POST of form to target (where the test
// server listens) whose X-Twilio-Signature is computed, as Twilio does,
// over signedURL (the URL configured at Twilio: PUBLIC_URL + path).
func SignedRequest(ctx context.Context, target, signedURL, authToken string, form url.Values) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, fmt.Errorf("twiliotest: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(twilio.SignatureHeader, twilio.Sign(authToken, signedURL, form))
	return req, nil
}

// DeliverStatus sets a held message's status and posts the signed status
// callback Twilio would send to its StatusCallback. The request goes to
// the scheme and host of via (the test server) with the callback's path
// and query, and is signed over the StatusCallback URL itself. A non-2xx
// answer is an error.
func (s *Server) DeliverStatus(ctx context.Context, via, sid, status string, errorCode int) error {
	if !s.SetMessageStatus(sid, status, errorCode) {
		return fmt.Errorf("twiliotest: deliver status: no message %s", sid)
	}
	m, _ := s.Message(sid)
	cb, err := url.Parse(m.StatusCallback)
	if err != nil || m.StatusCallback == "" {
		return fmt.Errorf("twiliotest: deliver status: message %s has no usable StatusCallback", sid)
	}
	base, err := url.Parse(via)
	if err != nil {
		return fmt.Errorf("twiliotest: deliver status: %w", err)
	}
	target := *cb
	target.Scheme, target.Host = base.Scheme, base.Host
	form := url.Values{
		"MessageSid": {sid}, "SmsSid": {sid}, "MessageStatus": {status}, "SmsStatus": {status},
		"AccountSid": {s.AccountSID}, "To": {m.To}, "From": {m.From}, "ApiVersion": {"2010-04-01"},
	}
	if errorCode != 0 {
		form.Set("ErrorCode", strconv.Itoa(errorCode))
	}
	req, err := SignedRequest(ctx, target.String(), m.StatusCallback, s.AuthToken, form)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("twiliotest: deliver status: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("twiliotest: deliver status: HTTP %d", resp.StatusCode)
	}
	return nil
}
