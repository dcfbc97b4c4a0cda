package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"tipline"
	"tipline/sms"
	"tipline/telegram"
	"tipline/twilio"
)

// TelegramSender sends through the Bot API within Telegram's limits: about
// 30 messages a second per bot and one a second per chat.
type TelegramSender struct {
	Client *telegram.Client
	// BotRate overrides the per-bot limit (messages/s); 0 means 30.
	BotRate float64
}

// Send implements Sender.
func (s *TelegramSender) Send(ctx context.Context, to string, r tipline.Reply, _ SendOptions) (string, error) {
	chatID, err := strconv.ParseInt(to, 10, 64)
	if err != nil {
		return "", &SendError{Permanent: true, Code: "bad_chat", Err: errors.New("recipient is not a chat id")}
	}
	id, err := s.Client.Send(ctx, chatID, r)
	if err != nil {
		return "", telegramError(err)
	}
	return strconv.Itoa(id), nil
}

// Limits implements Sender.
func (s *TelegramSender) Limits(to string, _ tipline.Reply) []Rate {
	rate := s.BotRate
	if rate == 0 {
		rate = 30
	}
	return []Rate{{Key: "telegram:chat:" + to, Units: 1, PerSecond: 1}, {Key: "telegram:bot", Units: 1, PerSecond: rate}}
}

// DeleteChatMessages implements Eraser (best effort: Telegram refuses
// messages older than 48 hours).
func (s *TelegramSender) DeleteChatMessages(ctx context.Context, to string, refs []string) error {
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
		if err := s.Client.DeleteMessage(ctx, chatID, id); err != nil && firstErr == nil {
			firstErr = err
		}
	}
	return firstErr
}

func telegramError(err error) error {
	var te *telegram.SendError
	if !errors.As(err, &te) {
		return err
	}
	return &SendError{Permanent: te.Permanent, Blocked: te.Code == 403, RetryAfter: te.RetryAfter,
		Code: strconv.Itoa(te.Code), Err: err}
}

// TwilioSender sends SMS through the Messages API at TWILIO_MPS segments
// a second, with a status callback and, for youth, a validity period.
type TwilioSender struct {
	Client         *twilio.Client
	StatusCallback string  // PUBLIC_URL + /webhooks/twilio/status
	MPS            float64 // segments per second
}

// Send implements Sender.
func (s *TwilioSender) Send(ctx context.Context, to string, r tipline.Reply, o SendOptions) (string, error) {
	sid, err := s.Client.Send(ctx, to, twilio.Render(r), s.StatusCallback, o.Validity)
	if err != nil {
		return "", twilioError(err)
	}
	return sid, nil
}

// Limits implements Sender: the sender's segments per second.
func (s *TwilioSender) Limits(_ string, r tipline.Reply) []Rate {
	_, n := sms.Segments(twilio.Render(r))
	mps := s.MPS
	if mps <= 0 {
		mps = 1
	}
	return []Rate{{Key: "twilio:sender", Units: float64(max(n, 1)), PerSecond: mps}}
}

// Reconcile implements Reconciler: a message with the same body sent to the
// same number since the attempt means the lost send went out.
func (s *TwilioSender) Reconcile(ctx context.Context, to string, r tipline.Reply, since time.Time) (string, bool, error) {
	list, err := s.Client.ListSentTo(ctx, to, since)
	if err != nil {
		return "", false, twilioError(err)
	}
	body := twilio.Render(r)
	for _, m := range list {
		if strings.TrimSpace(m.Body) == strings.TrimSpace(body) {
			return m.Sid, true, nil
		}
	}
	return "", false, nil
}

func twilioError(err error) error {
	var te *twilio.SendError
	if !errors.As(err, &te) {
		return err
	}
	code := strconv.Itoa(te.Code)
	if te.Code == 0 {
		code = fmt.Sprintf("http_%d", te.Status)
	}
	return &SendError{Permanent: te.Permanent, Blocked: te.OptedOut(), RetryAfter: te.RetryAfter, Code: code, Err: err}
}

// SimSender delivers simulator replies: they are already rows the /sim/
// page reads, so sending only marks them sent.
type SimSender struct{}

// Send implements Sender.
func (SimSender) Send(context.Context, string, tipline.Reply, SendOptions) (string, error) {
	return "", nil
}

// Limits implements Sender: the simulator has none.
func (SimSender) Limits(string, tipline.Reply) []Rate { return nil }
