// Package sms knows how a carrier counts an SMS: which characters fit the
// GSM 03.38 7-bit alphabet (3GPP TS 23.038, basic table and extension
// table), when a message falls back to UCS-2, and how many segments it
// costs. It also splits long texts into parts that each fit a segment
// budget, so flows can paginate with MORE. It is pure: no I/O.
package sms

// gsmBasic is the GSM-7 default alphabet without ESC (127 characters), in
// table order. Each character costs one septet.
const gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"

// gsmExtension holds the characters reached through ESC (0x1B); each costs
// two septets. The first is form feed.
const gsmExtension = "\f^{}\\[~]|€"

// asciiCost is the septet cost of each ASCII code point: 0 means "not in
// GSM-7", so the common case is a table lookup.
var asciiCost [128]uint8

// otherCost holds the septet cost of the non-ASCII GSM-7 characters.
var otherCost = map[rune]uint8{}

func init() {
	for _, r := range gsmBasic {
		setCost(r, 1)
	}
	for _, r := range gsmExtension {
		setCost(r, 2)
	}
}

func setCost(r rune, cost uint8) {
	if r < 128 {
		asciiCost[r] = cost
		return
	}
	otherCost[r] = cost
}

// septets returns the number of GSM-7 septets r costs: 1 for the basic
// table, 2 for the extension table, 0 when r is not in GSM-7.
func septets(r rune) int {
	if r >= 0 && r < 128 {
		return int(asciiCost[r])
	}
	return int(otherCost[r])
}

// IsGSM7 reports whether every character of s is in the GSM-7 basic or
// extension table, so that s can be sent without UCS-2. Invalid UTF-8
// is not GSM-7.
func IsGSM7(s string) bool {
	for _, r := range s {
		if septets(r) == 0 {
			return false
		}
	}
	return true
}
