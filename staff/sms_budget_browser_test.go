package staff

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"tipline/flows"
	"tipline/sms"
)

// TestBrowserSMSBudget is issue 16's acceptance for staff text, in real
// Chromium: the live count under the chat box agrees with package sms; a
// 413-character French message to a youth on SMS shows 7 segments and is
// not sent; posted anyway (the script bypassed) the server refuses it and
// the page keeps the text; a number the directory does not hold is flagged
// and goes only after the confirmation.
func TestBrowserSMSBudget(t *testing.T) {
	ctx, problems := browser(t)
	e := newEnv(t)
	smsChat(e, e.reviewer.ID)
	str, boolean := must[string](t), must[bool](t)
	signIn(t, ctx, e, reviewerEmail)
	if err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/staff/chats/"+e.fx.chatPID),
		chromedp.WaitVisible(chromedp.ID("text-count"))); err != nil {
		t.Fatal(err)
	}
	compareCounts(t, ctx)

	// Typed: the count says 7 and Send does nothing.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("text"), frenchLong)); err != nil {
		t.Fatal(err)
	}
	shot(t, ctx, "sms-over")
	if n := str(chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("text-count").dataset.segments`))); n != "7" {
		t.Fatalf("live count: %s segments, want 7", n)
	}
	if !boolean(chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("text-count").classList.contains("over")`))) {
		t.Error("the count is not marked over the budget")
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("send-message")), chromedp.Sleep(time.Second)); err != nil {
		t.Fatal(err)
	}
	if u := str(chromedp.Run(ctx, chromedp.Location())); strings.Contains(u, "done=") {
		t.Fatalf("the over-long message was sent: %s", u)
	}
	if n := staffMessages(t, e); n != 0 {
		t.Fatalf("%d staff messages queued", n)
	}

	// Posted without the script: the server refuses it and keeps the text.
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("message-form").submit()`),
		chromedp.WaitVisible(chromedp.ID("draft-problem"))); err != nil {
		t.Fatal(err)
	}
	if p := str(chromedp.Run(ctx, chromedp.Text(chromedp.ID("draft-problem")))); !strings.Contains(p, "7 SMS segments") {
		t.Errorf("refusal: %q", p)
	}
	if v := str(chromedp.Run(ctx, chromedp.Value(chromedp.ID("text")))); v != frenchLong {
		t.Errorf("the text was not kept: %q", v)
	}
	if n := staffMessages(t, e); n != 0 {
		t.Fatalf("%d staff messages queued after the refusal", n)
	}
	confirmUnknownNumber(t, ctx, e)
	tipReplyCount(t, ctx, e)
	if p := problems(); len(p) > 0 {
		t.Errorf("script errors: %v", p)
	}
}

// compareCounts checks the script's segment count against package sms on
// texts at the edges: GSM-7 and UCS-2 limits, extension characters,
// emoji (surrogate pairs) and typographic quotes.
func compareCounts(t *testing.T, ctx context.Context) {
	t.Helper()
	samples := []string{"", "hi", strings.Repeat("a", 160), strings.Repeat("a", 161), strings.Repeat("a", 459),
		strings.Repeat("a", 460), strings.Repeat("€", 80), strings.Repeat("€", 81), strings.Repeat("a", 152) + "€",
		strings.Repeat("ê", 70), strings.Repeat("ê", 71), strings.Repeat("ê", 66) + "😀", strings.Repeat("\u201cok\u201d ", 40),
		frenchLong, "¿Estás bien? Envía AYUDA", "Ça va ? Êtes-vous à l'abri ?"}
	in, err := json.Marshal(samples)
	if err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](string(in)+
		`.map(function (s) { return TiplineSMS.count(TiplineSMS.normalize(s)).segments; })`))
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range samples {
		if _, want := sms.Segments(sms.Normalize(s)); i >= len(got) || got[i] != want {
			t.Errorf("sample %d (%.20q): script %v segments, package sms %d", i, s, got, want)
		}
	}
}

// confirmUnknownNumber writes a message with a number the directory does
// not hold: the page names it, and the message goes once confirmed.
func confirmUnknownNumber(t *testing.T, ctx context.Context, e *env) {
	t.Helper()
	text := "Hi, this is a person from the team. The shelter is at (312) 555-0199."
	err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("text").value = ""`),
		chromedp.SendKeys(chromedp.ID("text"), text),
		chromedp.Click(chromedp.ID("send-message")),
		chromedp.WaitVisible(chromedp.ID("draft-numbers")))
	if err != nil {
		t.Fatal(err)
	}
	if warn, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("draft-numbers"))); err != nil || !strings.Contains(warn, "(312) 555-0199") {
		t.Fatalf("warning %q: %v", warn, err)
	}
	if n := staffMessages(t, e); n != 0 {
		t.Fatalf("sent before the confirmation: %d", n)
	}
	shot(t, ctx, "sms-number")
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("confirm-numbers")), chromedp.WaitVisible(chromedp.CSS(".flash"))); err != nil {
		t.Fatal(err)
	}
	if n := staffMessages(t, e); n != 1 {
		t.Fatalf("%d staff messages queued after the confirmation, want 1", n)
	}
}

// tipReplyCount: the tip reply box counts the header that names the tip
// (in the tipster's language) and a canned reply chosen with the box empty.
func tipReplyCount(t *testing.T, ctx context.Context, e *env) {
	t.Helper()
	e.exec(`UPDATE conversations SET channel = 'sms' WHERE id = (SELECT conversation_id FROM tips WHERE id = $1)`, e.fx.tipID)
	e.exec(`UPDATE tips SET channel = 'sms' WHERE id = $1`, e.fx.tipID)
	text := strings.Repeat("Gracias, ", 12)
	err := chromedp.Do(ctx, chromedp.Navigate(e.srv.URL+"/staff/tips/"+itoa(e.fx.tipID)),
		chromedp.WaitVisible(chromedp.ID("reply-count")), chromedp.SendKeys(chromedp.ID("reply"), text))
	if err != nil {
		t.Fatal(err)
	}
	segments := func() int {
		n, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("reply-count").dataset.segments`))
		if err != nil {
			t.Fatal(err)
		}
		v, _ := strconv.Atoi(n)
		return v
	}
	_, want := sms.Segments(sms.Render(flows.StaffReplyText("es", "TIPURG1", text)))
	if got := segments(); got != want || want < 2 {
		t.Errorf("reply count: %d segments, want %d (header included)", got, want)
	}
	err = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById("reply").value = ""`),
		chromedp.SetValue(chromedp.ID("canned"), "police"), chromedp.Evaluate[chromedp.Void](
			`document.getElementById("canned").dispatchEvent(new Event("change"))`))
	if err != nil {
		t.Fatal(err)
	}
	canned, _ := cannedText("police", "es")
	if _, want = sms.Segments(sms.Render(flows.StaffReplyText("es", "TIPURG1", canned))); segments() != want {
		t.Errorf("canned reply count: %d segments, want %d", segments(), want)
	}
}
