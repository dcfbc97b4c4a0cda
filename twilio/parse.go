package twilio

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"tipline"
)

// MaxMedia is the most attachments Twilio puts on one MMS.
const MaxMedia = 10

// MessageStatus is a delivery state Twilio reports for a message.
type MessageStatus string

// The message statuses Twilio sends in status callbacks.
const (
	StatusQueued      MessageStatus = "queued"
	StatusSending     MessageStatus = "sending"
	StatusSent        MessageStatus = "sent"
	StatusDelivered   MessageStatus = "delivered"
	StatusUndelivered MessageStatus = "undelivered"
	StatusFailed      MessageStatus = "failed"
	StatusRead        MessageStatus = "read"
	StatusAccepted    MessageStatus = "accepted"
	StatusScheduled   MessageStatus = "scheduled"
	StatusCanceled    MessageStatus = "canceled"
	StatusReceiving   MessageStatus = "receiving"
	StatusReceived    MessageStatus = "received"
)

// Known reports whether s is one of the statuses listed above.
func (s MessageStatus) Known() bool {
	switch s {
	case StatusQueued, StatusSending, StatusSent, StatusDelivered, StatusUndelivered,
		StatusFailed, StatusRead, StatusAccepted, StatusScheduled, StatusCanceled,
		StatusReceiving, StatusReceived:
		return true
	}
	return false
}

// Final reports whether s ends an outbound message's life: delivered,
// undelivered, failed, read or canceled (read may still follow delivered).
func (s MessageStatus) Final() bool {
	switch s {
	case StatusDelivered, StatusUndelivered, StatusFailed, StatusRead, StatusCanceled:
		return true
	}
	return false
}

// Failed reports whether s means the message did not reach the phone.
func (s MessageStatus) Failed() bool {
	return s == StatusFailed || s == StatusUndelivered || s == StatusCanceled
}

// Status is one delivery status callback.
type Status struct {
	MessageSid string        // the outbound message it is about
	Status     MessageStatus // its new state
	ErrorCode  int           // Twilio error code for failed/undelivered; 0 if none
	ReceivedAt time.Time     // when Tipline received the callback
}

// ParseInbound turns the parameters of an inbound SMS/MMS webhook into a
// tipline.Inbound; a From of "whatsapp:+…" is a WhatsApp message
// (channel "whatsapp", parseWhatsApp). Only MessageSid, From, Body, FromCountry and the media
// fields are kept; Twilio's other From* location fields are dropped on
// purpose (docs/design.md rule 14). A missing MessageSid or From is an EInvalid
// error.
func ParseInbound(form url.Values, now time.Time) (tipline.Inbound, error) {
	sid := form.Get("MessageSid")
	if !validSid(sid) {
		return tipline.Inbound{}, tipline.Errorf(tipline.EInvalid, "twilio: missing or malformed MessageSid")
	}
	// Cleaned as the turn will clean it (docs/design.md rule 17), so that a
	// From of nothing but NUL is malformed here rather than a failed turn.
	from := tipline.CleanText(form.Get("From"))
	if from == "" || len(from) > 64 {
		return tipline.Inbound{}, tipline.Errorf(tipline.EInvalid, "twilio: missing or malformed From")
	}
	if IsWhatsApp(from) {
		return parseWhatsApp(sid, from, form, now)
	}
	return tipline.Inbound{
		Channel:    tipline.ChannelSMS,
		ProviderID: sid,
		SenderID:   from,
		Text:       form.Get("Body"),
		Country:    country(form.Get("FromCountry")),
		Media:      parseMedia(form),
		ReceivedAt: now,
	}, nil
}

// ParseStatus turns the parameters of a status callback into a Status.
// MessageStatus falls back to the older SmsStatus name.
func ParseStatus(form url.Values, now time.Time) (Status, error) {
	sid := form.Get("MessageSid")
	if sid == "" {
		sid = form.Get("SmsSid")
	}
	if !validSid(sid) {
		return Status{}, tipline.Errorf(tipline.EInvalid, "twilio: missing or malformed MessageSid")
	}
	st := form.Get("MessageStatus")
	if st == "" {
		st = form.Get("SmsStatus")
	}
	if st == "" || len(st) > 32 {
		return Status{}, tipline.Errorf(tipline.EInvalid, "twilio: missing MessageStatus")
	}
	code, _ := strconv.Atoi(strings.TrimSpace(form.Get("ErrorCode")))
	return Status{MessageSid: sid, Status: MessageStatus(strings.ToLower(st)), ErrorCode: code, ReceivedAt: now}, nil
}

// parseMedia collects MediaUrl{N} and MediaContentType{N}, N from 0.
func parseMedia(form url.Values) []tipline.MediaRef {
	var media []tipline.MediaRef
	for i := range MaxMedia {
		n := strconv.Itoa(i)
		ref := form.Get("MediaUrl" + n)
		if ref == "" {
			continue
		}
		media = append(media, tipline.MediaRef{Ref: ref, ContentType: form.Get("MediaContentType" + n)})
	}
	return media
}

// validSid accepts 2 to 64 ASCII letters and digits, the shape of every
// Twilio SID (two letters and 32 hex digits).
func validSid(s string) bool {
	return len(s) >= 2 && len(s) <= 64 && alnum(s)
}

// alnum reports whether s is non-empty ASCII letters and digits, which
// twilio-go also requires of credentials.
func alnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return s != ""
}

// country returns an ISO 3166-1 alpha-2 code, or "" for anything else.
func country(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) != 2 || s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' {
		return ""
	}
	return s
}
