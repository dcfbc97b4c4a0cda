package directory

import (
	"sort"
	"strings"
)

// ShownContacts returns every phone number, SMS number, SMS keyword, TTY
// and WhatsApp value shown to users by any verified record, as stored, plus
// for a vanity number its two parts ("1-800-RUNAWAY" and "1-800-786-2929").
// Replies may carry no other number or keyword.
func (d *Directory) ShownContacts() []string {
	set := map[string]bool{}
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			set[s] = true
		}
	}
	for _, r := range d.public {
		for _, v := range []string{r.Phone, r.PhoneE164, r.SMSNumber, r.SMSKeyword, r.TTY, r.WhatsApp} {
			add(v)
			vanity, digits := SplitVanity(v)
			if vanity != "" {
				add(vanity)
				add(digits)
			}
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// IsShownNumber reports whether s, compared by its digits, is a phone, SMS,
// TTY or WhatsApp number shown to users by a verified record. A leading
// country code 1 on an 11-digit number is ignored on both sides.
func (d *Directory) IsShownNumber(s string) bool {
	want := nanpCore(Digits(s))
	if want == "" {
		return false
	}
	for _, r := range d.public {
		for _, v := range []string{r.Phone, r.PhoneE164, r.SMSNumber, r.TTY, r.WhatsApp} {
			if v == "" {
				continue
			}
			_, digits := SplitVanity(v)
			if digits == "" {
				digits = v
			}
			if nanpCore(Digits(digits)) == want || nanpCore(Digits(v)) == want {
				return true
			}
		}
	}
	return false
}

// IsShownKeyword reports whether kw (case-insensitive) is an SMS keyword
// shown to users by a verified record.
func (d *Directory) IsShownKeyword(kw string) bool {
	kw = strings.TrimSpace(kw)
	for _, r := range d.public {
		if r.SMSKeyword != "" && strings.EqualFold(r.SMSKeyword, kw) {
			return true
		}
	}
	return false
}

// nanpCore drops the leading 1 of an 11-digit North American number.
func nanpCore(d string) string {
	if len(d) == 11 && d[0] == '1' {
		return d[1:]
	}
	return d
}
