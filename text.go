package tipline

import (
	"strings"
	"unicode/utf8"
)

// CleanText returns s as text PostgreSQL always accepts, keeping the rest
// of it as sent (docs/design.md rule 17: content never fails a turn).
//
//   - Each byte that is not part of valid UTF-8 becomes U+FFFD, as Go's
//     decoders (and so encoding/json, which reads Telegram's updates and
//     its lone \ud800 escapes) already read it, so the same bytes read
//     the same on every channel, and staff see that something was there. A
//     surrogate encoded on its own (ED A0 80) is invalid UTF-8 too.
//   - NUL is removed, not replaced: it never carries meaning in a message,
//     and its usual source (UTF-16 read as bytes, C-string padding) puts
//     it inside words, so removing it gives back the words the sender
//     typed ("k\x00i\x00l\x00l" reads "kill"), for the risk screen as for
//     staff. The risk screen's own normaliser drops NUL the same way, so
//     what is stored and what was screened agree.
//
// Other control characters are valid text and are kept. A clean s is
// returned as is, without allocating.
func CleanText(s string) string {
	if strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == 0:
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// Clean returns in with every text field passed through CleanText. The
// turn applies it first (bot.Handle), so every channel's messages are
// cleaned in one place before they are stored or screened.
func (in Inbound) Clean() Inbound {
	in.ProviderID = CleanText(in.ProviderID)
	in.SenderID = CleanText(in.SenderID)
	in.Text = CleanText(in.Text)
	in.Payload = CleanText(in.Payload)
	in.Callback = CleanText(in.Callback)
	in.CallbackID = CleanText(in.CallbackID)
	in.Country = CleanText(in.Country)
	in.LangHint = CleanText(in.LangHint)
	in.MessageRef = CleanText(in.MessageRef)
	if len(in.Media) > 0 {
		media := make([]MediaRef, len(in.Media))
		for i, m := range in.Media {
			m.Ref, m.ContentType, m.FileName = CleanText(m.Ref), CleanText(m.ContentType), CleanText(m.FileName)
			media[i] = m
		}
		in.Media = media
	}
	return in
}
