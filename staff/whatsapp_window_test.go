package staff

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestChatMessageWhatsAppWindow: on WhatsApp, a staff message more than 24
// hours after the person last wrote is refused with the reason when no
// approved template is configured, the text kept and nothing queued; within
// the window, or with a template, it goes.
func TestChatMessageWhatsAppWindow(t *testing.T) {
	e := newEnv(t)
	e.exec(`UPDATE conversations SET channel = 'whatsapp', claimed_by = $2, claimed_at = now(),
		last_inbound_at = now() - interval '25 hours' WHERE id = $1`, e.fx.chatID, e.reviewer.ID)
	c := e.login(reviewerEmail)
	path := "/staff/chats/" + e.fx.chatPID + "/message"
	text := "Hi, this is a person from the team. Are you safe now?"
	r := e.post(c, path, url.Values{"text": {text}})
	page := html.UnescapeString(bodyOf(t, r))
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d: %s", r.StatusCode, firstLine(page))
	}
	for _, want := range []string{"Not sent", "WhatsApp", "24 hours", "WHATSAPP_TEMPLATE_SID", ">" + text + "</textarea>"} {
		if !strings.Contains(page, want) {
			t.Errorf("refusal page lacks %q", want)
		}
	}
	if n := staffMessages(t, e); n != 0 {
		t.Fatalf("%d staff messages queued", n)
	}
	e.exec(`UPDATE conversations SET last_inbound_at = now() - interval '23 hours' WHERE id = $1`, e.fx.chatID)
	if r := e.post(c, path, url.Values{"text": {text}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("within the window: status %d", r.StatusCode)
	}
	e2 := newEnv(t, func(d *Deps) { d.WhatsAppTemplate = true })
	e2.exec(`UPDATE conversations SET channel = 'whatsapp', claimed_by = $2, claimed_at = now(),
		last_inbound_at = now() - interval '25 hours' WHERE id = $1`, e2.fx.chatID, e2.reviewer.ID)
	if r := e2.post(e2.login(reviewerEmail), "/staff/chats/"+e2.fx.chatPID+"/message", url.Values{"text": {text}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("with a template: status %d", r.StatusCode)
	}
}

// TestTipReplyWhatsAppWindow: a reply to a WhatsApp tipster who last wrote
// more than 24 hours ago is refused on the form, the text kept.
func TestTipReplyWhatsAppWindow(t *testing.T) {
	e := newEnv(t)
	e.exec(`UPDATE conversations SET channel = 'whatsapp', lang = 'en', last_inbound_at = now() - interval '30 hours'
		WHERE id = (SELECT conversation_id FROM tips WHERE id = $1)`, e.fx.tipID)
	e.exec(`UPDATE tips SET channel = 'whatsapp' WHERE id = $1`, e.fx.tipID)
	c := e.login(reviewerEmail)
	path := "/staff/tips/" + itoa(e.fx.tipID) + "/reply"
	text := "Thank you, can you tell us which way they went?"
	r := e.post(c, path, url.Values{"text": {text}})
	page := html.UnescapeString(bodyOf(t, r))
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(page, "WHATSAPP_TEMPLATE_SID") || !strings.Contains(page, ">"+text+"</textarea>") {
		t.Fatalf("status %d: %s", r.StatusCode, firstLine(page))
	}
	if n := staffMessages(t, e); n != 0 {
		t.Fatalf("%d staff messages queued", n)
	}
	e.exec(`UPDATE conversations SET last_inbound_at = now() WHERE id = (SELECT conversation_id FROM tips WHERE id = $1)`, e.fx.tipID)
	if r := e.post(c, path, url.Values{"text": {text}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("within the window: status %d: %s", r.StatusCode, firstLine(bodyOf(t, r)))
	}
}
