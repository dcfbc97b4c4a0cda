package twilio

import "strings"

// canadianAreaCodes are the North American area codes in Canada.
var canadianAreaCodes = codeSet(`204 226 236 249 250 257 263 273 289 306 343 354 365 367 368 382 387 403
	416 418 428 431 437 438 450 460 468 474 506 514 519 548 579 581 584 587 600 604 613 622 639 647 672
	683 705 709 742 753 778 780 782 807 819 825 851 867 873 879 902 905 942`)

// otherNANPAreaCodes are the North American area codes of the Caribbean
// countries that share +1 and are not part of the United States.
var otherNANPAreaCodes = codeSet(`242 246 264 268 284 345 441 473 649 658 664 721 758 767 784 809 829
	849 868 869 876`)

func codeSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, c := range strings.Fields(s) {
		m[c] = true
	}
	return m
}

// whatsappCountry is the country of an E.164 number, as far as the
// countries Tipline serves go (ISO 3166-1 alpha-2), or "" when it is
// another one: +52 is Mexico; +1 is Canada by its area code, the United
// States (with its territories) otherwise, and "" for the Caribbean
// countries that share +1. WhatsApp webhooks carry no FromCountry, and
// nothing else about the sender's place is read.
func whatsappCountry(n string) string {
	switch {
	case strings.HasPrefix(n, "+52"):
		return "MX"
	case strings.HasPrefix(n, "+1") && len(n) == 12:
		area := n[2:5]
		switch {
		case canadianAreaCodes[area]:
			return "CA"
		case otherNANPAreaCodes[area]:
			return ""
		}
		return "US"
	}
	return ""
}
