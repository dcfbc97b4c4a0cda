// Package tipline holds the nouns every part of Tipline shares: channels,
// inbound messages, replies, locations and the error type with codes. It
// imports no other package of this module, so any package may import it.
package tipline

import "time"

// Channel names a messaging channel a conversation runs on.
type Channel string

// The channels Tipline speaks.
const (
	ChannelTelegram Channel = "telegram"
	ChannelSMS      Channel = "sms"
	ChannelSim      Channel = "sim"
	// ChannelWebChat is the web chat (/chat and its widget, package webchat).
	ChannelWebChat Channel = "webchat"
	// ChannelWhatsApp is WhatsApp through Twilio (package twilio, whatsapp:
	// addresses on the same signed webhook as SMS).
	ChannelWhatsApp Channel = "whatsapp"
)

// Valid reports whether c is one of the known channels.
func (c Channel) Valid() bool {
	switch c {
	case ChannelTelegram, ChannelSMS, ChannelSim, ChannelWebChat, ChannelWhatsApp:
		return true
	}
	return false
}

// Location is a point in WGS84 degrees.
type Location struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// MediaRef points at a file a sender attached, still held by the provider.
// Ref is channel specific: a Telegram file_id or a Twilio media URL.
type MediaRef struct {
	Ref         string `json:"ref"`
	ContentType string `json:"content_type,omitempty"`
	FileName    string `json:"file_name,omitempty"`
	Size        int64  `json:"size,omitempty"`
}

// Inbound is one message from a person, parsed out of a provider's payload
// into a channel-neutral form. SenderID and ChatID are raw identifiers: they
// are sealed before anything is stored and must never be logged.
type Inbound struct {
	Channel    Channel    // where it came from
	ProviderID string     // unique per channel: Telegram update_id, Twilio MessageSid
	SenderID   string     // phone number (E.164) or Telegram chat id, in clear
	Seq        int64      // ordering key within a chat (Telegram update_id); 0 when unknown
	Text       string     // message text or caption, as sent
	Payload    string     // Telegram /start deep-link payload
	Callback   string     // data of a pressed inline button
	CallbackID string     // Telegram callback_query id, to be answered
	Location   *Location  // a shared location
	Media      []MediaRef // attached images (largest size only)
	Country    string     // ISO 3166-1 alpha-2 from the provider (Twilio FromCountry)
	LangHint   string     // Telegram language_code, a weak hint
	ReceivedAt time.Time  // when Tipline received it
	Simulated  bool       // came from the simulator
	MessageRef string     // provider's id of the chat message (Telegram message_id), for DELETE
}

// Option is one choice offered with a reply: an inline button on Telegram,
// a numbered line on SMS. Value is what comes back when it is chosen.
type Option struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Reply is one message the bot sends, before channel rendering.
type Reply struct {
	Text        string   `json:"text"`
	Options     []Option `json:"options,omitempty"`
	AskLocation bool     `json:"ask_location,omitempty"`
}
