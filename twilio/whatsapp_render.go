package twilio

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"tipline"
)

// MaxWhatsAppBody is the most characters Twilio takes in one WhatsApp
// message body.
const MaxWhatsAppBody = 1600

// MaxWhatsAppChoices is the most options a choices template can carry (a
// WhatsApp list holds ten rows); a reply with more goes as numbered text.
const MaxWhatsAppChoices = 10

// RenderWhatsApp returns the WhatsApp body for a reply: its text, then
// "1) Label" per option, as on SMS, so that the person answers with the
// number (or the label). Unlike SMS, the text keeps its own punctuation:
// WhatsApp has no GSM-7 alphabet to fit. A reply asking for a location
// adds nothing: WhatsApp's attachment menu shares one.
func RenderWhatsApp(r tipline.Reply) string {
	var b strings.Builder
	b.WriteString(strings.TrimSpace(r.Text))
	for i, o := range r.Options {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString(") ")
		b.WriteString(strings.TrimSpace(o.Label))
	}
	return b.String()
}

// CheckWhatsApp returns an EInvalid error when body cannot go as one
// WhatsApp message: empty, or over MaxWhatsAppBody characters.
func CheckWhatsApp(body string) error {
	switch n := utf8.RuneCountInString(body); {
	case strings.TrimSpace(body) == "":
		return tipline.Errorf(tipline.EInvalid, "twilio: empty WhatsApp body")
	case n > MaxWhatsAppBody:
		return tipline.Errorf(tipline.EInvalid, "twilio: WhatsApp body is %d characters, over %d", n, MaxWhatsAppBody)
	}
	return nil
}

// ChoicesVariables are the ContentVariables of a choices template (a
// quick-reply or list-picker content template, WHATSAPP_CHOICES_SID)
// for a reply with options: "1" is the text, "2", "3", … the option
// labels in order. The template gives option n the id "n", which comes
// back as ButtonPayload and is read as the typed number n. ok is false
// for a reply without options or with more than MaxWhatsAppChoices.
func ChoicesVariables(r tipline.Reply) (vars string, ok bool) {
	if len(r.Options) == 0 || len(r.Options) > MaxWhatsAppChoices {
		return "", false
	}
	m := map[string]string{"1": strings.TrimSpace(r.Text)}
	for i, o := range r.Options {
		m[strconv.Itoa(i+2)] = strings.TrimSpace(o.Label)
	}
	return jsonVars(m), true
}

// TemplateVariables are the ContentVariables of the approved template that
// carries a message outside the 24-hour window
// (WHATSAPP_TEMPLATE_SID): "1" is the whole message as
// RenderWhatsApp writes it.
func TemplateVariables(r tipline.Reply) string {
	return jsonVars(map[string]string{"1": RenderWhatsApp(r)})
}

func jsonVars(m map[string]string) string {
	b, _ := json.Marshal(m) // a map of strings always marshals
	return string(b)
}
