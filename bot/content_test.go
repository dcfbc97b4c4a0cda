package bot_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"tipline"
	"tipline/twilio"
)

// contentCase is one raw provider payload carrying bytes PostgreSQL
// refuses in text, and what must be stored of it.
type contentCase struct {
	name   string
	sms    bool   // a Twilio form; else a Telegram update
	raw    string // Telegram: the JSON string's contents as sent; Twilio: the Body parameter as encoded on the wire
	want   string // the stored inbound text
	danger bool   // the risk screen must record danger for it
}

var contentCases = []contentCase{
	{name: "telegram NUL escape", raw: `i want to ki\u0000ll myself\u0000`, want: "i want to kill myself", danger: true},
	{name: "telegram lone high surrogate", raw: `i want to kill myself \ud83d`, want: "i want to kill myself \uFFFD", danger: true},
	{name: "telegram lone low surrogate and pair", raw: `\ude00 i want to kill myself \ud83d\ude00`, want: "\uFFFD i want to kill myself 😀", danger: true},
	{name: "telegram raw invalid bytes", raw: "i want to kill myself \xff\xfe \xed\xa0\x80", want: "i want to kill myself \uFFFD\uFFFD \uFFFD\uFFFD\uFFFD", danger: true},
	{name: "telegram only NUL", raw: `\u0000\u0000`, want: ""},
	{name: "telegram hello with NUL", raw: `hel\u0000lo`, want: "hello"},
	{name: "sms percent NUL", sms: true, raw: "i+want+to+ki%00ll+myself%00", want: "i want to kill myself", danger: true},
	{name: "sms percent FF", sms: true, raw: "i+want+to+kill+myself+%FF%FE", want: "i want to kill myself \uFFFD\uFFFD", danger: true},
	{name: "sms encoded surrogate", sms: true, raw: "%ED%A0%80+i+want+to+kill+myself", want: "\uFFFD\uFFFD\uFFFD i want to kill myself", danger: true},
	{name: "sms raw bytes", sms: true, raw: "i+want+to+kill+myself+\x00\xff", want: "i want to kill myself \uFFFD", danger: true},
	{name: "sms truncated multibyte", sms: true, raw: "hola+%C3", want: "hola \uFFFD"},
	{name: "sms only NUL", sms: true, raw: "%00", want: ""},
}

// TestContentNeverFailsATurn: raw Telegram updates and Twilio forms
// carrying NUL, invalid UTF-8 and lone surrogates, through the real
// webhooks into the real database, are answered 200, stored once with the
// text cleaned (NUL removed, each invalid byte U+FFFD, the rest kept),
// screened and answered
// (docs/design.md rule 17).
func TestContentNeverFailsATurn(t *testing.T) {
	t.Parallel()
	r := newRig(t, tipline.NewFakeClock(t0))
	for i, c := range contentCases {
		t.Run(c.name, func(t *testing.T) {
			var code int
			var pid string
			if c.sms {
				pid = fmt.Sprintf("SM%032d", i+1)
				code = r.postRawSMS(rawSMSForm(pid, fmt.Sprintf("+1212555%04d", i), c.raw))
			} else {
				id := int64(7000 + i)
				pid = fmt.Sprint(id)
				code = r.postTelegram(rawTextUpdate(id, 880000+id, c.raw))
			}
			if code != http.StatusOK {
				t.Fatalf("status %d, want 200", code)
			}
			r.checkStored(t, pid, c.want, c.danger)
		})
	}
	queued := r.count(`SELECT count(*) FROM messages WHERE direction = 'out'`)
	r.drain()
	if sent := len(r.tg.Sent()) + len(r.tw.Creates()); sent != queued {
		t.Fatalf("providers got %d sends for %d queued replies", sent, queued)
	}
}

// checkStored asserts one inbound row for the provider id with the text
// want, at least one reply queued in its conversation, and (when danger)
// the risk screen's danger decision stored against it.
func (r *rig) checkStored(t *testing.T, pid, want string, danger bool) {
	t.Helper()
	ctx := context.Background()
	rows, err := r.pool.Query(ctx, `SELECT id, body, conversation_id FROM messages WHERE direction = 'in' AND provider_id = $1`, pid)
	if err != nil {
		t.Fatal(err)
	}
	var ids, convs []int64
	var bodies []string
	for rows.Next() {
		var id, conv int64
		var body string
		if err := rows.Scan(&id, &body, &conv); err != nil {
			t.Fatal(err)
		}
		ids, bodies, convs = append(ids, id), append(bodies, body), append(convs, conv)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 {
		t.Fatalf("%d inbound rows stored, want 1", len(ids))
	}
	if bodies[0] != want {
		t.Errorf("stored %q, want %q", bodies[0], want)
	}
	if n := r.count(`SELECT count(*) FROM messages WHERE direction = 'out' AND conversation_id = $1`, convs[0]); n == 0 {
		t.Error("no reply queued")
	}
	hits := r.count(`SELECT count(*) FROM message_risk WHERE message_id = $1 AND level = 'danger'`, ids[0])
	if danger && hits != 1 {
		t.Errorf("risk screen stored %d danger decisions, want 1", hits)
	}
}

// rawTextUpdate is a private-chat text update whose text is the JSON
// string contents raw, written into the body verbatim (escapes and all).
func rawTextUpdate(updateID, chatID int64, raw string) string {
	return fmt.Sprintf(`{"update_id":%d,"message":{"message_id":%d,"date":1700000000,`+
		`"from":{"id":%d,"is_bot":false,"first_name":"T","language_code":"en"},`+
		`"chat":{"id":%d,"type":"private","first_name":"T"},"text":"%s"}}`, updateID, updateID, chatID, chatID, raw)
}

// rawSMSForm is an inbound SMS form body with body appended verbatim as
// the last parameter, so its bytes reach the webhook as written.
func rawSMSForm(sid, from, body string) string {
	return "MessageSid=" + sid + "&From=" + url.QueryEscape(from) + "&To=%2B15005550006&FromCountry=US&NumMedia=0&Body=" + body
}

// postRawSMS posts a raw form body signed as Twilio signs it (over the
// parameters as parsed) and returns the status code.
func (r *rig) postRawSMS(body string) int {
	r.t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.srv.URL+"/webhooks/twilio", strings.NewReader(body))
	if err != nil {
		r.t.Fatal(err)
	}
	params, _ := url.ParseQuery(body) // a malformed body is refused before the signature is read
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set(twilio.SignatureHeader, twilio.Sign(r.tw.AuthToken, publicURL+"/webhooks/twilio", params))
	return do(r.t, req)
}
