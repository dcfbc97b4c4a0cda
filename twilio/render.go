package twilio

import (
	"tipline"
	"tipline/sms"
)

// Render returns the SMS body for a reply (see sms.Render: text, then
// "1) Label" per option, GSM-7-friendly punctuation).
func Render(r tipline.Reply) string { return sms.Render(r) }

// Check returns an EInvalid error when body cannot be sent as one Tipline
// SMS reply: empty, or over sms.MaxSegments segments (flows paginate
// longer texts with MORE).
func Check(body string) error {
	enc, n := sms.Segments(body)
	switch {
	case n == 0:
		return tipline.Errorf(tipline.EInvalid, "twilio: empty SMS body")
	case n > sms.MaxSegments:
		return tipline.Errorf(tipline.EInvalid, "twilio: SMS body is %d %s segments, over %d", n, enc, sms.MaxSegments)
	}
	return nil
}
