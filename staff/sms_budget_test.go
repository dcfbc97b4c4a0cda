package staff

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"tipline/directory"
	"tipline/sms"
)

// frenchLong is the kind of message issue 16 measured: 413 characters of
// French with a letter outside GSM-7 (Ê), 7 segments.
var frenchLong = string([]rune(strings.Repeat("Bonjour, je suis une personne de l'équipe. Êtes-vous en sécurité maintenant ? Ça va aller. ", 5))[:413])

func TestFrenchLongIsSeven(t *testing.T) {
	if _, n := sms.Segments(sms.Normalize(frenchLong)); n != 7 {
		t.Fatalf("the sample costs %d segments, want 7", n)
	}
}

// smsChat makes the fixture youth chat an SMS chat claimed by who.
func smsChat(e *env, who int64) {
	e.exec(`UPDATE conversations SET channel = 'sms', claimed_by = $2, claimed_at = now() WHERE id = $1`, e.fx.chatID, who)
}

func staffMessages(t *testing.T, e *env) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM messages WHERE kind = 'staff'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestChatMessageSMSBudget: a staff message of more than 3 segments to
// someone on SMS is refused with the reason, the page keeps the text, and
// nothing is queued; one that fits goes.
func TestChatMessageSMSBudget(t *testing.T) {
	e := newEnv(t)
	smsChat(e, e.reviewer.ID)
	c := e.login(reviewerEmail)
	path := "/staff/chats/" + e.fx.chatPID + "/message"
	r := e.post(c, path, url.Values{"text": {frenchLong}})
	page := html.UnescapeString(bodyOf(t, r))
	if r.StatusCode != http.StatusBadRequest {
		t.Fatalf("status %d: %s", r.StatusCode, firstLine(page))
	}
	for _, want := range []string{"7 SMS segments", "at most 3", "(Ê)", ">" + frenchLong + "</textarea>", `id="text-count"`} {
		if !strings.Contains(page, want) {
			t.Errorf("refusal page lacks %q", want)
		}
	}
	if n := staffMessages(t, e); n != 0 {
		t.Fatalf("%d staff messages queued", n)
	}
	if r := e.post(c, path, url.Values{"text": {frenchLong[:150]}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("a message that fits: status %d", r.StatusCode)
	}
	// On Telegram the same text goes: the budget is SMS's.
	e.exec(`UPDATE conversations SET channel = 'telegram' WHERE id = $1`, e.fx.chatID)
	if r := e.post(c, path, url.Values{"text": {frenchLong}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("telegram: status %d", r.StatusCode)
	}
}

// TestTipReplySMSBudget: the tip reply counts its header (the tip ID line
// in the tipster's language) into the budget.
func TestTipReplySMSBudget(t *testing.T) {
	e := newEnv(t)
	e.exec(`UPDATE conversations SET channel = 'sms', lang = 'en' WHERE id = (SELECT conversation_id FROM tips WHERE id = $1)`, e.fx.tipID)
	e.exec(`UPDATE tips SET channel = 'sms' WHERE id = $1`, e.fx.tipID)
	c := e.login(reviewerEmail)
	page := html.UnescapeString(bodyOf(t, e.get(c, "/staff/tips/"+itoa(e.fx.tipID))))
	prefix := regexp.MustCompile(`data-sms-prefix="([^"]*)"`).FindStringSubmatch(page)
	if prefix == nil || !strings.Contains(prefix[1], "TIPURG1") {
		t.Fatalf("no reply prefix with the tip ID: %v", prefix)
	}
	// The longest GSM-7 text that fits alone would not fit after the header.
	room := sms.MaxSegments*sms.GSM7Segment - len(prefix[1])
	text := strings.Repeat("a", sms.MaxSegments*sms.GSM7Segment-5)
	r := e.post(c, "/staff/tips/"+itoa(e.fx.tipID)+"/reply", url.Values{"text": {text}})
	if r.StatusCode != http.StatusBadRequest || !strings.Contains(bodyOf(t, r), "4 SMS segments") {
		t.Fatalf("over-long reply: status %d: %s", r.StatusCode, firstLine(bodyOf(t, r)))
	}
	if !strings.Contains(bodyOf(t, r), ">"+text+"</textarea>") {
		t.Error("the refused reply is not kept in its box")
	}
	if n := staffMessages(t, e); n != 0 {
		t.Fatalf("%d staff messages queued", n)
	}
	if r := e.post(c, "/staff/tips/"+itoa(e.fx.tipID)+"/reply", url.Values{"text": {text[:room-10]}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("a reply that fits: status %d: %s", r.StatusCode, firstLine(bodyOf(t, r)))
	}
}

// TestUnknownNumberNeedsConfirm: numbers the directory holds go; one it
// does not is flagged, the text kept, and it goes only when the staff
// member confirms those very numbers.
func TestUnknownNumberNeedsConfirm(t *testing.T) {
	e := newEnv(t)
	smsChat(e, e.reviewer.ID)
	c := e.login(reviewerEmail)
	path := "/staff/chats/" + e.fx.chatPID + "/message"
	if r := e.post(c, path, url.Values{"text": {"Hi, this is a person from the team. You can call 1-800-RUNAWAY or text HOME to 741741, or call 988."}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("known numbers: status %d: %s", r.StatusCode, firstLine(bodyOf(t, r)))
	}
	text := "Hi, this is a person from the team. You can call the shelter at (312) 555-0199 tonight."
	r := e.post(c, path, url.Values{"text": {text}})
	page := html.UnescapeString(bodyOf(t, r))
	if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "(312) 555-0199") ||
		!strings.Contains(page, `id="confirm-numbers"`) || !strings.Contains(page, ">"+text+"</textarea>") {
		t.Fatalf("unknown number not flagged: status %d\n%s", r.StatusCode, page)
	}
	before := staffMessages(t, e)
	if r := e.post(c, path, url.Values{"text": {text}, "confirm_numbers": {"18005550100"}}); r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("a confirmation of other numbers was accepted: %d", r.StatusCode)
	}
	if r := e.post(c, path, url.Values{"text": {text}, "confirm_numbers": {"3125550199"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirmed: status %d", r.StatusCode)
	}
	if n := staffMessages(t, e); n != before+1 {
		t.Fatalf("%d messages queued, want 1", n-before)
	}
}

// TestTypedNumbers: what counts as a number staff typed.
func TestTypedNumbers(t *testing.T) {
	for text, want := range map[string]string{
		"call (312) 555-0199 or +1 312 555 0100":            "3125550199,13125550100",
		"Call 1-800-RUNAWAY (1-800-786-2929)":               "18007862929",
		"text HOME to 741741":                               "741741",
		"envía HOLA al 741741":                              "741741",
		"the shelter in 77002 is open":                      "",
		"call 911 or 988, or dial 211":                      "911,988,211",
		"seen on 2026-12-05 at 10:30, case C-100, tip 4K7Q": "",
		"we have 100 beds and 15 staff":                     "",
		"number 555.123.4567":                               "5551234567",
	} {
		var got []string
		for _, n := range typedNumbers(text) {
			got = append(got, n.Digits)
		}
		if g := strings.Join(got, ","); g != want {
			t.Errorf("%q: %q, want %q", text, g, want)
		}
	}
	d := directory.New(nil)
	if u := unknownNumbers(d, "call 555-123-4567"); len(u) != 1 || u[0].Typed != "555-123-4567" {
		t.Errorf("empty directory: %+v", u)
	}
}

// TestSegmentsJSMatchesSMS: the dashboard script's GSM-7 tables are
// exactly package sms's (each basic character one septet, each extension
// character two, nothing else GSM-7).
func TestSegmentsJSMatchesSMS(t *testing.T) {
	js, err := assetFS.ReadFile("assets/segments.js")
	if err != nil {
		t.Fatal(err)
	}
	table := func(name string) string {
		m := regexp.MustCompile(`var ` + name + ` = ("(?:[^"\\]|\\.)*");`).FindSubmatch(js)
		if m == nil {
			t.Fatalf("no %s in segments.js", name)
		}
		s, err := strconv.Unquote(string(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	basic, ext := table("GSM_BASIC"), table("GSM_EXTENSION")
	in := map[rune]int{}
	for _, r := range basic {
		in[r] = 1
	}
	for _, r := range ext {
		in[r] = 2
	}
	if len(in) != 137 {
		t.Errorf("%d distinct characters, want 127 + 10", len(in))
	}
	for r := rune(0); r < 0x2200; r++ {
		enc, n := sms.Length(string(r))
		want := 0
		if enc == sms.GSM7 {
			want = n
		}
		if in[r] != want {
			t.Errorf("%q (U+%04X): segments.js %d septets, package sms %d", r, r, in[r], want)
		}
	}
	if in['€'] != 2 {
		t.Error("€ is an extension character")
	}
}

// TestSMSBudgetProblem names what forces UCS-2.
func TestSMSBudgetProblem(t *testing.T) {
	if p := smsBudgetProblem(strings.Repeat("a", 459)); p != "" {
		t.Errorf("459 GSM-7 characters refused: %s", p)
	}
	if p := smsBudgetProblem(strings.Repeat("a", 460)); !strings.Contains(p, "4 SMS segments") {
		t.Errorf("460: %q", p)
	}
	// Typographic quotes are sent plain, so they do not force UCS-2.
	if p := smsBudgetProblem(strings.Repeat("\u201cok\u201d ", 90)); p != "" {
		t.Errorf("typographic quotes: %s", p)
	}
	if p := smsBudgetProblem(strings.Repeat("ê", 202)); !strings.Contains(p, "(ê)") || !strings.Contains(p, "about 201") {
		t.Errorf("UCS-2: %q", p)
	}
}
