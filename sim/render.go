package sim

import (
	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"tipline"
	"tipline/sms"
	"tipline/telegram"
	"tipline/twilio"
)

// SMSView is a reply as an SMS user receives it: the body twilio.Render
// sends, and what the carrier charges for it.
type SMSView struct {
	Text     string `json:"text"`
	Encoding string `json:"encoding"` // GSM-7 or UCS-2
	Units    int    `json:"units"`    // septets (GSM-7) or UTF-16 code units (UCS-2)
	Segments int    `json:"segments"`
	TooLong  bool   `json:"too_long"` // over sms.MaxSegments: the provider would refuse it
}

// RenderSMS renders a reply for SMS.
func RenderSMS(r tipline.Reply) SMSView {
	body := twilio.Render(r)
	enc, units := sms.Length(body)
	_, n := sms.Segments(body)
	return SMSView{Text: body, Encoding: enc.String(), Units: units, Segments: n, TooLong: n > sms.MaxSegments}
}

// ButtonKind says what pressing a Telegram button sends.
type ButtonKind string

// The kinds of Telegram button the bot uses.
const (
	// ButtonCallback is an inline button: pressing it sends its Value as
	// callback data.
	ButtonCallback ButtonKind = "callback"
	// ButtonText is a reply-keyboard button: pressing it sends its Label as
	// an ordinary message.
	ButtonText ButtonKind = "text"
	// ButtonLocation is the reply-keyboard button that shares a location.
	ButtonLocation ButtonKind = "location"
)

// Button is one button under a Telegram message or in its keyboard.
type Button struct {
	Label string     `json:"label"`
	Value string     `json:"value,omitempty"` // callback data (ButtonCallback only)
	Kind  ButtonKind `json:"kind"`
}

// TelegramView is a reply as a Telegram user sees it: the text and the
// buttons telegram.Render attaches. Keyboard is true when the buttons are a
// reply keyboard (shown in place of the user's keyboard) rather than
// inline buttons under the message.
type TelegramView struct {
	Text     string   `json:"text"`
	Buttons  []Button `json:"buttons,omitempty"`
	Keyboard bool     `json:"keyboard,omitempty"`
}

// RenderTelegram renders a reply for Telegram.
func RenderTelegram(r tipline.Reply) TelegramView {
	text, markup := telegram.Render(r)
	v := TelegramView{Text: text}
	switch m := markup.(type) {
	case tgbotapi.InlineKeyboardMarkup:
		for _, row := range m.InlineKeyboard {
			for _, b := range row {
				btn := Button{Label: b.Text, Kind: ButtonCallback}
				if b.CallbackData != nil {
					btn.Value = *b.CallbackData
				}
				v.Buttons = append(v.Buttons, btn)
			}
		}
	case tgbotapi.ReplyKeyboardMarkup:
		v.Keyboard = true
		for _, row := range m.Keyboard {
			for _, b := range row {
				kind := ButtonText
				if b.RequestLocation {
					kind = ButtonLocation
				}
				v.Buttons = append(v.Buttons, Button{Label: b.Text, Kind: kind})
			}
		}
	}
	return v
}
