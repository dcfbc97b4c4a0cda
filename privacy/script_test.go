package privacy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/seal"
	"tipline/telegram/telegramtest"
	"tipline/twilio/twiliotest"
)

// Marker values: what must never be found in a log line (all of them) or
// in the database (the identifiers).
const (
	youthPhone    = "+12025550143"
	tipsterPhone  = "+13125550178"
	youthChat     = 7391846205
	tipsterChat   = 6182935047
	tgUsername    = "zorblatt_q7"
	tgFirstName   = "Quenthwyn"
	tgLastName    = "Vantablork"
	textMarker    = "Xyzzyquux"
	boomMarker    = "Boomquux"
	botToken      = "7000000001:AAHmarkerBotTokenZq9xWvUtSrQpOnMlKj"
	twilioToken   = "f00dbabe1234567890abcdef12345678"
	webhookSecret = "tgsecret_Mq7ZxWv"
	staffPassword = "Pw!Marker-Qz8uLpR"
	wrongPassword = "Pw!Wrong-Marker-Kx"
	staffAlertSMS = "+12025550177"
	staffChat     = "-1009182736455"
	publicURL     = "https://tipline.example.org"
)

// identifierForms are the forms a sender identifier could take anywhere:
// E.164, national, formatted, bare, and the Telegram names.
func identifierForms() []string {
	out := []string{tgUsername, tgFirstName, tgLastName,
		fmt.Sprint(youthChat), fmt.Sprint(tipsterChat)}
	for _, p := range []string{youthPhone, tipsterPhone} {
		n := p[2:] // national, 10 digits
		out = append(out, p, n, "("+n[:3]+") "+n[3:6]+"-"+n[6:], n[:3]+"-"+n[3:6]+"-"+n[6:], n[:3]+"."+n[3:6]+"."+n[6:],
			n[:3]+" "+n[3:6]+" "+n[6:])
	}
	return out
}

// tgUser is a Telegram sender with every field Telegram sends.
type tgUser struct{ id int64 }

func (u tgUser) from() map[string]any {
	return map[string]any{"id": u.id, "is_bot": false, "first_name": tgFirstName, "last_name": tgLastName,
		"username": tgUsername, "language_code": "en"}
}

func (u tgUser) chat() map[string]any {
	return map[string]any{"id": u.id, "type": "private", "first_name": tgFirstName, "last_name": tgLastName, "username": tgUsername}
}

// session drives a running binary through the providers' webhooks.
type session struct {
	t      *testing.T
	p      *proc
	pool   *pgxpool.Pool
	keys   *seal.Keys
	tg     *telegramtest.Server
	tw     *twiliotest.Server
	update int64
}

// sms posts a signed inbound SMS and returns the status code.
func (s *session) sms(from, body string, media ...string) int {
	s.t.Helper()
	req, err := twiliotest.SignedRequest(context.Background(), s.p.base+"/webhooks/twilio", publicURL+"/webhooks/twilio",
		s.tw.AuthToken, s.tw.InboundForm(from, body, media...))
	if err != nil {
		s.t.Fatal(err)
	}
	return post(s.t, req)
}

// tgPost posts one update with the given fields.
func (s *session) tgPost(fields map[string]any) int {
	s.t.Helper()
	s.update++
	fields["update_id"] = s.update
	b, _ := json.Marshal(fields)
	return post(s.t, telegramtest.WebhookRequest(s.p.base+"/webhooks/telegram", webhookSecret, string(b)))
}

func (s *session) tgMessage(u tgUser, extra map[string]any) int {
	msg := map[string]any{"message_id": s.update + 1, "date": time.Now().Unix(), "from": u.from(), "chat": u.chat()}
	for k, v := range extra {
		msg[k] = v
	}
	return s.tgPost(map[string]any{"message": msg})
}

func (s *session) tgText(u tgUser, text string) int {
	return s.tgMessage(u, map[string]any{"text": text})
}

func (s *session) tgButton(u tgUser, data string) int {
	return s.tgPost(map[string]any{"callback_query": map[string]any{"id": fmt.Sprintf("cb%d", s.update), "from": u.from(),
		"chat_instance": "1", "data": data, "message": map[string]any{"message_id": 1, "date": time.Now().Unix(),
			"chat": u.chat(), "text": "…"}}})
}

// tgOption presses the first option of the bot's last reply whose value
// has one of the prefixes, tried in order.
func (s *session) tgOption(u tgUser, prefixes ...string) int {
	s.t.Helper()
	var raw []byte
	err := s.pool.QueryRow(context.Background(), `SELECT coalesce(m.reply->'options', '[]') FROM messages m
		JOIN conversations v ON v.id = m.conversation_id JOIN contacts k ON k.id = v.contact_id
		WHERE k.channel = 'telegram' AND k.id_hash = $1 AND m.direction = 'out'
		  AND jsonb_array_length(coalesce(m.reply->'options', '[]')) > 0 ORDER BY m.id DESC LIMIT 1`,
		s.keys.Hash("telegram", fmt.Sprint(u.id))).Scan(&raw)
	if err != nil {
		s.t.Fatalf("no options offered: %v", err)
	}
	var opts []struct{ Value string }
	_ = json.Unmarshal(raw, &opts)
	for _, prefix := range prefixes {
		for _, o := range opts {
			if strings.HasPrefix(o.Value, prefix) {
				return s.tgButton(u, o.Value)
			}
		}
	}
	s.t.Fatalf("no option %v among %s", prefixes, raw)
	return 0
}

// jpegBytes is a small real JPEG.
func jpegBytes() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 90, 255})
		}
	}
	var b bytes.Buffer
	_ = jpeg.Encode(&b, img, nil)
	return b.Bytes()
}

// drained waits until no reply is queued or being sent.
func (s *session) drained(timeout time.Duration) {
	s.t.Helper()
	waitFor(s.t, "the outbound queue to drain", timeout, func() bool {
		var n int
		_ = s.pool.QueryRow(context.Background(), `SELECT count(*) FROM messages WHERE direction = 'out'
			AND status IN ('queued', 'claimed', 'sending') AND next_attempt_at < now() + interval '30 seconds'`).Scan(&n)
		return n == 0
	})
}

// expect fails the test when a step did not answer as it should.
func (s *session) expect(what string, got, want int) {
	s.t.Helper()
	if got != want {
		s.t.Errorf("%s: status %d, want %d", what, got, want)
	}
}

// conversations drives youth and tipster conversations on both channels,
// with photos, STOP and START, a danger phrase that pages staff, DELETE,
// and tipster contact details that name the sender.
func (s *session) conversations() {
	ok := http.StatusOK
	for _, step := range []string{"hi", "1", "1", "10001", "thanks " + textMarker, "he took my phone and wont let me leave",
		"STOP", "START"} {
		s.expect("youth sms "+step, s.sms(youthPhone, step), ok)
	}
	mms := s.tw.AddMedia("", "image/jpeg", jpegBytes())
	for _, step := range []string{"hi", "2", "1", "2", "1", "Bus depot on 5th Ave " + textMarker, "Girl in red hoodie " + textMarker} {
		s.expect("tipster sms "+step, s.sms(tipsterPhone, step), ok)
	}
	s.expect("tipster mms", s.sms(tipsterPhone, "", mms), ok)
	for _, step := range []string{"1", "1", "call me at " + tipsterPhone + " or 312-555-0178", "1"} {
		s.expect("tipster sms "+step, s.sms(tipsterPhone, step), ok)
	}
	youth, tipster := tgUser{youthChat}, tgUser{tipsterChat}
	s.expect("youth tg hi", s.tgText(youth, "hi"), ok)
	s.expect("youth tg help", s.tgOption(youth, "start:help"), ok)
	s.expect("youth tg need", s.tgOption(youth, "need:"), ok)
	s.expect("youth tg location", s.tgMessage(youth, map[string]any{"location": map[string]any{"latitude": 40.7521, "longitude": -73.9934}}), ok)
	s.expect("youth tg text", s.tgText(youth, "ok "+textMarker), ok)
	s.tipsterTelegram(tipster)
	s.drained(90 * time.Second)
	s.expect("youth sms DELETE", s.sms(youthPhone, "DELETE"), ok)
	s.expect("youth tg DELETE", s.tgText(youth, "DELETE"), ok)
	s.drained(90 * time.Second)
}

func (s *session) tipsterTelegram(u tgUser) {
	ok := http.StatusOK
	s.tg.AddFile("photo-big-1", "photos/file_1.jpg", jpegBytes())
	s.expect("tipster tg hi", s.tgText(u, "hi"), ok)
	s.expect("tipster tg report", s.tgOption(u, "start:report"), ok)
	s.expect("tipster tg case", s.tgText(u, "skip"), ok)
	s.expect("tipster tg danger", s.tgOption(u, "rpt:no"), ok)
	s.expect("tipster tg when", s.tgOption(u, "rpt:now"), ok)
	s.expect("tipster tg where", s.tgText(u, "Food court "+textMarker), ok)
	s.expect("tipster tg what", s.tgText(u, "Two teenagers "+textMarker), ok)
	s.expect("tipster tg photo", s.tgMessage(u, map[string]any{"caption": "photo " + textMarker, "photo": []map[string]any{
		{"file_id": "photo-big-1", "file_unique_id": "Uphoto1", "width": 64, "height": 48}}}), ok)
	s.expect("tipster tg done", s.tgOption(u, "rpt:done", "rpt:nophoto"), ok)
	s.expect("tipster tg follow", s.tgOption(u, "rpt:yes"), ok)
	s.expect("tipster tg contact", s.tgText(u, "@"+tgUsername+" "+tgFirstName+" "+tgLastName), ok)
	s.expect("tipster tg confirm", s.tgOption(u, "rpt:confirm"), ok)
}

// failures drives the error paths: forged and malformed webhooks, provider
// 4xx/5xx and lost connections, a constraint violation in a turn, and
// status callbacks.
func (s *session) failures(tgProxy *dropProxy) {
	ctx := context.Background()
	form := s.tw.InboundForm(youthPhone, "forged "+textMarker)
	req, _ := twiliotest.SignedRequest(ctx, s.p.base+"/webhooks/twilio", publicURL+"/webhooks/twilio", "not-the-token", form)
	s.expect("forged sms", post(s.t, req), http.StatusForbidden)
	body := fmt.Sprintf(`{"update_id":1,"message":{"text":"%s","chat":{"id":%d,"username":"%s"}}}`, textMarker, youthChat, tgUsername)
	s.expect("forged telegram", post(s.t, telegramtest.WebhookRequest(s.p.base+"/webhooks/telegram", "wrong_secret", body)), http.StatusForbidden)
	s.expect("malformed telegram", post(s.t, telegramtest.WebhookRequest(s.p.base+"/webhooks/telegram", webhookSecret, body[:len(body)-3])), http.StatusBadRequest)
	form.Del("MessageSid")
	req, _ = twiliotest.SignedRequest(ctx, s.p.base+"/webhooks/twilio", publicURL+"/webhooks/twilio", s.tw.AuthToken, form)
	s.expect("malformed sms", post(s.t, req), http.StatusBadRequest)
	s.providerFailures(tgProxy)
	s.failedTurns()
	s.statusCallbacks()
}

// providerFailures makes the providers answer 4xx and 5xx and lose
// connections while replies go out.
func (s *session) providerFailures(tgProxy *dropProxy) {
	tipster := tgUser{tipsterChat}
	s.tg.FailNext(1, telegramtest.ServerError())
	s.tgText(tipster, "more "+textMarker)
	s.tg.FailNext(1, telegramtest.ChatNotFound())
	s.tgText(tipster, "and more "+textMarker)
	tgProxy.drops.Store(2)
	s.tgText(tipster, "still more "+textMarker)
	s.tw.FailNext(1, twiliotest.ServerError())
	s.tw.FailNext(1, twiliotest.InvalidTo())
	s.sms(tipsterPhone, "more "+textMarker)
	s.sms(tipsterPhone, "and more "+textMarker)
	s.tw.FailNext(1, twiliotest.LostResponse())
	s.sms(tipsterPhone, "still more "+textMarker)
	s.drained(90 * time.Second)
}

// failedTurns makes a turn fail on a constraint violation on each channel.
func (s *session) failedTurns() {
	ctx := context.Background()
	tipster := tgUser{tipsterChat}
	if _, err := s.pool.Exec(ctx, `ALTER TABLE messages ADD CONSTRAINT privacy_test_boom CHECK (body NOT LIKE '%`+boomMarker+`%')`); err != nil {
		s.t.Fatal(err)
	}
	if code := s.sms(tipsterPhone, boomMarker+" "+textMarker); code < 500 {
		s.t.Errorf("a turn that violates a constraint answered %d", code)
	}
	if code := s.tgText(tipster, boomMarker+" "+textMarker); code < 500 {
		s.t.Errorf("a Telegram turn that violates a constraint answered %d", code)
	}
	if _, err := s.pool.Exec(ctx, `ALTER TABLE messages DROP CONSTRAINT privacy_test_boom`); err != nil {
		s.t.Fatal(err)
	}
}

// statusCallbacks posts signed delivery statuses for every sent SMS.
func (s *session) statusCallbacks() {
	ctx := context.Background()
	for i, m := range s.tw.Messages() {
		status, code := "delivered", 0
		if i%3 == 2 {
			status, code = "undelivered", 30003
		}
		if m.StatusCallback != "" {
			if err := s.tw.DeliverStatus(ctx, s.p.base, m.Sid, status, code); err != nil {
				s.t.Errorf("status callback: %v", err)
			}
		}
	}
}
