package config

import (
	"fmt"
	"regexp"
	"strings"
)

// contentSIDRe is the shape of a Twilio Content API template SID.
var contentSIDRe = regexp.MustCompile(`^HX[0-9a-fA-F]{32}$`)

// WhatsApp is the WhatsApp channel's settings (WhatsApp through the same
// Twilio account as SMS; docs/design.md, the WhatsApp section).
type WhatsApp struct {
	// From is the WhatsApp sender (WHATSAPP_FROM): an E.164 number, with
	// or without "whatsapp:", or a Messaging Service SID (MG…); "" leaves
	// the channel off.
	From string
	// TemplateSID is the approved content template a message goes as when
	// the person last wrote more than 24 hours ago
	// (WHATSAPP_TEMPLATE_SID; its one variable {{1}} is the
	// message); "" refuses such messages with a message to staff.
	TemplateSID string
	// ChoicesSID is a content template for replies with options
	// (WHATSAPP_CHOICES_SID: {{1}} the text, {{2}}… the labels, the
	// option ids 1, 2, …); "" sends numbered options as text.
	ChoicesSID string
	// MPS is the WhatsApp sender's messages per second (WHATSAPP_MPS).
	MPS int
}

// Enabled reports whether the WhatsApp channel is configured.
func (w WhatsApp) Enabled() bool { return w.From != "" }

// loadWhatsApp reads the WhatsApp settings; they need the Twilio account.
func loadWhatsApp(r *reader, twilio bool) WhatsApp {
	w := WhatsApp{From: strings.TrimPrefix(strings.TrimSpace(r.str("WHATSAPP_FROM", "")), "whatsapp:"),
		TemplateSID: r.str("WHATSAPP_TEMPLATE_SID", ""), ChoicesSID: r.str("WHATSAPP_CHOICES_SID", ""),
		MPS: r.positive("WHATSAPP_MPS", 20)}
	if w.From != "" && !e164Re.MatchString(w.From) && !serviceSIDRe.MatchString(w.From) {
		r.bad("WHATSAPP_FROM", "must be the WhatsApp sender, such as whatsapp:+15005550006, or a Messaging Service SID (MG…)")
	}
	if w.From != "" && !twilio {
		r.bad("WHATSAPP_FROM", "needs the Twilio account (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM)")
	}
	for name, v := range map[string]string{"WHATSAPP_TEMPLATE_SID": w.TemplateSID, "WHATSAPP_CHOICES_SID": w.ChoicesSID} {
		if v != "" && !contentSIDRe.MatchString(v) {
			r.bad(name, "must be a content template SID (HX and 32 hex digits)")
		}
	}
	return w
}

// rows writes the WhatsApp settings for String.
func (w WhatsApp) rows(row func(k, v string)) {
	row("WHATSAPP_FROM", w.From)
	row("WHATSAPP_TEMPLATE_SID", w.TemplateSID)
	row("WHATSAPP_CHOICES_SID", w.ChoicesSID)
	row("WHATSAPP_MPS", fmt.Sprint(w.MPS))
}
