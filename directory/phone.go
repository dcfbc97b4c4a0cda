package directory

import (
	"regexp"
	"strings"
)

// keypad maps letters to digits by the standard telephone keypad (ITU-T
// E.161), so 1-800-RUNAWAY is exactly 1-800-786-2929.
var keypad = map[rune]byte{
	'A': '2', 'B': '2', 'C': '2', 'D': '3', 'E': '3', 'F': '3',
	'G': '4', 'H': '4', 'I': '4', 'J': '5', 'K': '5', 'L': '5',
	'M': '6', 'N': '6', 'O': '6', 'P': '7', 'Q': '7', 'R': '7', 'S': '7',
	'T': '8', 'U': '8', 'V': '8', 'W': '9', 'X': '9', 'Y': '9', 'Z': '9',
}

var (
	vanityOnly   = regexp.MustCompile(`^[0-9][0-9A-Z-]*[A-Z][0-9A-Z-]*$`)
	vanityDigits = regexp.MustCompile(`^([0-9][0-9A-Z-]*[A-Z][0-9A-Z-]*)\s*\(([0-9][0-9 -]*[0-9])\)$`)
	e164         = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
)

// Digits returns the decimal digits of s, in order.
func Digits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// KeypadDigits maps a vanity number to its digits by the telephone keypad,
// dropping separators: "1-800-RUNAWAY" gives "18007862929".
func KeypadDigits(vanity string) string {
	var b strings.Builder
	for _, c := range strings.ToUpper(vanity) {
		switch {
		case c >= '0' && c <= '9':
			b.WriteRune(c)
		case keypad[c] != 0:
			b.WriteByte(keypad[c])
		}
	}
	return b.String()
}

// SplitVanity splits a vanity phone display into its vanity form and its
// digits: "1-800-THE-LOST (1-800-843-5678)" and "1-800-RUNAWAY" both give
// the vanity part and the dialable digits ("1-800-843-5678",
// "1-800-786-2929"). Anything that is not a vanity number gives "", "".
func SplitVanity(s string) (vanity, digits string) {
	s = strings.TrimSpace(s)
	if m := vanityDigits.FindStringSubmatch(s); m != nil {
		return m[1], m[2]
	}
	if vanityOnly.MatchString(s) {
		return s, formatNANP(KeypadDigits(s))
	}
	return "", ""
}

// formatNANP writes 11 digits starting with 1 as 1-XXX-XXX-XXXX and 10 as
// XXX-XXX-XXXX; other lengths are returned as they are.
func formatNANP(d string) string {
	switch {
	case len(d) == 11 && d[0] == '1':
		return d[:1] + "-" + d[1:4] + "-" + d[4:7] + "-" + d[7:]
	case len(d) == 10:
		return d[:3] + "-" + d[3:6] + "-" + d[6:]
	}
	return d
}

// DisplayPhone returns the form a phone number is shown in: a vanity number
// gets its digits in brackets ("1-800-RUNAWAY (1-800-786-2929)"); any other
// number is returned trimmed.
func DisplayPhone(s string) string {
	s = strings.TrimSpace(s)
	if vanityOnly.MatchString(s) {
		return s + " (" + formatNANP(KeypadDigits(s)) + ")"
	}
	return s
}

// ValidE164 reports whether s is an E.164 number: "+", then 7-15 digits.
func ValidE164(s string) bool { return e164.MatchString(s) }
