package flows

import (
	"strings"

	"tipline"
	"tipline/sms"
)

// smsBody is the SMS body a reply becomes, as bot/twilio.Render builds it
// (text, then "1) Label" per option): what the segment budget is measured
// on. The transcript tests check that the two agree.
func smsBody(r tipline.Reply) string { return sms.Render(r) }

// fitsSMS reports whether text with options fits sms.MaxSegments.
func fitsSMS(text string, opts []tipline.Option) bool {
	return sms.Fits(smsBody(tipline.Reply{Text: text, Options: opts}), sms.MaxSegments)
}

// sendBlocks sends blocks of text, then tail options. On Telegram that is
// one message. On SMS the blocks are packed into pages of at most
// sms.MaxSegments segments, all but the last offering MORE; the pages not
// yet sent wait in State.More. Every message opens neutrally on its own
// (it may be read alone on a lock screen): with its first block when that
// is neutral, else with the neutral header.
func (t *turn) sendBlocks(blocks []string, tail []tipline.Option) {
	header := t.text("neutral.header")
	if t.in.Channel != tipline.ChannelSMS {
		t.st.More = nil
		t.say(tipline.Reply{Text: pageStart(header, strings.Join(blocks, "\n")), Options: tail})
		return
	}
	// All of it in one message when it fits with the tail alone (the MORE
	// option can be what makes a page UCS-2: "Más").
	if all := pageStart(header, strings.Join(blocks, "\n")); fitsSMS(all, tail) {
		t.st.More = nil
		t.say(tipline.Reply{Text: all, Options: tail})
		return
	}
	// Pages are measured with the most options any of them will carry:
	// MORE, this tail (first page) and endOptions (pages sent by more()).
	widest := append([]tipline.Option{t.option("more", "opt.more")}, tail...)
	for _, o := range t.endOptions() {
		if !hasOption(tail, o.Value) {
			widest = append(widest, o)
		}
	}
	pages := packPages(header, blocks, widest)
	t.st.More = pages[1:]
	t.sendPage(pages[0], tail)
}

// sendPage sends one SMS page, offering MORE while pages remain.
func (t *turn) sendPage(page string, tail []tipline.Option) {
	opts := tail
	if len(t.st.More) > 0 {
		opts = append([]tipline.Option{t.option("more", "opt.more")}, tail...)
	}
	t.say(tipline.Reply{Text: page, Options: opts})
}

// more sends the next waiting SMS page, if any.
func (t *turn) more() bool {
	if len(t.st.More) == 0 {
		return false
	}
	page := t.st.More[0]
	t.st.More = t.st.More[1:]
	t.sendPage(page, t.endOptions())
	return true
}

// pageStart opens a page with block, behind the neutral header when the
// block's own opening would not be neutral on a lock screen.
func pageStart(header, block string) string {
	if CheckNeutral(block) == nil {
		return block
	}
	return header + "\n" + block
}

// packPages packs blocks, in order, into pages that each fit with opts. A
// block too long for a page is split (see splitToFit).
func packPages(header string, blocks []string, opts []tipline.Option) []string {
	var pages []string
	cur := ""
	for _, b := range blocks {
		if cur != "" && fitsSMS(cur+"\n"+b, opts) {
			cur += "\n" + b
			continue
		}
		if cur != "" {
			pages = append(pages, cur)
		}
		if cur = pageStart(header, b); fitsSMS(cur, opts) {
			continue
		}
		parts := splitToFit(header, b, opts)
		for _, part := range parts[:len(parts)-1] {
			pages = append(pages, pageStart(header, part))
		}
		cur = pageStart(header, parts[len(parts)-1])
	}
	if cur != "" || len(pages) == 0 {
		pages = append(pages, cur)
	}
	return pages
}

// splitToFit splits block into parts that each fit a page behind header.
// It cuts at a line end or "; " between the parts of a contact line, else
// at a space that is not inside a number ("800 5533 000" stays whole), and
// inside a word only when nothing else fits. The budget is measured on
// the whole page: the header may force UCS-2 on a block that alone would
// be GSM-7.
func splitToFit(header, block string, opts []tipline.Option) []string {
	var parts []string
	rest := strings.TrimSpace(block)
	for rest != "" {
		if fitsSMS(header+"\n"+rest, opts) {
			return append(parts, rest)
		}
		fits := func(i int) bool { return fitsSMS(header+"\n"+rest[:i], opts) }
		cut := lastCut(rest, fits, func(i int) bool { return rest[i] == '\n' || strings.HasPrefix(rest[i-1:], "; ") })
		if cut == 0 {
			cut = lastCut(rest, fits, func(i int) bool {
				return rest[i] == ' ' && !(isDigit(rest[i-1]) && i+1 < len(rest) && isDigit(rest[i+1]))
			})
		}
		if cut == 0 {
			cut = lastCut(rest, fits, func(int) bool { return true })
		}
		if cut == 0 {
			return append(parts, rest) // not even one character fits: send it whole
		}
		parts = append(parts, strings.TrimSpace(rest[:cut]))
		rest = strings.TrimSpace(rest[cut:])
	}
	return parts
}

// lastCut returns the last rune boundary i > 0 of s where ok(i) and
// fits(i), or 0. fits is monotonic, so the scan stops at the first misfit.
func lastCut(s string, fits, ok func(int) bool) int {
	cut := 0
	for i := range s {
		if i == 0 || !ok(i) {
			continue
		}
		if !fits(i) {
			break
		}
		cut = i
	}
	return cut
}

// hasOption reports whether opts offers value.
func hasOption(opts []tipline.Option, value string) bool {
	for _, o := range opts {
		if o.Value == value {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
