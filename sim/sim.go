// Package sim is the simulator channel: a person plays a youth or a tipster
// and talks to the bot without a phone. Its messages go through the same
// turn (Bot.Handle) and outbox as Telegram and SMS, on channel "sim", with
// the conversation marked simulated (it never pages anyone). The bot's
// answers are shown as both channels would show them: the SMS body with
// its segment count, and the Telegram text with its buttons.
//
// Two front ends use it: the /sim/ web page (Handler) and `tipline chat`.
// A sim session id plays the part of a phone number: it lives in the
// browser's cookie (or the chat process) and is sealed like any identifier.
package sim

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"tipline"
	"tipline/seal"
	"tipline/store"
)

// Turner runs one inbound message through the bot (*bot.Bot).
type Turner interface {
	Handle(ctx context.Context, in tipline.Inbound) error
}

// MaxText is the longest message text the simulator accepts, in
// characters (Telegram's limit).
const MaxText = 4096

// NewSessionID returns a fresh random sim session id: 32 hex digits.
func NewSessionID() string { return randomHex(16) }

// ValidSessionID reports whether s looks like an id NewSessionID made.
func ValidSessionID(s string) bool {
	if len(s) != 32 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil && strings.ToLower(s) == s
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	return hex.EncodeToString(b)
}

// Input is what the simulated user sends: exactly one of a text, a pressed
// inline button's callback value, or a location.
type Input struct {
	Text     string            `json:"text,omitempty"`
	Callback string            `json:"callback,omitempty"`
	Location *tipline.Location `json:"location,omitempty"`
}

// Validate checks that exactly one part is set and within limits.
func (in Input) Validate() error {
	set := 0
	for _, ok := range []bool{strings.TrimSpace(in.Text) != "", in.Callback != "", in.Location != nil} {
		if ok {
			set++
		}
	}
	switch {
	case set != 1:
		return tipline.Errorf(tipline.EInvalid, "send exactly one of a text, a button or a location")
	case utf8.RuneCountInString(in.Text) > MaxText:
		return tipline.Errorf(tipline.EInvalid, "text is longer than %d characters", MaxText)
	case len(in.Callback) > 64:
		return tipline.Errorf(tipline.EInvalid, "button value is longer than 64 bytes")
	case in.Location != nil && !validLocation(*in.Location):
		return tipline.Errorf(tipline.EInvalid, "location must be latitude -90..90 and longitude -180..180")
	}
	return nil
}

func validLocation(l tipline.Location) bool {
	finite := !math.IsNaN(l.Lat) && !math.IsNaN(l.Lon) && !math.IsInf(l.Lat, 0) && !math.IsInf(l.Lon, 0)
	return finite && l.Lat >= -90 && l.Lat <= 90 && l.Lon >= -180 && l.Lon <= 180
}

// startRe matches a Telegram deep link: /start with a payload.
var startRe = regexp.MustCompile(`^/start ([A-Za-z0-9_-]{1,64})$`)

// Inbound builds the channel-neutral message for one simulated send from
// session, as the Telegram parser would (a "/start <payload>" text becomes
// the deep-link payload).
func Inbound(session string, in Input, now time.Time) tipline.Inbound {
	msg := tipline.Inbound{
		Channel: tipline.ChannelSim, ProviderID: "sim-" + randomHex(16), SenderID: session,
		Text: in.Text, Callback: in.Callback, Location: in.Location, ReceivedAt: now, Simulated: true,
	}
	if m := startRe.FindStringSubmatch(strings.TrimSpace(in.Text)); m != nil {
		msg.Text, msg.Payload = "/start", m[1]
	}
	return msg
}

// Conversation describes a sim session's conversation for the trainer.
type Conversation struct {
	ID       int64  `json:"-"`
	PublicID string `json:"public_id"`
	Alias    string `json:"alias"`
	Kind     string `json:"kind"`
	HighRisk bool   `json:"high_risk"`
}

// Message is one message of a sim conversation with the renderings its
// user would see (outbound messages only).
type Message struct {
	ID        int64         `json:"id"`
	Direction string        `json:"dir"`  // in, out
	Kind      string        `json:"kind"` // user, bot, staff
	Body      string        `json:"body"`
	Status    string        `json:"status"`
	At        time.Time     `json:"at"`
	SMS       *SMSView      `json:"sms,omitempty"`
	Telegram  *TelegramView `json:"telegram,omitempty"`
	WhatsApp  *WhatsAppView `json:"whatsapp,omitempty"`
}

// Transcript returns the session's conversation (nil when it has none) and
// up to limit of its newest messages with an id above after, oldest first.
// The conversation is found by the session id's keyed hash.
func Transcript(ctx context.Context, db store.DBTX, keys *seal.Keys, session string, after int64, limit int) (*Conversation, []Message, error) {
	c, found, err := store.SimConversationByHash(ctx, db, keys.HashAll(string(tipline.ChannelSim), session))
	if err != nil || !found {
		return nil, nil, err
	}
	rows, err := store.SimMessages(ctx, db, c.ID, after, limit)
	if err != nil {
		return nil, nil, err
	}
	msgs := make([]Message, 0, len(rows))
	for _, r := range rows {
		m, err := message(r)
		if err != nil {
			return nil, nil, err
		}
		msgs = append(msgs, m)
	}
	conv := &Conversation{ID: c.ID, PublicID: c.PublicID, Alias: c.Alias, Kind: c.Kind, HighRisk: c.HighRisk}
	return conv, msgs, nil
}

func message(r store.SimMessage) (Message, error) {
	m := Message{ID: r.ID, Direction: r.Direction, Kind: r.Kind, Body: r.Body, Status: r.Status, At: r.CreatedAt}
	if r.Direction != "out" {
		return m, nil
	}
	var reply tipline.Reply
	if len(r.Reply) > 0 {
		if err := json.Unmarshal(r.Reply, &reply); err != nil {
			return m, fmt.Errorf("sim: message %d: stored reply unreadable", r.ID)
		}
	} else {
		reply.Text = r.Body
	}
	s, t, w := RenderSMS(reply), RenderTelegram(reply), RenderWhatsApp(reply)
	m.SMS, m.Telegram, m.WhatsApp = &s, &t, &w
	return m, nil
}
