package sim

import (
	"unicode/utf8"

	"tipline"
	"tipline/twilio"
)

// WhatsAppView is a reply as a WhatsApp user receives it: the body
// twilio.RenderWhatsApp sends (numbered options, as on SMS, but one
// message of up to twilio.MaxWhatsAppBody characters, no segments).
type WhatsAppView struct {
	Text    string `json:"text"`
	Chars   int    `json:"chars"`
	TooLong bool   `json:"too_long"` // over twilio.MaxWhatsAppBody: the provider would refuse it
}

// RenderWhatsApp renders a reply for WhatsApp.
func RenderWhatsApp(r tipline.Reply) WhatsAppView {
	body := twilio.RenderWhatsApp(r)
	n := utf8.RuneCountInString(body)
	return WhatsAppView{Text: body, Chars: n, TooLong: n > twilio.MaxWhatsAppBody}
}
