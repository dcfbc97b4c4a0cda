package sim

import (
	"context"
	"errors"
	"fmt"
	"time"

	"tipline"
)

// Provider carries channel "sim" for the core (tipline.Provider). Its
// replies are already rows the /sim/ page reads, so sending only marks
// them sent; there are no limits, attachments or provider copies.
type Provider struct{}

var _ tipline.Provider = Provider{}

// Channel implements tipline.Provider.
func (Provider) Channel() tipline.Channel { return tipline.ChannelSim }

// Traits implements tipline.Provider: the simulator does nothing beyond
// sending.
func (Provider) Traits() tipline.Traits { return tipline.Traits{} }

// Limits implements tipline.Provider: the simulator has none.
func (Provider) Limits(string, tipline.Reply) []tipline.Rate { return nil }

// Send implements tipline.Provider.
func (Provider) Send(context.Context, string, tipline.Reply, tipline.SendOptions) (string, error) {
	return "", nil
}

// Reconcile implements tipline.Provider (unsupported).
func (Provider) Reconcile(context.Context, string, tipline.Reply, time.Time) (string, bool, error) {
	return "", false, fmt.Errorf("sim: reconcile: %w", errors.ErrUnsupported)
}

// EraseChat implements tipline.Provider (unsupported).
func (Provider) EraseChat(context.Context, string, []string) error {
	return fmt.Errorf("sim: erase chat: %w", errors.ErrUnsupported)
}

// FetchMedia implements tipline.Provider (unsupported).
func (Provider) FetchMedia(context.Context, tipline.MediaRef, int64) ([]byte, string, error) {
	return nil, "", fmt.Errorf("sim: fetch media: %w", errors.ErrUnsupported)
}

// DeleteMedia implements tipline.Provider (unsupported).
func (Provider) DeleteMedia(context.Context, string) error {
	return fmt.Errorf("sim: delete media: %w", errors.ErrUnsupported)
}

// RedactBody implements tipline.Provider (unsupported).
func (Provider) RedactBody(context.Context, string) error {
	return fmt.Errorf("sim: redact: %w", errors.ErrUnsupported)
}
