package tipline

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Provider is one channel's side of Tipline: what the core asks of the
// service that carries a channel's messages (the Telegram Bot API, Twilio,
// the simulator). Each channel package implements all of it and is wired
// in by cmd; no core package imports a channel package. The inbound half
// (verifying and parsing webhooks) stays in the channel package, which
// hands the core a channel-neutral Inbound.
//
// A method the provider cannot carry out returns an error wrapping
// errors.ErrUnsupported; Traits says beforehand which ones it can, so the
// core never asks.
type Provider interface {
	// Channel is the channel this provider carries.
	Channel() Channel
	// Traits says what the provider can do beyond sending.
	Traits() Traits
	// Limits lists the rate limits a send of r to to must fit in.
	Limits(to string, r Reply) []Rate
	// Send delivers r to to and returns the provider's message id. A
	// failure is a *SendError, classified by the channel package.
	Send(ctx context.Context, to string, r Reply, o SendOptions) (providerID string, err error)
	// Reconcile finds out whether a send of r to to whose outcome a crash
	// lost went out after since (Traits.Reconciles).
	Reconcile(ctx context.Context, to string, r Reply, since time.Time) (providerID string, found bool, err error)
	// EraseChat deletes the chat messages refs from the person's device
	// (Traits.ErasesChat), best effort.
	EraseChat(ctx context.Context, to string, refs []string) error
	// FetchMedia downloads an attachment the person sent, refusing a file
	// over maxBytes with an error wrapping ErrMediaTooLarge.
	FetchMedia(ctx context.Context, ref MediaRef, maxBytes int64) (data []byte, contentType string, err error)
	// DeleteMedia deletes the provider's copy of an attachment
	// (Traits.KeepsMedia).
	DeleteMedia(ctx context.Context, ref string) error
	// RedactBody erases the text of a message the provider keeps
	// (Traits.KeepsBodies); a message the provider no longer has fails
	// with an error wrapping ErrMessageGone.
	RedactBody(ctx context.Context, providerID string) error
}

// Traits are what a provider can do and how its channel behaves, beyond
// sending.
type Traits struct {
	// Reconciles: Reconcile can tell whether a lost send went out;
	// otherwise such a send is repeated (at least once).
	Reconciles bool
	// ErasesChat: EraseChat deletes chat messages on the person's device,
	// for messages newer than EraseWindow.
	ErasesChat  bool
	EraseWindow time.Duration
	// FetchesMedia: FetchMedia can download attachments.
	FetchesMedia bool
	// KeepsMedia: the provider keeps attachments until DeleteMedia.
	KeepsMedia bool
	// KeepsBodies: the provider keeps message text until RedactBody.
	KeepsBodies bool
	// StopEndsReplies: once a person sent STOP, the carrier refuses every
	// message to them, so nothing can be sent before an erasure.
	StopEndsReplies bool
}

// SendOptions carry per-message delivery settings.
type SendOptions struct {
	MessageID int64         // our row id, for status callbacks
	Validity  time.Duration // 0 = none; youth replies carry YouthValidity
}

// Rate is one limit a send must respect: Units of Key at PerSecond. A key
// is "channel:scope" or "channel:scope:recipient"; the recipient part is
// hashed before it is stored.
type Rate struct {
	Key       string
	Units     float64
	PerSecond float64
}

// YouthValidity is how long a reply to a youth may wait before it is
// dropped instead of sent (docs/design.md, rule 4); SMS carries it as the
// message's validity period.
const YouthValidity = 600 * time.Second

// SendFailure classifies a failed send; the channel package decides it.
type SendFailure int

// The kinds of failed send.
const (
	// SendTemporary: try again later, with growing delays.
	SendTemporary SendFailure = iota
	// SendRetryAfter: the provider said when to try again (RetryAfter).
	SendRetryAfter
	// SendPermanent: retrying will not help.
	SendPermanent
	// SendBlocked: the person blocked the bot; nothing more will reach them.
	SendBlocked
	// SendOptedOut: the person opted out at the carrier (STOP).
	SendOptedOut
)

// String names the failure for logs.
func (f SendFailure) String() string {
	switch f {
	case SendTemporary:
		return "temporary"
	case SendRetryAfter:
		return "retry_after"
	case SendPermanent:
		return "permanent"
	case SendBlocked:
		return "blocked"
	case SendOptedOut:
		return "opted_out"
	}
	return "unknown"
}

// SendError is a classified failed send.
type SendError struct {
	Failure    SendFailure
	RetryAfter time.Duration // with SendRetryAfter: how long to wait
	Code       string        // the provider's error code, shown to staff
	Err        error
}

// Error implements error.
func (e *SendError) Error() string {
	return fmt.Sprintf("send failed (%s, code %s): %v", e.Failure, e.Code, e.Err)
}

// Unwrap returns the cause.
func (e *SendError) Unwrap() error { return e.Err }

// Permanent reports whether retrying cannot help.
func (e *SendError) Permanent() bool { return e.Failure >= SendPermanent }

// AsSendError turns any error into a *SendError: an unknown error is a
// temporary network failure.
func AsSendError(err error) *SendError {
	if se, ok := errors.AsType[*SendError](err); ok {
		return se
	}
	return &SendError{Failure: SendTemporary, Code: "network", Err: err}
}

// ErrMediaTooLarge is wrapped by a FetchMedia error for a file over the
// size limit.
var ErrMediaTooLarge = errors.New("attachment too large")

// ErrMessageGone is wrapped by a RedactBody error when the provider no
// longer has the message: there is nothing left to redact.
var ErrMessageGone = errors.New("the provider no longer has the message")
