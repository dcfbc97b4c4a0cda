// Package webchat is the web chat channel (issue 17): a page at /chat and
// an embeddable widget (/chat/widget.js, one script tag that injects an
// iframe of /chat) through which a person talks to the bot from a
// browser. Its messages go through the same turn (Bot.Handle: the risk
// screen, the flows, crisis mode) and the same outbox as every channel;
// staff claim and answer its chats in the dashboard like any other.
//
// Safety first (docs/design.md section 9, "Web chat"): a quick-exit
// button and the Escape key replace the page with a neutral site
// (WEBCHAT_EXIT_URL) and clear the session; the browser keeps nothing
// beyond the tab (sessionStorage, no cookies); the page title is neutral.
//
// A session is an anonymous token the server issues and signs. It plays
// the part of a phone number: it is the sender id the bot seals and
// hashes like every identifier, and it is never put in a URL or logged.
// Replies reach the page as server-sent events read from the database,
// woken at once when this instance's outbox delivered them.
package webchat

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"tipline"
	"tipline/seal"
)

// Turner runs one inbound message through the bot (*bot.Bot).
type Turner interface {
	Handle(ctx context.Context, in tipline.Inbound) error
}

// MaxText is the longest message a person may send, in characters.
const MaxText = 2000

// tokenKind is the keyed-hash kind that signs session tokens.
const tokenKind = "webchat-token"

// NewToken returns a fresh session token: 16 random bytes and a keyed
// hash of them, both in hex (64 digits).
func NewToken(keys *seal.Keys) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand panics instead)
	r := hex.EncodeToString(b)
	return r + hex.EncodeToString(keys.Hash(tokenKind, r)[:16])
}

// ValidToken reports whether s is a token NewToken made under the current
// or a previous key.
func ValidToken(keys *seal.Keys, s string) bool {
	if len(s) != 64 || strings.ToLower(s) != s {
		return false
	}
	mac, err := hex.DecodeString(s[32:])
	if err != nil {
		return false
	}
	if _, err := hex.DecodeString(s[:32]); err != nil {
		return false
	}
	for _, h := range keys.HashAll(tokenKind, s[:32]) {
		if hmac.Equal(h[:16], mac) {
			return true
		}
	}
	return false
}

// Input is what the page sends: exactly one of a text, a pressed option's
// value or a case to report on (the gallery's "Seen this child?" opens
// /chat?case=<public id>), with the page's language and, when the person
// chose one, their country.
type Input struct {
	// ID is the page's id for this message (hex, 16 to 32 digits): a send
	// the page repeats after a network error is not handled twice.
	ID       string `json:"id"`
	Text     string `json:"text,omitempty"`
	Callback string `json:"callback,omitempty"`
	// Case is a case's public id: the message starts a sighting report on
	// that case, as a Telegram deep link does.
	Case string `json:"case,omitempty"`
	// Lang is the page's language tag (the browser's, or chosen: "es-MX").
	Lang string `json:"lang,omitempty"`
	// Country is what the person chose: US, CA, MX or ZZ (elsewhere); ""
	// when they did not say.
	Country string `json:"country,omitempty"`
}

// Countries are the answers the page offers to "where are you?"; ZZ is
// "somewhere else" (the US lines and the line for other countries).
var Countries = []string{"US", "CA", "MX", "ZZ"}

// Validate checks the input's parts and limits.
func (in Input) Validate() error {
	parts := 0
	for _, ok := range []bool{strings.TrimSpace(in.Text) != "", in.Callback != "", in.Case != ""} {
		if ok {
			parts++
		}
	}
	switch {
	case len(in.ID) < 16 || len(in.ID) > 32 || !isHex(in.ID):
		return tipline.Errorf(tipline.EInvalid, "the message id must be 16 to 32 hex digits")
	case parts != 1:
		return tipline.Errorf(tipline.EInvalid, "send a text, an option or a case")
	case in.Case != "" && !caseRe.MatchString(in.Case):
		return tipline.Errorf(tipline.EInvalid, "case must be a case's public id")
	case utf8.RuneCountInString(in.Text) > MaxText:
		return tipline.Errorf(tipline.EInvalid, "text is longer than %d characters", MaxText)
	case len(in.Callback) > 64:
		return tipline.Errorf(tipline.EInvalid, "option value is longer than 64 bytes")
	case len(in.Lang) > 35 || strings.ContainsFunc(in.Lang, badTagRune):
		return tipline.Errorf(tipline.EInvalid, "lang must be a language tag")
	case in.Country != "" && !contains(Countries, in.Country):
		return tipline.Errorf(tipline.EInvalid, "country must be one of %s", strings.Join(Countries, ", "))
	}
	return nil
}

// caseRe matches a case's public id as a deep link carries it.
var caseRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,58}$`)

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil && len(s)%2 == 0
}

func badTagRune(r rune) bool {
	return !(r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// Inbound builds the channel-neutral message for one send from the
// session token. The provider id derives from the token and the page's
// message id, so a repeated send is a duplicate the bot ignores.
func Inbound(token string, in Input, now time.Time) tipline.Inbound {
	id := sha256.Sum256([]byte(token + "\x00" + in.ID))
	msg := tipline.Inbound{
		Channel: tipline.ChannelWebChat, ProviderID: "webchat-" + hex.EncodeToString(id[:16]), SenderID: token,
		Text: in.Text, Callback: in.Callback, Country: in.Country, LangHint: in.Lang, ReceivedAt: now,
	}
	if in.Case != "" {
		msg.Text, msg.Payload = "/start", "case_"+in.Case
	}
	return msg
}
