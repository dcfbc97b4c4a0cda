package twiliotest

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// WhatsAppNumber is the fake's own WhatsApp sender, the To of inbound
// WhatsApp messages.
const WhatsAppNumber = "whatsapp:" + Number

// ErrOutsideSession is Twilio's error for a free-form WhatsApp message
// sent more than 24 hours after the person's last message.
const ErrOutsideSession = 63016

const whatsappPrefix = "whatsapp:"

// WhatsAppInboundForm returns the parameters Twilio posts for an inbound
// WhatsApp message from the E.164 number from ("whatsapp:" is added) with
// the given body and media URLs (from AddMedia), with ProfileName and WaId
// as Twilio adds them (which Tipline must drop), and opens the sender's
// 24-hour session at the fake's clock.
func (s *Server) WhatsAppInboundForm(from, body string, mediaURLs ...string) url.Values {
	addr := whatsappPrefix + strings.TrimPrefix(from, whatsappPrefix)
	sid := NewSid("SM")
	if len(mediaURLs) > 0 {
		sid = "MM" + sid[2:]
	}
	f := url.Values{
		"MessageSid": {sid}, "SmsSid": {sid}, "SmsMessageSid": {sid},
		"AccountSid": {s.AccountSID}, "From": {addr}, "To": {WhatsAppNumber}, "Body": {body},
		"NumMedia": {strconv.Itoa(len(mediaURLs))}, "NumSegments": {"1"}, "SmsStatus": {"received"},
		"ApiVersion": {"2010-04-01"}, "ProfileName": {"Dani"}, "WaId": {strings.TrimPrefix(addr, whatsappPrefix+"+")},
		"MessageType": {"text"},
	}
	for i, u := range mediaURLs {
		n := strconv.Itoa(i)
		f.Set("MediaUrl"+n, u)
		f.Set("MediaContentType"+n, s.mediaType(u))
		f.Set("MessageType", "image")
	}
	s.OpenSession(addr)
	return f
}

// WhatsAppLocationForm returns the parameters of a shared location from
// the number from, with the place's name and address WhatsApp adds.
func (s *Server) WhatsAppLocationForm(from string, lat, lon float64) url.Values {
	f := s.WhatsAppInboundForm(from, "")
	f.Set("MessageType", "location")
	f.Set("Latitude", strconv.FormatFloat(lat, 'f', -1, 64))
	f.Set("Longitude", strconv.FormatFloat(lon, 'f', -1, 64))
	f.Set("Address", "1 Example Street")
	f.Set("Label", "Corner store")
	return f
}

// OpenSession records that the WhatsApp address addr wrote now (by the
// fake's clock), as an inbound message does.
func (s *Server) OpenSession(addr string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sessions[whatsappPrefix+strings.TrimPrefix(addr, whatsappPrefix)] = s.now()
}

// outsideSession reports whether a create is a free-form WhatsApp message
// to someone who has not written within 24 hours.
func (s *Server) outsideSession(f url.Values, now time.Time) bool {
	to := f.Get("To")
	if !strings.HasPrefix(to, whatsappPrefix) || f.Get("ContentSid") != "" {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	last, ok := s.sessions[to]
	return !ok || now.Sub(last) >= 24*time.Hour
}
