package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"tipline"
)

// Provider carries channel "telegram" for the core (tipline.Provider):
// sends within Telegram's limits (about 30 messages a second per bot and
// one a second per chat), deletes chat messages on DELETE and downloads
// attachments by file_id.
type Provider struct {
	Client *Client
	// BotRate overrides the per-bot limit (messages/s); 0 means 30.
	BotRate float64
}

var _ tipline.Provider = (*Provider)(nil)

// Channel implements tipline.Provider.
func (p *Provider) Channel() tipline.Channel { return tipline.ChannelTelegram }

// Traits implements tipline.Provider: Telegram deletes messages from the
// chat for 48 hours and keeps no copy we must delete or redact.
func (p *Provider) Traits() tipline.Traits {
	return tipline.Traits{ErasesChat: true, EraseWindow: 48 * time.Hour, FetchesMedia: true}
}

// Limits implements tipline.Provider.
func (p *Provider) Limits(to string, _ tipline.Reply) []tipline.Rate {
	rate := p.BotRate
	if rate == 0 {
		rate = 30
	}
	return []tipline.Rate{{Key: "telegram:chat:" + to, Units: 1, PerSecond: 1}, {Key: "telegram:bot", Units: 1, PerSecond: rate}}
}

// Send implements tipline.Provider; to is the chat id.
func (p *Provider) Send(ctx context.Context, to string, r tipline.Reply, _ tipline.SendOptions) (string, error) {
	chatID, err := strconv.ParseInt(to, 10, 64)
	if err != nil {
		return "", &tipline.SendError{Failure: tipline.SendPermanent, Code: "bad_chat", Err: errors.New("recipient is not a chat id")}
	}
	id, err := p.Client.Send(ctx, chatID, r)
	if err != nil {
		return "", sendError(err)
	}
	return strconv.Itoa(id), nil
}

// sendError classifies a Bot API failure: 403 means the person blocked
// the bot; 429 carries the wait Telegram asked for.
func sendError(err error) error {
	te, ok := errors.AsType[*SendError](err)
	if !ok {
		return err
	}
	se := &tipline.SendError{Failure: tipline.SendTemporary, Code: strconv.Itoa(te.Code), Err: err}
	switch {
	case te.Code == 403:
		se.Failure = tipline.SendBlocked
	case te.Permanent:
		se.Failure = tipline.SendPermanent
	case te.RetryAfter > 0:
		se.Failure, se.RetryAfter = tipline.SendRetryAfter, te.RetryAfter
	}
	return se
}

// Reconcile implements tipline.Provider: the Bot API cannot list sent
// messages, so a lost send is repeated.
func (p *Provider) Reconcile(context.Context, string, tipline.Reply, time.Time) (string, bool, error) {
	return "", false, fmt.Errorf("telegram: reconcile: %w", errors.ErrUnsupported)
}

// EraseChat implements tipline.Provider (best effort: Telegram refuses
// messages older than 48 hours).
func (p *Provider) EraseChat(ctx context.Context, to string, refs []string) error {
	chatID, err := strconv.ParseInt(to, 10, 64)
	if err != nil {
		return err
	}
	var firstErr error
	for _, ref := range refs {
		id, err := strconv.Atoi(ref)
		if err != nil {
			continue
		}
		if err := p.Client.DeleteMessage(ctx, chatID, id); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

// FetchMedia implements tipline.Provider: a photo or document by file_id.
func (p *Provider) FetchMedia(ctx context.Context, ref tipline.MediaRef, maxBytes int64) ([]byte, string, error) {
	data, ctype, err := p.Client.Download(ctx, ref.Ref, maxBytes)
	if errors.Is(err, ErrTooLarge) {
		err = fmt.Errorf("%w: %w", tipline.ErrMediaTooLarge, err)
	}
	return data, ctype, err
}

// DeleteMedia implements tipline.Provider: Telegram keeps files for the
// chat, not for us; there is nothing to delete.
func (p *Provider) DeleteMedia(context.Context, string) error {
	return fmt.Errorf("telegram: delete media: %w", errors.ErrUnsupported)
}

// RedactBody implements tipline.Provider: the Bot API keeps no message
// bodies we could redact.
func (p *Provider) RedactBody(context.Context, string) error {
	return fmt.Errorf("telegram: redact: %w", errors.ErrUnsupported)
}
