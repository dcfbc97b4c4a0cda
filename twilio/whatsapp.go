package twilio

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"tipline"
)

// WhatsAppPrefix marks a WhatsApp address in Twilio's From and To fields
// ("whatsapp:+5215512345678"); without it an address is a phone number on
// SMS.
const WhatsAppPrefix = "whatsapp:"

// WhatsAppSession is how long after a person's last message a business
// may write to them freely on WhatsApp; after it, only an approved
// template may go (the 24-hour customer service window).
const WhatsAppSession = 24 * time.Hour

// IsWhatsApp reports whether a Twilio address is a WhatsApp one.
func IsWhatsApp(addr string) bool {
	return len(addr) > len(WhatsAppPrefix) && strings.EqualFold(addr[:len(WhatsAppPrefix)], WhatsAppPrefix)
}

// WhatsAppAddress is the Twilio address of the E.164 number n on
// WhatsApp; an address already carrying the prefix is returned as it is.
func WhatsAppAddress(n string) string {
	if IsWhatsApp(n) {
		return n
	}
	return WhatsAppPrefix + n
}

// parseWhatsApp reads an inbound WhatsApp webhook (From "whatsapp:+…"):
// text, media (MediaUrl{N}), a shared location (Latitude and Longitude)
// and a pressed quick-reply button (ButtonPayload, read as the typed
// option number it carries). The sender is kept as the bare E.164 number;
// ProfileName, WaId, Address and Label are dropped on purpose
// (docs/design.md rule 14). WhatsApp webhooks carry no FromCountry: the
// country is read from the number's calling code (whatsappCountry).
func parseWhatsApp(sid, from string, form url.Values, now time.Time) (tipline.Inbound, error) {
	number := strings.TrimSpace(from[len(WhatsAppPrefix):])
	if !e164(number) {
		return tipline.Inbound{}, tipline.Errorf(tipline.EInvalid, "twilio: malformed WhatsApp From")
	}
	in := tipline.Inbound{
		Channel:    tipline.ChannelWhatsApp,
		ProviderID: sid,
		SenderID:   number,
		Text:       form.Get("Body"),
		Country:    whatsappCountry(number),
		Media:      parseMedia(form),
		ReceivedAt: now,
	}
	if p := strings.TrimSpace(form.Get("ButtonPayload")); p != "" && in.Text == "" {
		in.Text = p
	}
	if loc, ok := parseLocation(form.Get("Latitude"), form.Get("Longitude")); ok {
		in.Location = &loc
	}
	return in, nil
}

// parseLocation reads a shared location; both coordinates must be finite
// and in range.
func parseLocation(lat, lon string) (tipline.Location, bool) {
	if lat == "" || lon == "" {
		return tipline.Location{}, false
	}
	la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
	lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
	if err1 != nil || err2 != nil || !(la >= -90 && la <= 90) || !(lo >= -180 && lo <= 180) {
		return tipline.Location{}, false
	}
	return tipline.Location{Lat: la, Lon: lo}, true
}

// e164 reports whether n is "+" and 7 to 15 digits, the first not 0.
func e164(n string) bool {
	if len(n) < 8 || len(n) > 16 || n[0] != '+' || n[1] == '0' {
		return false
	}
	for i := 1; i < len(n); i++ {
		if n[i] < '0' || n[i] > '9' {
			return false
		}
	}
	return true
}
