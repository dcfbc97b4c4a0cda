package flows

import (
	"strconv"
	"strings"

	"tipline"
	"tipline/sms"
)

// smsBody is the SMS body a reply becomes, as bot/twilio.Render builds it
// (text, then "1) Label" per option): what the segment budget is measured
// on. The transcript tests check that the two agree.
func smsBody(r tipline.Reply) string {
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

// fitsSMS reports whether text with options fits sms.MaxSegments.
func fitsSMS(text string, opts []tipline.Option) bool {
	return sms.Fits(smsBody(tipline.Reply{Text: text, Options: opts}), sms.MaxSegments)
}

// sendBlocks sends a neutral header and blocks of text, then tail options.
// On Telegram that is one message. On SMS the blocks are packed into pages
// of at most sms.MaxSegments segments; every page opens with the header
// (so each stands alone on a lock screen) and all but the last offer MORE.
// The pages not yet sent wait in State.More.
func (t *turn) sendBlocks(blocks []string, tail []tipline.Option) {
	header := t.text("neutral.header")
	if t.in.Channel != tipline.ChannelSMS {
		t.st.More = nil
		t.say(tipline.Reply{Text: header + "\n" + strings.Join(blocks, "\n"), Options: tail})
		return
	}
	withMore := append([]tipline.Option{t.option("more", "opt.more")}, tail...)
	pages := packPages(header, blocks, withMore)
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

// packPages packs blocks into pages that each fit with opts, each opening
// with header. A block too long for a page alone is split at line or word
// ends.
func packPages(header string, blocks []string, opts []tipline.Option) []string {
	var pages []string
	cur := header
	for _, b := range blocks {
		if fitsSMS(cur+"\n"+b, opts) {
			cur += "\n" + b
			continue
		}
		if cur != header {
			pages = append(pages, cur)
			cur = header
		}
		if fitsSMS(cur+"\n"+b, opts) {
			cur += "\n" + b
			continue
		}
		for _, part := range splitToFit(header, b, opts) {
			pages = append(pages, header+"\n"+part)
		}
	}
	if cur != header || len(pages) == 0 {
		pages = append(pages, cur)
	}
	return pages
}

// splitToFit splits block into parts that fit a page after header.
func splitToFit(header, block string, opts []tipline.Option) []string {
	for n := sms.MaxSegments; n >= 1; n-- {
		parts := sms.Split(block, n)
		ok := true
		for _, p := range parts {
			if !fitsSMS(header+"\n"+p, opts) {
				ok = false
				break
			}
		}
		if ok {
			return parts
		}
	}
	// Not even one-segment parts fit beside the header and options: send
	// the block in one-segment pieces rather than drop it.
	return sms.Split(block, 1)
}
