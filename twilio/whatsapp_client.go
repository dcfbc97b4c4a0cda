package twilio

import (
	"context"
	"errors"

	api "github.com/twilio/twilio-go/rest/api/v2010"
)

// WhatsAppMessage is one WhatsApp send: free-form Body, or a content
// template (ContentSid with its ContentVariables as JSON).
type WhatsAppMessage struct {
	From             string // the WhatsApp sender, "whatsapp:+…", or a Messaging Service SID (MG…)
	To               string // the recipient, "whatsapp:+…"
	Body             string // free-form text (empty with ContentSid)
	ContentSid       string // HX…: an approved content template
	ContentVariables string // JSON object of the template's variables
	StatusCallback   string // "" for none
}

// SendWhatsApp sends m through the Messages API and returns the new
// message's SID. WhatsApp messages carry no ValidityPeriod: a youth's
// reply that waited too long is dropped by the outbox before it goes.
func (c *Client) SendWhatsApp(ctx context.Context, m WhatsAppMessage) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.HTTPTimeout)
	defer cancel()
	p := (&api.CreateMessageParams{}).SetTo(m.To)
	if isServiceSid(m.From) {
		p.SetMessagingServiceSid(m.From)
	} else {
		p.SetFrom(m.From)
	}
	if m.ContentSid != "" {
		p.SetContentSid(m.ContentSid)
		if m.ContentVariables != "" {
			p.SetContentVariables(m.ContentVariables)
		}
	} else {
		p.SetBody(m.Body)
	}
	if m.StatusCallback != "" {
		p.SetStatusCallback(m.StatusCallback)
	}
	svc, ct := c.service(ctx)
	msg, err := svc.CreateMessage(p)
	if err != nil {
		return "", classify("send", err, ct)
	}
	if msg.Sid == nil || *msg.Sid == "" {
		status, _ := ct.last()
		return "", &SendError{Op: "send", Status: status, Err: errors.New("response has no sid")}
	}
	return *msg.Sid, nil
}
