package webchat_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"tipline/store"
	"tipline/webchat"
)

// messages flattens the events' messages.
func messages(evs []event) []webchat.Message {
	var out []webchat.Message
	for _, e := range evs {
		out = append(out, e.Messages...)
	}
	return out
}

// TestPageIsNeutralFramedOnlyByOriginsAndSetsNoCookie: the page's title
// is neutral, its CSP allows no inline script and only the configured
// sites may frame it; it sets no cookie and is never cached.
func TestPageIsNeutralFramedOnlyByOriginsAndSetsNoCookie(t *testing.T) {
	r := newRig(t, webchat.Limits{})
	resp, body := r.do("GET", "/chat", "", "", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "<title>Chat</title>") {
		t.Fatalf("page: %d %.200s", resp.StatusCode, body)
	}
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'self' https://www.example.org", "connect-src 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || resp.Header.Get("X-Frame-Options") != "" {
		t.Errorf("CSP %q, X-Frame-Options %q", csp, resp.Header.Get("X-Frame-Options"))
	}
	if len(resp.Cookies()) > 0 || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("cookies %v, cache %q", resp.Cookies(), resp.Header.Get("Cache-Control"))
	}
	if !strings.Contains(body, `data-exit-url="https://exit.example/"`) || strings.Contains(body, "<script>") {
		t.Errorf("page lacks the exit URL or has inline script")
	}
	resp, body = r.do("GET", "/chat/widget.js", "", "", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `var exitURL = "https://exit.example/";`) {
		t.Errorf("widget: %d %.300s", resp.StatusCode, body)
	}
	if resp, _ = r.do("GET", "/chat/api/stream", "", "", nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("stream without a token: %d", resp.StatusCode)
	}
	if resp, _ = r.do("GET", "/chat/static/", "", "", nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("static listing: %d", resp.StatusCode)
	}
}

// TestChatAnswersThroughTheStream: a message goes through the bot; its
// answer reaches the session's stream once the outbox delivered it, and a
// reconnect after the cursor brings nothing again. A danger message is
// answered with 911 first. Another session sees none of it.
func TestChatAnswersThroughTheStream(t *testing.T) {
	r := newRig(t, webchat.Limits{})
	tok := r.session()
	if code := r.send(tok, webchat.Input{Text: "hello", Lang: "en-US"}); code != http.StatusOK {
		t.Fatalf("send: %d", code)
	}
	// Not delivered yet: the stream shows what was sent, not the queued reply.
	evs := r.stream(tok, 0, 0)
	if m := messages(evs); len(m) != 1 || m[0].Dir != "in" || m[0].Text != "hello" {
		t.Fatalf("before delivery: %+v", m)
	}
	r.deliver()
	evs = r.stream(tok, 0, 2)
	m := messages(evs)
	if len(m) != 2 || m[1].Dir != "out" || m[1].Kind != "bot" || len(m[1].Options) == 0 {
		t.Fatalf("after delivery: %+v", m)
	}
	cursor := evs[len(evs)-1].Cursor
	if cursor != m[1].ID {
		t.Errorf("cursor %d, want %d", cursor, m[1].ID)
	}
	if again := messages(r.stream(tok, cursor, 0)); len(again) != 0 {
		t.Errorf("after the cursor: %+v", again)
	}
	if code := r.send(tok, webchat.Input{Text: "my dad hits me and I am scared he will kill me tonight"}); code != http.StatusOK {
		t.Fatalf("send: %d", code)
	}
	r.deliver()
	m = messages(r.stream(tok, cursor, 2))
	if len(m) < 2 || !strings.Contains(m[1].Text, "911") || strings.Index(m[1].Text, "911") > 40 {
		t.Fatalf("danger answer: %+v", m)
	}
	other := r.session()
	if m := messages(r.stream(other, 0, 0)); len(m) != 0 {
		t.Errorf("another session sees %+v", m)
	}
}

// TestSendRefusals: a forged token, another site's POST, a malformed
// message and a repeated send are refused or ignored.
func TestSendRefusals(t *testing.T) {
	r := newRig(t, webchat.Limits{})
	tok := r.session()
	forged := strings.Repeat("a", 64)
	if code := r.send(forged, webchat.Input{Text: "hi"}); code != http.StatusUnauthorized {
		t.Errorf("forged token: %d", code)
	}
	if webchat.ValidToken(r.keys, tok[:63]+"0") && tok[63] != '0' {
		t.Errorf("a changed token is valid")
	}
	resp, _ := r.do("POST", "/chat/api/send", tok, `{"id":"00112233445566778899aabbccddeeff","text":"hi"}`,
		map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: %d", resp.StatusCode)
	}
	for _, in := range []webchat.Input{{Text: "hi", Callback: "x"}, {Text: " "}, {Text: "hi", Country: "FR"},
		{Text: strings.Repeat("a", webchat.MaxText+1)}, {Text: "hi", Lang: "en;<"}} {
		if code := r.send(tok, in); code != http.StatusBadRequest {
			t.Errorf("%+v: %d", in, code)
		}
	}
	in := webchat.Input{ID: "00112233445566778899aabbccddeeff", Text: "hello"}
	r.send(tok, in)
	r.send(tok, in)
	r.deliver()
	if m := messages(r.stream(tok, 0, 0)); len(m) != 2 {
		t.Errorf("a repeated send was handled twice: %d messages", len(m))
	}
}

// TestLimitsSessionStrictAddressGenerous: a quick session is slowed while
// other sessions behind the same address (a shelter's Wi-Fi) still talk.
func TestLimitsSessionStrictAddressGenerous(t *testing.T) {
	r := newRig(t, webchat.Limits{SessionBurst: 3, SessionEvery: time.Hour, AddressBurst: 10, AddressEvery: time.Hour,
		NewSessionBurst: 20, NewSessionEvery: time.Hour, StreamsPerSession: 1})
	quick := r.session()
	for i := range 3 {
		if code := r.send(quick, webchat.Input{Text: "hello"}); code != http.StatusOK {
			t.Fatalf("send %d: %d", i, code)
		}
	}
	if code := r.send(quick, webchat.Input{Text: "hello"}); code != http.StatusTooManyRequests {
		t.Fatalf("4th send of one session: %d", code)
	}
	for i := range 7 {
		if code := r.send(r.session(), webchat.Input{Text: "hello"}); code != http.StatusOK {
			t.Fatalf("neighbour %d: %d", i, code)
		}
	}
	if code := r.send(r.session(), webchat.Input{Text: "hello"}); code != http.StatusTooManyRequests {
		t.Errorf("past the address limit: %d", code)
	}
}

// TestDeleteErasesAndTheStreamSaysSo: DELETE is confirmed, the
// conversation erased once the confirmation went, and the session's
// stream then says it is gone, so that the page forgets it too.
func TestDeleteErasesAndTheStreamSaysSo(t *testing.T) {
	r := newRig(t, webchat.Limits{})
	tok := r.session()
	r.send(tok, webchat.Input{Text: "hello"})
	r.deliver()
	evs := r.stream(tok, 0, 2)
	cursor := evs[len(evs)-1].Cursor
	r.send(tok, webchat.Input{Text: "DELETE"})
	r.deliver()
	var n int
	if err := r.pool.QueryRow(t.Context(), `SELECT count(*) FROM conversations WHERE channel = 'webchat'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d web chat conversations after DELETE (%v)", n, err)
	}
	evs = r.stream(tok, cursor, 0)
	if len(evs) == 0 || !evs[len(evs)-1].Gone {
		t.Errorf("the stream does not say the chat is gone: %+v", evs)
	}
	if evs := r.stream(tok, 0, 0); len(evs) != 0 {
		t.Errorf("a new page of the session gets %+v", evs)
	}
}

// TestCaseOpensTheReportOnIt: a message carrying a case's public id (the
// gallery's "Seen this child?") starts a sighting report on that case, as
// a Telegram deep link does; a malformed id is refused.
func TestCaseOpensTheReportOnIt(t *testing.T) {
	r := newRig(t, webchat.Limits{})
	c, err := store.CreateCase(t.Context(), r.pool, store.Case{PublicID: store.NewPublicID(), Number: "2026-0417",
		DisplayName: "Marisol", Status: "active", Public: true})
	if err != nil {
		t.Fatal(err)
	}
	tok := r.session()
	if code := r.send(tok, webchat.Input{Case: "bad id!"}); code != http.StatusBadRequest {
		t.Errorf("a malformed case: %d", code)
	}
	if code := r.send(tok, webchat.Input{Case: c.PublicID, Lang: "en"}); code != http.StatusOK {
		t.Fatalf("send: %d", code)
	}
	r.deliver()
	m := messages(r.stream(tok, 0, 3))
	if len(m) < 3 || m[0].Text != "/start" || !strings.Contains(m[2].Text, "Case: Marisol (2026-0417)") {
		t.Errorf("the chat did not open on the case: %+v", m)
	}
}
