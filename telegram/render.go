package telegram

import (
	"errors"
	"fmt"
	"unicode/utf8"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"tipline"
)

// Telegram limits that Render and ValidateReply enforce.
const (
	// MaxCallbackData is the most bytes InlineKeyboardButton.callback_data
	// may hold.
	MaxCallbackData = 64
	// MaxTextLen is the most characters a message text may hold.
	MaxTextLen = 4096
)

// LocationButtonLabel is the label of the share-location button. It is a
// pictogram so it reads the same in every language; the reply's text says
// what it is for.
const LocationButtonLabel = "📍"

// ErrInvalidReply is wrapped by ValidateReply's errors.
var ErrInvalidReply = errors.New("telegram: invalid reply")

// Render turns a reply into the text and reply_markup of a sendMessage call.
//
//   - Options, without AskLocation: an InlineKeyboardMarkup, one button per
//     row, labelled Label, with callback_data Value. A Value longer than 64
//     bytes is cut at a UTF-8 boundary here (Render cannot fail); Send
//     refuses such a reply instead (see ValidateReply). An empty Label shows
//     the Value.
//   - AskLocation: a one-time, resized ReplyKeyboardMarkup whose first row is
//     a request_location button (LocationButtonLabel), then one text button
//     per Option. Pressing such a button sends its Label as an ordinary
//     message, so a flow that offers options with AskLocation must accept an
//     option's label (as SMS users type it) as the answer.
//   - Otherwise: ReplyKeyboardRemove, so a location keyboard left from an
//     earlier question does not linger on the screen.
//
// The markup is one of tgbotapi.InlineKeyboardMarkup,
// tgbotapi.ReplyKeyboardMarkup or tgbotapi.ReplyKeyboardRemove.
func Render(r tipline.Reply) (text string, markup any) {
	switch {
	case r.AskLocation:
		rows := [][]tgbotapi.KeyboardButton{{tgbotapi.NewKeyboardButtonLocation(LocationButtonLabel)}}
		for _, o := range r.Options {
			rows = append(rows, []tgbotapi.KeyboardButton{tgbotapi.NewKeyboardButton(label(o))})
		}
		return r.Text, tgbotapi.ReplyKeyboardMarkup{Keyboard: rows, ResizeKeyboard: true, OneTimeKeyboard: true}
	case len(r.Options) > 0:
		rows := make([][]tgbotapi.InlineKeyboardButton, 0, len(r.Options))
		for _, o := range r.Options {
			b := tgbotapi.NewInlineKeyboardButtonData(label(o), truncate(o.Value, MaxCallbackData))
			rows = append(rows, []tgbotapi.InlineKeyboardButton{b})
		}
		return r.Text, tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
	}
	return r.Text, tgbotapi.ReplyKeyboardRemove{RemoveKeyboard: true}
}

// ValidateReply reports whether Telegram would accept the reply as Render
// builds it: non-empty text of at most MaxTextLen characters, and options
// with a non-empty label and a Value of 1 to MaxCallbackData bytes. Errors
// wrap ErrInvalidReply.
func ValidateReply(r tipline.Reply) error {
	if r.Text == "" {
		return fmt.Errorf("%w: empty text", ErrInvalidReply)
	}
	if n := utf8.RuneCountInString(r.Text); n > MaxTextLen {
		return fmt.Errorf("%w: text has %d characters, limit %d", ErrInvalidReply, n, MaxTextLen)
	}
	for i, o := range r.Options {
		if o.Label == "" && o.Value == "" {
			return fmt.Errorf("%w: option %d has no label", ErrInvalidReply, i)
		}
		if !r.AskLocation && (o.Value == "" || len(o.Value) > MaxCallbackData) {
			return fmt.Errorf("%w: option %d value is %d bytes, want 1-%d",
				ErrInvalidReply, i, len(o.Value), MaxCallbackData)
		}
	}
	return nil
}

func label(o tipline.Option) string {
	if o.Label == "" {
		return o.Value
	}
	return o.Label
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
