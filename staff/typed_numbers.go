package staff

import (
	"regexp"
	"sort"
	"strings"

	"tipline/directory"
)

// Numbers a staff member may type into a message: a phone number (7 to 15
// digits, with the usual separators, or a vanity number such as
// 1-800-RUNAWAY), a 5 or 6 digit short code after a word about texting
// ("text 741741"; a bare 5 digit number is more often a ZIP code), and a
// three-digit N11 line or 988.
var (
	phoneRE  = regexp.MustCompile(`(?:\+|\()?\b\d[\d ().-]{5,22}\d\b`)
	vanityRE = regexp.MustCompile(`\b1?[-. ]?8\d\d[-. ][0-9A-Z-]*[A-Z]{2}[0-9A-Z-]*\b`)
	shortRE  = regexp.MustCompile(`(?i)\b(?:text|txt|sms|texto|textea|textee|mensaje|envía|envia|envoyez|envoie|texte|au|al|to)\W{1,3}(?:[a-z]+\W{1,3}){0,3}?(\d{5,6})\b`)
	n11RE    = regexp.MustCompile(`\b([2-9]11|988)\b`)
	isoDate  = regexp.MustCompile(`\b\d{4}-\d{2}-\d{2}\b`)
)

// typedNumber is a number found in a staff text: as typed, and the digits
// it dials.
type typedNumber struct {
	Typed  string
	Digits string
}

// typedNumbers returns the phone numbers and short codes in text, each
// once, in order of appearance.
func typedNumbers(text string) []typedNumber {
	text = isoDate.ReplaceAllString(text, " ")
	var out []typedNumber
	seen := map[string]bool{}
	add := func(typed, digits string) {
		typed = strings.TrimSpace(typed)
		if digits == "" || seen[digits] {
			return
		}
		seen[digits] = true
		out = append(out, typedNumber{Typed: typed, Digits: digits})
	}
	for _, m := range vanityRE.FindAllString(text, -1) {
		if d := directory.KeypadDigits(m); len(d) >= 10 && len(d) <= 11 {
			add(m, d)
		}
	}
	for _, m := range phoneRE.FindAllString(text, -1) {
		if d := directory.Digits(m); len(d) >= 7 && len(d) <= 15 {
			add(m, d)
		}
	}
	for _, m := range shortRE.FindAllStringSubmatch(text, -1) {
		add(m[1], m[1])
	}
	for _, m := range n11RE.FindAllString(text, -1) {
		add(m, m)
	}
	return out
}

// unknownNumbers returns the numbers typed in text that no verified
// directory record shows (compared by digits, a leading 1 ignored), so
// that staff confirm them before a person is sent to a wrong or
// unverified line.
func unknownNumbers(d *directory.Directory, text string) []typedNumber {
	var out []typedNumber
	for _, n := range typedNumbers(text) {
		if !d.IsShownNumber(n.Digits) {
			out = append(out, n)
		}
	}
	return out
}

// numbersKey is the confirmation a staff member gave for a set of unknown
// numbers: their digits, sorted and joined. A changed text with other
// unknown numbers needs a new confirmation.
func numbersKey(ns []typedNumber) string {
	ds := make([]string, 0, len(ns))
	for _, n := range ns {
		ds = append(ds, n.Digits)
	}
	sort.Strings(ds)
	return strings.Join(ds, ",")
}
