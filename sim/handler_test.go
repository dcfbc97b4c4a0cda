package sim_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"tipline/sim"
	"tipline/twilio"
)

func TestSendShowsBothRenderingsThroughTheRealTurn(t *testing.T) {
	r := newRig(t)
	want := r.firstAnswer("hello")
	r.send(`{"text":"hello","role":"youth"}`)
	session := r.session()
	if !sim.ValidSessionID(session) {
		t.Fatalf("no sim session cookie after the first send (got %q)", session)
	}
	tr := r.messages()
	if tr.Conversation == nil || len(tr.Messages) < 2 {
		t.Fatalf("transcript: %+v", tr)
	}
	in, out := tr.Messages[0], tr.Messages[1]
	if in.Direction != "in" || in.Body != "hello" || in.SMS != nil {
		t.Errorf("inbound message: %+v", in)
	}
	if out.Direction != "out" || out.Status != "queued" {
		t.Errorf("outbound message: %+v", out)
	}
	if out.SMS.Text != twilio.Render(want) || out.SMS.Encoding != "GSM-7" || out.SMS.Segments != 1 {
		t.Errorf("SMS rendering: %+v, want text %q", out.SMS, twilio.Render(want))
	}
	if out.Telegram.Text != want.Text || len(out.Telegram.Buttons) != len(want.Options) || out.Telegram.Keyboard {
		t.Fatalf("Telegram rendering: %+v, want %+v", out.Telegram, want)
	}
	if b := out.Telegram.Buttons[0]; b.Label != want.Options[0].Label || b.Value != want.Options[0].Value || b.Kind != sim.ButtonCallback {
		t.Errorf("first button %+v, want %+v", b, want.Options[0])
	}

	r.deliver()
	if got := r.messages().Messages[1].Status; got != "sent" {
		t.Errorf("after delivery the reply is %q, want sent", got)
	}
	r.send(`{"callback":"` + want.Options[0].Value + `"}`)
	tr = r.messages()
	if n := len(tr.Messages); n < 4 || tr.Messages[2].Body != "["+want.Options[0].Value+"]" || tr.Messages[3].Direction != "out" {
		t.Fatalf("a pressed button did not get an answer: %+v", tr.Messages)
	}
	r.checkSealed(session)
}

// checkSealed asserts the conversation is simulated and the session id is
// stored only as its keyed hash and sealed copy.
func (r *rig) checkSealed(session string) {
	r.t.Helper()
	ctx := context.Background()
	var simulated bool
	var channel string
	err := r.pool.QueryRow(ctx, `SELECT v.simulated, v.channel FROM conversations v JOIN contacts k ON k.id = v.contact_id
		WHERE k.channel = 'sim' AND k.id_hash = $1`, r.keys.Hash("sim", session)).Scan(&simulated, &channel)
	if err != nil || !simulated || channel != "sim" {
		r.t.Fatalf("conversation by keyed hash: simulated=%v channel=%q err=%v", simulated, channel, err)
	}
	var clear int
	err = r.pool.QueryRow(ctx, `SELECT
		(SELECT count(*) FROM contacts WHERE alias LIKE '%' || $1 || '%' OR position(convert_to($1, 'UTF8') IN coalesce(id_sealed, ''::bytea)) > 0)
		+ (SELECT count(*) FROM messages WHERE body LIKE '%' || $1 || '%' OR provider_id LIKE '%' || $1 || '%' OR target LIKE '%' || $1 || '%')
		+ (SELECT count(*) FROM conversations WHERE state::text LIKE '%' || $1 || '%' OR source LIKE '%' || $1 || '%')`,
		session).Scan(&clear)
	if err != nil || clear != 0 {
		r.t.Errorf("the sim session id is stored in clear in %d rows (%v)", clear, err)
	}
}

func TestSimulatedDangerNeverPages(t *testing.T) {
	r := newRig(t)
	r.send(`{"text":"he is going to kill me"}`)
	tr := r.messages()
	if tr.Conversation == nil || !tr.Conversation.HighRisk {
		t.Fatalf("the danger screen did not flag the simulated conversation: %+v", tr.Conversation)
	}
	if len(tr.Messages) < 2 || !strings.Contains(tr.Messages[1].Telegram.Text, "911") {
		t.Errorf("no danger answer: %+v", tr.Messages)
	}
	var pages, pageRows int
	err := r.pool.QueryRow(context.Background(),
		`SELECT (SELECT count(*) FROM pages), (SELECT count(*) FROM messages WHERE kind = 'page')`).Scan(&pages, &pageRows)
	if err != nil || pages != 0 || pageRows != 0 {
		t.Errorf("a simulated conversation paged staff: %d pages, %d page messages (%v)", pages, pageRows, err)
	}
}

func TestSendRejectsBadInput(t *testing.T) {
	r := newRig(t)
	for _, body := range []string{
		``, `not json`, `{}`, `{"text":"   "}`, `{"text":"a","callback":"b"}`, `{"text":"a","extra":1}`,
		`{"location":{"lat":91,"lon":0}}`, `{"text":"a","role":"admin"}`,
		`{"callback":"` + strings.Repeat("x", 65) + `"}`, `{"text":"` + strings.Repeat("x", sim.MaxText+1) + `"}`,
	} {
		if code, resp := r.do("POST", "/sim/api/send", body, nil); code != http.StatusBadRequest || !strings.Contains(resp, `"error"`) {
			t.Errorf("send %.40q: %d %s, want 400 with an error", body, code, resp)
		}
	}
	if tr := r.messages(); tr.Conversation != nil || len(tr.Messages) != 0 {
		t.Errorf("rejected sends left a conversation: %+v", tr)
	}
	r.send(`{"location":{"lat":40.758,"lon":-73.9855}}`)
	if tr := r.messages(); len(tr.Messages) == 0 || tr.Messages[0].Body != "[location]" {
		t.Errorf("a shared location was not taken: %+v", tr.Messages)
	}
}

func TestCrossSiteWritesAreRefused(t *testing.T) {
	r := newRig(t)
	for name, hdr := range map[string]map[string]string{
		"fetch metadata": {"Sec-Fetch-Site": "cross-site"},
		"origin":         {"Origin": "https://evil.example"},
	} {
		if code, _ := r.do("POST", "/sim/api/send", `{"text":"hello"}`, hdr); code != http.StatusForbidden {
			t.Errorf("%s: cross-origin send answered %d, want 403", name, code)
		}
		if code, _ := r.do("POST", "/sim/api/new", `{}`, hdr); code != http.StatusForbidden {
			t.Errorf("%s: cross-origin new answered %d, want 403", name, code)
		}
	}
	if code, _ := r.do("POST", "/sim/api/send", `{"text":"hello"}`, map[string]string{"Sec-Fetch-Site": "same-origin"}); code != http.StatusOK {
		t.Errorf("same-origin send answered %d", code)
	}
}

func TestNewConversationStartsAFreshSession(t *testing.T) {
	r := newRig(t)
	r.send(`{"text":"hello"}`)
	first := r.session()
	if code, _ := r.do("POST", "/sim/api/new", `{}`, nil); code != http.StatusOK {
		t.Fatalf("new: %d", code)
	}
	if s := r.session(); s == first || !sim.ValidSessionID(s) {
		t.Fatalf("new conversation kept session (%q → %q)", first, s)
	}
	if tr := r.messages(); tr.Conversation != nil || len(tr.Messages) != 0 {
		t.Errorf("a new session shows the old conversation: %+v", tr)
	}
	r.send(`{"text":"hello"}`)
	var convs int
	if err := r.pool.QueryRow(context.Background(), `SELECT count(*) FROM conversations WHERE simulated`).Scan(&convs); err != nil || convs != 2 {
		t.Errorf("%d simulated conversations, want 2 (%v)", convs, err)
	}
}

func TestPageAndStaticFiles(t *testing.T) {
	r := newRig(t)
	code, body := r.do("GET", "/sim/", "", nil)
	if code != http.StatusOK || !strings.Contains(body, `src="/sim/static/app.js"`) || strings.Contains(body, "<script>") {
		t.Fatalf("page: %d\n%s", code, body)
	}
	for _, p := range []string{"/sim/static/app.js", "/sim/static/app.css"} {
		if code, body := r.do("GET", p, "", nil); code != http.StatusOK || len(body) < 100 {
			t.Errorf("%s: %d (%d bytes)", p, code, len(body))
		}
	}
	for _, p := range []string{"/sim/static/", "/sim/nope"} {
		if code, _ := r.do("GET", p, "", nil); code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, code)
		}
	}
}
