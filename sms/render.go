package sms

import (
	"strconv"
	"strings"

	"tipline"
)

// Render returns the SMS body for a reply: its text, then each option on
// its own line as "1) Label", numbered from 1 in order (the flows map a
// numbered answer back through their saved options). AskLocation adds
// nothing: on SMS the flows ask for a place in words. Typographic quotes,
// dashes and spaces are replaced by GSM-7 ones (Normalize) so that text
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
	return Normalize(b.String())
}
