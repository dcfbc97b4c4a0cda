package staff

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"tipline"
	"tipline/sms"
)

// draft is a staff text a form sent back because it could not go as it
// was: the page shows it again in its box with the reason, so nothing
// typed is lost.
type draft struct {
	Text    string
	Canned  string
	Problem string        // why it was refused ("" when only numbers need confirming)
	Unknown []typedNumber // numbers the directory does not hold
	Confirm string        // the confirmation the "send anyway" button carries
}

// Refused reports whether the draft is shown because it was refused or
// needs a confirmation.
func (d draft) Refused() bool { return d.Problem != "" || len(d.Unknown) > 0 }

// status is the HTTP status of a page showing d: 400 for a text refused
// (too long for SMS, not neutral), 422 for one that only waits for the
// numbers in it to be confirmed, 200 for an ordinary view.
func (d draft) status() int {
	switch {
	case d.Problem != "":
		return http.StatusBadRequest
	case len(d.Unknown) > 0:
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}

// smsBudgetProblem says why body (the whole SMS as the carrier receives
// it, header included) cannot go to an SMS recipient, or "" when it fits
// sms.MaxSegments segments. The message names the count, the encoding and
// the characters that force UCS-2, and how much would fit.
func smsBudgetProblem(body string) string {
	body = sms.Normalize(body)
	enc, n := sms.Segments(body)
	if n <= sms.MaxSegments {
		return ""
	}
	msg := fmt.Sprintf("This message would go out as %d SMS segments; at most %d may go to someone on SMS. Shorten it and send again.",
		n, sms.MaxSegments)
	if enc == sms.UCS2 {
		msg += fmt.Sprintf(" It contains characters outside the basic SMS alphabet (%s), so each segment holds 67 characters instead of 153:"+
			" about %d characters fit; without them, about %d would.", strings.Join(ucs2Chars(body, 6), " "),
			sms.MaxSegments*sms.UCS2Segment, sms.MaxSegments*sms.GSM7Segment)
	} else {
		msg += fmt.Sprintf(" About %d characters fit.", sms.MaxSegments*sms.GSM7Segment)
	}
	return msg
}

// ucs2Chars lists up to max distinct characters of s that are not GSM-7.
func ucs2Chars(s string, max int) []string {
	var out []string
	seen := map[rune]bool{}
	for _, r := range s {
		if seen[r] || sms.IsGSM7(string(r)) {
			continue
		}
		seen[r] = true
		if len(out) == max {
			return append(out, "…")
		}
		out = append(out, string(r))
	}
	return out
}

// checkDraft is the check every staff text passes before it is queued:
// on SMS the whole message as it will be sent (body: text with any header
// the reply carries, sms.Render) must fit the segment budget; any phone
// number or short code in text the verified directory does not hold must
// be confirmed (confirm is the form's confirmation of the numbers it was
// warned about). ok is false when the page must be shown again with d.
func (db *Dashboard) checkDraft(ctx context.Context, channel, body, text, confirm string) (d draft, ok bool, err error) {
	d = draft{Text: text}
	if channel == string(tipline.ChannelSMS) {
		if d.Problem = smsBudgetProblem(body); d.Problem != "" {
			return d, false, nil
		}
	}
	if len(typedNumbers(text)) == 0 {
		return d, true, nil
	}
	dir, err := db.store.Directory(ctx)
	if err != nil {
		return d, false, err
	}
	d.Unknown = unknownNumbers(dir, text)
	d.Confirm = numbersKey(d.Unknown)
	if len(d.Unknown) == 0 || d.Confirm == confirm {
		return draft{Text: text}, true, nil
	}
	return d, false, nil
}
