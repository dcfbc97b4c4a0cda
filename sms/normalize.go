package sms

import "strings"

// typographic maps characters that word processors and translators put
// into text, and that would force the whole message into UCS-2, to their
// plain GSM-7 look-alikes (as Twilio's Smart Encoding does).
var typographic = strings.NewReplacer(
	"\u2018", "'", "\u2019", "'", "\u201A", "'", "\u201B", "'", "\u2032", "'",
	"\u201C", "\"", "\u201D", "\"", "\u201E", "\"", "\u201F", "\"", "\u2033", "\"",
	"\u00AB", "\"", "\u00BB", "\"",
	"\u2010", "-", "\u2011", "-", "\u2012", "-", "\u2013", "-", "\u2014", "-", "\u2212", "-",
	"\u2026", "...",
	"\u00A0", " ", "\u2002", " ", "\u2003", " ", "\u2009", " ", "\u202F", " ",
	"\u200B", "", "\u2060", "", "\uFEFF", "",
)

// Normalize replaces typographic quotes, dashes, ellipses and unusual
// spaces with their GSM-7 equivalents, so that text which only differs
// from GSM-7 by such characters is sent at 160 characters a segment rather
// than 70. Letters are never changed.
func Normalize(s string) string {
	if IsGSM7(s) {
		return s
	}
	return typographic.Replace(s)
}
