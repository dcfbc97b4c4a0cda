package bench

import (
	"strconv"
	"strings"
)

// The conversation every simulated person follows, in a loop after the
// first greeting: choose "get help", a need, a place, back to the menu.
// Telegram users press the buttons; SMS users answer with the numbers.
var (
	needs  = []string{"shelter", "food"}
	places = []string{"10001", "Dallas, TX", "60614", "Houston, TX", "90012", "Chicago, IL"}
)

// scriptStep is what a sender sends at a step: text, or the data of a
// pressed button (Telegram).
func scriptStep(step int, id string) (text, button string) {
	if step == 0 {
		return "hi", ""
	}
	k := step - 1
	round := k / 4
	salt := int(id[len(id)-1]) + round
	switch k % 4 {
	case 0:
		return "1", "start:help"
	case 1:
		n := salt % len(needs)
		return strconv.Itoa(n + 1), "need:" + needs[n]
	case 2:
		return places[salt%len(places)], ""
	default:
		return "MENU", "menu"
	}
}

// smsText is the SMS body at a step.
func smsText(step int, id string) string {
	text, _ := scriptStep(step, id)
	return text
}

// telegramUpdate renders the update a Telegram user sends at a step: a
// private-chat text message, or a callback query from a pressed button.
func telegramUpdate(updateID int64, chat string, step int) string {
	text, button := scriptStep(step, chat)
	uid := strconv.FormatInt(updateID, 10)
	msgID := strconv.Itoa(step*2 + 1)
	from := `{"id":` + chat + `,"is_bot":false,"first_name":"Bench","language_code":"en"}`
	chatJSON := `{"id":` + chat + `,"type":"private","first_name":"Bench"}`
	if button != "" {
		return `{"update_id":` + uid + `,"callback_query":{"id":"` + uid + `","from":` + from +
			`,"chat_instance":"` + chat + `","data":"` + button + `","message":{"message_id":` + msgID +
			`,"date":1700000000,"chat":` + chatJSON + `,"text":"…"}}}`
	}
	return `{"update_id":` + uid + `,"message":{"message_id":` + msgID + `,"from":` + from + `,"chat":` + chatJSON +
		`,"date":1700000000,"text":` + jsonString(text) + `}}`
}

// jsonString quotes plain script text (letters, digits, spaces, commas).
func jsonString(s string) string {
	return `"` + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`) + `"`
}
