package twilio

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"tipline"
)

// CodeWhatsAppWindow is the failure code of a message refused because the
// person last wrote more than WhatsAppSession ago and no approved template
// is configured; staff see it on the message.
const CodeWhatsAppWindow = "whatsapp_24h"

// ErrWhatsAppWindow is wrapped by a send refused for CodeWhatsAppWindow.
var ErrWhatsAppWindow = errors.New("the person last wrote on WhatsApp more than 24 hours ago: WhatsApp only carries an approved template now, " +
	"and none is configured (WHATSAPP_TEMPLATE_SID); the message was not sent")

// WhatsAppProvider carries channel "whatsapp" for the core
// (tipline.Provider) through the same Twilio account as SMS: free-form
// messages within 24 hours of the person's last message, an approved
// template (TemplateSID) after that or, without one, a permanent failure
// (CodeWhatsAppWindow); choices as numbered options or, with ChoicesSID,
// as a content template. Media, reconciliation and body redaction work as
// on SMS.
type WhatsAppProvider struct {
	Client         *Client
	From           string  // the WhatsApp sender (WHATSAPP_FROM): a number, with or without "whatsapp:", or an MG… SID
	StatusCallback string  // PUBLIC_URL + /webhooks/twilio/status
	MPS            float64 // messages per second; 0 means 1
	TemplateSID    string  // WHATSAPP_TEMPLATE_SID: the approved template for outside the window
	ChoicesSID     string  // WHATSAPP_CHOICES_SID: a content template for replies with options
	// LastInbound says when the person a queued message (its id) goes to
	// last wrote; ok is false when they never did. Nil: always inside.
	LastInbound func(ctx context.Context, messageID int64) (at time.Time, ok bool, err error)
	// Now is the clock the window is measured by; nil means time.Now.
	Now func() time.Time
}

var _ tipline.Provider = (*WhatsAppProvider)(nil)

// Channel implements tipline.Provider.
func (p *WhatsAppProvider) Channel() tipline.Channel { return tipline.ChannelWhatsApp }

// Traits implements tipline.Provider. WhatsApp has no carrier STOP: the
// flows confirm STOP themselves, and a DELETE's confirmation still goes.
func (p *WhatsAppProvider) Traits() tipline.Traits {
	return tipline.Traits{Reconciles: true, FetchesMedia: true, KeepsMedia: true, KeepsBodies: true}
}

// Limits implements tipline.Provider: the sender's messages per second.
func (p *WhatsAppProvider) Limits(string, tipline.Reply) []tipline.Rate {
	mps := p.MPS
	if mps <= 0 {
		mps = 1
	}
	return []tipline.Rate{{Key: "twilio:whatsapp", Units: 1, PerSecond: mps}}
}

// Send implements tipline.Provider; to is the E.164 number.
func (p *WhatsAppProvider) Send(ctx context.Context, to string, r tipline.Reply, o tipline.SendOptions) (string, error) {
	m, err := p.message(ctx, to, r, o)
	if err != nil {
		return "", err
	}
	sid, err := p.Client.SendWhatsApp(ctx, m)
	if err != nil {
		return "", sendError(err)
	}
	return sid, nil
}

// message builds the send: a template outside the window, the choices
// template for options where configured, free text otherwise.
func (p *WhatsAppProvider) message(ctx context.Context, to string, r tipline.Reply, o tipline.SendOptions) (WhatsAppMessage, error) {
	from := p.From
	if !isServiceSid(from) {
		from = WhatsAppAddress(from)
	}
	m := WhatsAppMessage{From: from, To: WhatsAppAddress(to), StatusCallback: p.StatusCallback}
	inside, err := p.inside(ctx, o.MessageID)
	if err != nil {
		return m, err
	}
	switch vars, choices := ChoicesVariables(r); {
	case !inside && p.TemplateSID == "":
		return m, &tipline.SendError{Failure: tipline.SendPermanent, Code: CodeWhatsAppWindow, Err: ErrWhatsAppWindow}
	case !inside:
		m.ContentSid, m.ContentVariables = p.TemplateSID, TemplateVariables(r)
	case choices && p.ChoicesSID != "":
		m.ContentSid, m.ContentVariables = p.ChoicesSID, vars
	default:
		m.Body = RenderWhatsApp(r)
		if err := CheckWhatsApp(m.Body); err != nil {
			return m, &tipline.SendError{Failure: tipline.SendPermanent, Code: "whatsapp_body", Err: err}
		}
	}
	return m, nil
}

// inside reports whether the person wrote within WhatsAppSession.
func (p *WhatsAppProvider) inside(ctx context.Context, messageID int64) (bool, error) {
	if p.LastInbound == nil {
		return true, nil
	}
	at, ok, err := p.LastInbound(ctx, messageID)
	if err != nil {
		return false, fmt.Errorf("twilio: whatsapp: last inbound: %w", err)
	}
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	return ok && now().Sub(at) < WhatsAppSession, nil
}

// Reconcile implements tipline.Provider: a message with the same body sent
// to the same WhatsApp address since the attempt means the lost send went
// out. A template send is never found, so it is repeated.
func (p *WhatsAppProvider) Reconcile(ctx context.Context, to string, r tipline.Reply, since time.Time) (string, bool, error) {
	list, err := p.Client.ListSentTo(ctx, WhatsAppAddress(to), since)
	if err != nil {
		return "", false, sendError(err)
	}
	body := strings.TrimSpace(RenderWhatsApp(r))
	for _, m := range list {
		if strings.TrimSpace(m.Body) == body {
			return m.Sid, true, nil
		}
	}
	return "", false, nil
}

// EraseChat implements tipline.Provider: Twilio cannot delete a WhatsApp
// message from the person's phone.
func (p *WhatsAppProvider) EraseChat(context.Context, string, []string) error {
	return fmt.Errorf("twilio: whatsapp: erase chat: %w", errors.ErrUnsupported)
}

// FetchMedia implements tipline.Provider, as for MMS.
func (p *WhatsAppProvider) FetchMedia(ctx context.Context, ref tipline.MediaRef, maxBytes int64) ([]byte, string, error) {
	return (&Provider{Client: p.Client}).FetchMedia(ctx, ref, maxBytes)
}

// DeleteMedia implements tipline.Provider, as for MMS.
func (p *WhatsAppProvider) DeleteMedia(ctx context.Context, ref string) error {
	return p.Client.DeleteMedia(ctx, ref)
}

// RedactBody implements tipline.Provider, as for SMS.
func (p *WhatsAppProvider) RedactBody(ctx context.Context, providerID string) error {
	return (&Provider{Client: p.Client}).RedactBody(ctx, providerID)
}
