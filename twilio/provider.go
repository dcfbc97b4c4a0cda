package twilio

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tipline"
	"tipline/sms"
)

// Provider carries channel "sms" for the core (tipline.Provider): sends
// through the Messages API at MPS segments a second, with a status
// callback and, for youth, a validity period; finds lost sends in the
// account's message list; fetches MMS attachments and deletes Twilio's
// copy; redacts the bodies Twilio keeps.
type Provider struct {
	Client         *Client
	StatusCallback string  // PUBLIC_URL + /webhooks/twilio/status
	MPS            float64 // segments per second
}

var _ tipline.Provider = (*Provider)(nil)

// Channel implements tipline.Provider.
func (p *Provider) Channel() tipline.Channel { return tipline.ChannelSMS }

// Traits implements tipline.Provider. After STOP the carrier refuses every
// SMS, so a DELETE from an opted-out number erases at once.
func (p *Provider) Traits() tipline.Traits {
	return tipline.Traits{Reconciles: true, FetchesMedia: true, KeepsMedia: true, KeepsBodies: true, StopEndsReplies: true}
}

// Limits implements tipline.Provider: the sender's segments per second.
func (p *Provider) Limits(_ string, r tipline.Reply) []tipline.Rate {
	_, n := sms.Segments(Render(r))
	mps := p.MPS
	if mps <= 0 {
		mps = 1
	}
	return []tipline.Rate{{Key: "twilio:sender", Units: float64(max(n, 1)), PerSecond: mps}}
}

// Send implements tipline.Provider; to is the E.164 number.
func (p *Provider) Send(ctx context.Context, to string, r tipline.Reply, o tipline.SendOptions) (string, error) {
	sid, err := p.Client.Send(ctx, to, Render(r), p.StatusCallback, o.Validity)
	if err != nil {
		return "", sendError(err)
	}
	return sid, nil
}

// sendError classifies a Twilio failure: error 21610 means the number
// opted out (STOP); Retry-After carries the wait Twilio asked for.
func sendError(err error) error {
	te, ok := errors.AsType[*SendError](err)
	if !ok {
		return err
	}
	code := strconv.Itoa(te.Code)
	if te.Code == 0 {
		code = fmt.Sprintf("http_%d", te.Status)
	}
	se := &tipline.SendError{Failure: tipline.SendTemporary, Code: code, Err: err}
	switch {
	case te.OptedOut():
		se.Failure = tipline.SendOptedOut
	case te.Permanent:
		se.Failure = tipline.SendPermanent
	case te.RetryAfter > 0:
		se.Failure, se.RetryAfter = tipline.SendRetryAfter, te.RetryAfter
	}
	return se
}

// Reconcile implements tipline.Provider: a message with the same body sent
// to the same number since the attempt means the lost send went out.
func (p *Provider) Reconcile(ctx context.Context, to string, r tipline.Reply, since time.Time) (string, bool, error) {
	list, err := p.Client.ListSentTo(ctx, to, since)
	if err != nil {
		return "", false, sendError(err)
	}
	body := Render(r)
	for _, m := range list {
		if strings.TrimSpace(m.Body) == strings.TrimSpace(body) {
			return m.Sid, true, nil
		}
	}
	return "", false, nil
}

// EraseChat implements tipline.Provider: an SMS cannot be taken back from
// a phone.
func (p *Provider) EraseChat(context.Context, string, []string) error {
	return fmt.Errorf("twilio: erase chat: %w", errors.ErrUnsupported)
}

// FetchMedia implements tipline.Provider: an MMS attachment, with the
// account's credentials.
func (p *Provider) FetchMedia(ctx context.Context, ref tipline.MediaRef, maxBytes int64) ([]byte, string, error) {
	data, ctype, err := p.Client.FetchMedia(ctx, ref.Ref, maxBytes)
	if errors.Is(err, ErrMediaTooLarge) {
		err = fmt.Errorf("%w: %w", tipline.ErrMediaTooLarge, err)
	}
	return data, ctype, err
}

// DeleteMedia implements tipline.Provider: Twilio keeps MMS media until
// told to delete it (docs/design.md, section 4).
func (p *Provider) DeleteMedia(ctx context.Context, ref string) error {
	return p.Client.DeleteMedia(ctx, ref)
}

// RedactBody implements tipline.Provider: the message's text is erased at
// Twilio; a message Twilio no longer has wraps tipline.ErrMessageGone.
func (p *Provider) RedactBody(ctx context.Context, providerID string) error {
	err := p.Client.RedactBody(ctx, providerID)
	if se, ok := errors.AsType[*SendError](err); ok && (se.Status == 404 || se.Code == 20404) {
		return fmt.Errorf("%w: %w", tipline.ErrMessageGone, err)
	}
	return err
}
