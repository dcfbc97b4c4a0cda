package twilio

import (
	"strconv"
	"strings"

	"tipline"
	"tipline/sms"
)

// Render returns the SMS body for a reply: its text, then each option on
// its own line as "1) Label", numbered from 1 in order (the flows map a
// numbered answer back through State.Options). AskLocation adds nothing:
// on SMS the flows ask for a place in words. Typographic quotes, dashes
// and spaces are replaced by GSM-7 ones (sms.Normalize) so that text
// without other special characters costs 160 characters a segment.
func Render(r tipline.Reply) string {
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
	return sms.Normalize(b.String())
}

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
