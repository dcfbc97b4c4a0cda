package telegram

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"tipline"
)

// ErrMalformed is wrapped by every Parse error: the body is not a JSON
// Update (not an object, bad syntax, wrong field types, or no update_id).
// The webhook answers it with 400.
var ErrMalformed = errors.New("telegram: malformed update")

// Kind says what a parsed update means to the bot.
type Kind int

// The kinds of update. Every kind not listed (edits, channel posts,
// stickers, group chats, polls, inline queries, ...) is KindIgnored.
const (
	// KindIgnored is a well-formed update the bot acknowledges and drops.
	KindIgnored Kind = iota
	// KindMessage is a private-chat message or an inline-button press;
	// Update.Inbound holds it.
	KindMessage
	// KindBlocked is my_chat_member in a private chat with the new status
	// "kicked": the user blocked the bot, so nothing more can be sent.
	KindBlocked
	// KindUnblocked is my_chat_member in a private chat with the new status
	// "member": the user unblocked or restarted the bot.
	KindUnblocked
)

// String names the kind, for logs and metrics.
func (k Kind) String() string {
	switch k {
	case KindMessage:
		return "message"
	case KindBlocked:
		return "blocked"
	case KindUnblocked:
		return "unblocked"
	}
	return "ignored"
}

// Update is one parsed Telegram update.
//
// For KindMessage, Inbound is complete. For KindBlocked and KindUnblocked,
// Inbound carries only Channel, ProviderID, Seq and SenderID (the chat whose
// membership changed). For KindIgnored only ID is meaningful.
type Update struct {
	ID      int64 // update_id
	Kind    Kind
	Inbound tipline.Inbound
}

// startRe matches a /start command with a deep-link payload (Bot API deep
// linking: up to 64 of A-Z a-z 0-9 _ -).
var startRe = regexp.MustCompile(`^/start(?:@\w+)? ([A-Za-z0-9_-]{1,64})$`)

// bareStartRe matches /start without a payload.
var bareStartRe = regexp.MustCompile(`^/start(?:@\w+)?$`)

// Wire types: only the fields Tipline reads. Names and usernames are not
// even decoded. Small leaf types come from the library.
type wireUpdate struct {
	UpdateID      *int64        `json:"update_id"`
	Message       *wireMessage  `json:"message"`
	CallbackQuery *wireCallback `json:"callback_query"`
	MyChatMember  *wireMember   `json:"my_chat_member"`
}

type wireUser struct {
	ID           int64  `json:"id"`
	LanguageCode string `json:"language_code"`
}

type wireChat struct {
	ID   int64  `json:"id"`
	Type string `json:"type"`
}

type wireFile struct {
	FileID   string `json:"file_id"`
	MimeType string `json:"mime_type"`
	FileName string `json:"file_name"`
	FileSize int64  `json:"file_size"`
}

type wireMessage struct {
	MessageID int                  `json:"message_id"`
	From      *wireUser            `json:"from"`
	Chat      wireChat             `json:"chat"`
	Text      string               `json:"text"`
	Caption   string               `json:"caption"`
	Photo     []tgbotapi.PhotoSize `json:"photo"`
	Document  *tgbotapi.Document   `json:"document"`
	Location  *tgbotapi.Location   `json:"location"`
	Animation *wireFile            `json:"animation"`
	Video     *wireFile            `json:"video"`
	VideoNote *wireFile            `json:"video_note"`
	Voice     *wireFile            `json:"voice"`
	Audio     *wireFile            `json:"audio"`
}

type wireCallback struct {
	ID      string       `json:"id"`
	From    wireUser     `json:"from"`
	Message *wireMessage `json:"message"`
	Data    string       `json:"data"`
}

type wireMember struct {
	Chat          wireChat `json:"chat"`
	NewChatMember struct {
		Status string `json:"status"`
	} `json:"new_chat_member"`
}

// Parse decodes one Update and reports whether the bot should handle it.
//
// err (wrapping ErrMalformed) means the body is not an Update: answer 400.
// ok=false means a well-formed update to acknowledge and drop: edits,
// channel posts, stickers, group chats, my_chat_member, and every other
// kind. Use ParseUpdate to see blocked/unblocked events.
//
// ReceivedAt is left zero: Parse is pure; the Webhook and the Poller set it.
func Parse(body []byte) (in tipline.Inbound, ok bool, err error) {
	u, err := ParseUpdate(body)
	if err != nil || u.Kind != KindMessage {
		return tipline.Inbound{}, false, err
	}
	return u.Inbound, true, nil
}

// ParseUpdate decodes one Update and classifies it. See Parse and Kind.
func ParseUpdate(body []byte) (Update, error) {
	var w wireUpdate
	if err := json.Unmarshal(body, &w); err != nil {
		return Update{}, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if w.UpdateID == nil {
		return Update{}, fmt.Errorf("%w: no update_id", ErrMalformed)
	}
	if *w.UpdateID < 0 {
		return Update{}, fmt.Errorf("%w: negative update_id", ErrMalformed)
	}
	u := Update{ID: *w.UpdateID}
	switch {
	case w.Message != nil:
		u.Inbound, u.Kind = fromMessage(w.Message)
	case w.CallbackQuery != nil:
		u.Inbound, u.Kind = fromCallback(w.CallbackQuery)
	case w.MyChatMember != nil:
		u.Inbound, u.Kind = fromMember(w.MyChatMember)
	}
	if u.Kind == KindIgnored {
		return Update{ID: u.ID}, nil
	}
	u.Inbound.Channel = tipline.ChannelTelegram
	u.Inbound.ProviderID = strconv.FormatInt(u.ID, 10)
	u.Inbound.Seq = u.ID
	return u, nil
}

// fromMessage turns a private-chat message into an Inbound.
func fromMessage(m *wireMessage) (tipline.Inbound, Kind) {
	if m.Chat.Type != "private" || m.Chat.ID == 0 {
		return tipline.Inbound{}, KindIgnored
	}
	in := tipline.Inbound{
		SenderID: strconv.FormatInt(m.Chat.ID, 10),
		Text:     m.Text,
	}
	if m.MessageID > 0 {
		in.MessageRef = strconv.Itoa(m.MessageID)
	}
	if m.From != nil {
		in.LangHint = langHint(m.From.LanguageCode)
	}
	if in.Text == "" {
		in.Text = m.Caption
	}
	if p := startRe.FindStringSubmatch(in.Text); p != nil {
		in.Text, in.Payload = "/start", p[1]
	} else if bareStartRe.MatchString(in.Text) {
		in.Text = "/start"
	}
	if l := m.Location; l != nil && validPoint(l.Latitude, l.Longitude) {
		in.Location = &tipline.Location{Lat: l.Latitude, Lon: l.Longitude}
	}
	if ref, ok := mediaOf(m); ok {
		in.Media = []tipline.MediaRef{ref}
	}
	if in.Text == "" && in.Location == nil && len(in.Media) == 0 {
		return tipline.Inbound{}, KindIgnored // sticker, contact, service message...
	}
	return in, KindMessage
}

// mediaOf returns the message's attachment: the largest photo size, an
// image document, or (so the flow can refuse it politely) any other file
// with its content type set.
func mediaOf(m *wireMessage) (tipline.MediaRef, bool) {
	if p, ok := largestPhoto(m.Photo); ok {
		return tipline.MediaRef{Ref: p.FileID, ContentType: "image/jpeg", Size: int64(p.FileSize)}, true
	}
	others := []struct {
		f    *wireFile
		mime string
	}{
		{m.Animation, "video/mp4"}, {m.Video, "video/mp4"}, {m.VideoNote, "video/mp4"},
		{m.Voice, "audio/ogg"}, {m.Audio, "audio/mpeg"},
	}
	for _, o := range others {
		if o.f != nil && o.f.FileID != "" {
			return tipline.MediaRef{Ref: o.f.FileID, ContentType: orDefault(o.f.MimeType, o.mime),
				FileName: o.f.FileName, Size: o.f.FileSize}, true
		}
	}
	if d := m.Document; d != nil && d.FileID != "" {
		return tipline.MediaRef{Ref: d.FileID, ContentType: orDefault(d.MimeType, "application/octet-stream"),
			FileName: d.FileName, Size: int64(d.FileSize)}, true
	}
	return tipline.MediaRef{}, false
}

// largestPhoto picks the biggest PhotoSize by pixel area, then file size.
func largestPhoto(sizes []tgbotapi.PhotoSize) (tgbotapi.PhotoSize, bool) {
	var best tgbotapi.PhotoSize
	found := false
	for _, p := range sizes {
		if p.FileID == "" {
			continue
		}
		area, bestArea := int64(p.Width)*int64(p.Height), int64(best.Width)*int64(best.Height)
		if !found || area > bestArea || (area == bestArea && p.FileSize > best.FileSize) {
			best, found = p, true
		}
	}
	return best, found
}

// fromCallback turns an inline-button press into an Inbound.
func fromCallback(c *wireCallback) (tipline.Inbound, Kind) {
	if c.ID == "" || c.Data == "" {
		return tipline.Inbound{}, KindIgnored // game callbacks carry no data
	}
	chatID := c.From.ID
	in := tipline.Inbound{Callback: c.Data, CallbackID: c.ID, LangHint: langHint(c.From.LanguageCode)}
	if m := c.Message; m != nil {
		if m.Chat.Type != "" && m.Chat.Type != "private" {
			return tipline.Inbound{}, KindIgnored
		}
		if m.Chat.ID != 0 {
			chatID = m.Chat.ID
		}
		if m.MessageID > 0 {
			in.MessageRef = strconv.Itoa(m.MessageID)
		}
	}
	if chatID == 0 {
		return tipline.Inbound{}, KindIgnored
	}
	in.SenderID = strconv.FormatInt(chatID, 10)
	return in, KindMessage
}

// fromMember reports a private chat blocking or unblocking the bot.
func fromMember(m *wireMember) (tipline.Inbound, Kind) {
	if m.Chat.Type != "private" || m.Chat.ID == 0 {
		return tipline.Inbound{}, KindIgnored
	}
	in := tipline.Inbound{SenderID: strconv.FormatInt(m.Chat.ID, 10)}
	switch m.NewChatMember.Status {
	case "kicked":
		return in, KindBlocked
	case "member":
		return in, KindUnblocked
	}
	return tipline.Inbound{}, KindIgnored
}

// langHint keeps a language_code only if it looks like an IETF tag.
func langHint(s string) string {
	if s == "" || len(s) > 35 {
		return ""
	}
	for _, r := range s {
		if !(r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return ""
		}
	}
	return strings.ToLower(s)
}

func validPoint(lat, lon float64) bool {
	finite := !math.IsNaN(lat) && !math.IsNaN(lon) && !math.IsInf(lat, 0) && !math.IsInf(lon, 0)
	return finite && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return s
}
