package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"tipline"
)

// Sender delivers one reply on one channel. Implementations live beside the
// channel clients (see senders.go) and a simulator one for /sim/.
type Sender interface {
	// Send delivers r to the recipient and returns the provider's message id.
	Send(ctx context.Context, to string, r tipline.Reply, o SendOptions) (providerID string, err error)
	// Limits lists the rate limits this send must fit in.
	Limits(to string, r tipline.Reply) []Rate
}

// Reconciler is a Sender that can find out whether a send whose outcome a
// crash left unknown actually went out (Twilio: list the messages to that
// number since the attempt).
type Reconciler interface {
	Reconcile(ctx context.Context, to string, r tipline.Reply, since time.Time) (providerID string, found bool, err error)
}

// Eraser is a Sender that can delete chat messages from the user's device
// (Telegram, within 48 hours).
type Eraser interface {
	DeleteChatMessages(ctx context.Context, to string, refs []string) error
}

// SendOptions carry per-message delivery settings.
type SendOptions struct {
	MessageID int64         // our row id, for status callbacks
	Validity  time.Duration // 0 = none; youth replies carry the SMS validity period
}

// Rate is one limit a send must respect: Units of Key at PerSecond.
type Rate struct {
	Key       string
	Units     float64
	PerSecond float64
}

// SendError classifies a failed send.
type SendError struct {
	Permanent  bool          // retrying will not help
	Blocked    bool          // the user blocked the bot or opted out at the carrier
	RetryAfter time.Duration // the provider asked to wait this long
	Code       string        // provider error code, shown to staff
	Err        error
}

// Error implements error.
func (e *SendError) Error() string { return fmt.Sprintf("send failed (code %s): %v", e.Code, e.Err) }

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }

// classify turns any error into a *SendError (unknown errors are temporary).
func classify(err error) *SendError {
	var se *SendError
	if errors.As(err, &se) {
		return se
	}
	return &SendError{Err: err, Code: "network"}
}
