package webchat_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"tipline/store"
)

// TestBrowserPhoneSpanishKeyboardEscape opens /chat itself on a phone-sized
// screen in a browser speaking Mexican Spanish: the page is in Spanish with
// Mexico chosen as the country, fits the screen, is used with the keyboard
// alone (Enter sends), switches to French, forgets the chat once BORRAR
// erased it, and Escape replaces it with the
// exit page so that back returns to the page before.
func TestBrowserPhoneSpanishKeyboardEscape(t *testing.T) {
	ctx, problems := browser(t)
	s := newSite(t)
	err := chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			_, err := cdp.Call(ctx, tg, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{
				UserAgent: "Mozilla/5.0 (Linux; Android 14) Mobile", AcceptLanguage: "es-MX,es"})
			return err
		}),
		chromedp.EmulateViewport(375, 700, chromedp.EmulateMobile),
		chromedp.Navigate(s.host+"/before"),
		chromedp.Navigate(s.chat+"/chat"),
		chromedp.WaitVisible(chromedp.ID("text")),
	)
	if err != nil {
		t.Fatal(err)
	}
	str := func(js string) string { return must(chromedp.Run(ctx, chromedp.Evaluate[string](js))) }
	if got := str(`document.documentElement.lang + " " + document.getElementById("exit").textContent + " " +
		document.getElementById("country").value + " " + document.title`); got != "es Salir rápido MX Chat" {
		t.Errorf("lang, exit button, country, title: %q", got)
	}
	if wide := must(chromedp.Run(ctx, chromedp.Evaluate[bool](
		`document.documentElement.scrollWidth > document.documentElement.clientWidth`))); wide {
		t.Error("the page is wider than a phone's screen")
	}
	if focused := str(`document.activeElement.id`); focused != "text" {
		t.Errorf("the message box is not focused: %q", focused)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent("hola necesito ayuda"), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	waitLog(t, ctx, nil, "Hola.")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](
		`(s => { s.value = "fr"; s.dispatchEvent(new Event("change")); })(document.getElementById("lang"))`)); err != nil {
		t.Fatal(err)
	}
	if got := str(`document.getElementById("exit").textContent + " / " + document.querySelector("#log .who").textContent`); got != "Sortie rapide / Toi:" {
		t.Errorf("after switching to French: %q", got)
	}
	// BORRAR (DELETE): once the chat is erased, the page forgets it too.
	if err := chromedp.Do(ctx, chromedp.KeyEvent("BORRAR"), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	for i := 0; str(`document.getElementById("status").textContent`) != "Cette discussion a été effacée. Rien n'en reste ici."; i++ {
		if i > 300 {
			t.Fatalf("the page never said the chat was erased; it shows %q", str(`document.getElementById("log").innerText`))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := str(`String(document.querySelectorAll("#log li").length) + " " + sessionStorage.getItem("tipline.chat")`); n != `0 {"lang":"fr"}` {
		t.Errorf("after the erasure the page keeps %q", n)
	}
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	waitLocation(t, ctx, s.host+"/weather")
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any]("history.back()")); err != nil {
		t.Fatal(err)
	}
	waitLocation(t, ctx, s.host+"/before")
	time.Sleep(200 * time.Millisecond)
	if err := chromedp.Do(ctx, chromedp.Navigate(s.chat+"/chat"), chromedp.WaitVisible(chromedp.ID("text"))); err != nil {
		t.Fatal(err)
	}
	nothingKept(t, ctx, s.chat)
	if p := problems(); len(p) > 0 {
		t.Errorf("the page reported errors (CSP or script): %v", p)
	}
}

// TestBrowserCaseLink: the gallery's "Seen this child?" link
// (/chat?case=<id>&lang=fr) opens the chat in French already on that
// case; the address loses its query and the opening is not shown as a
// message of the person.
func TestBrowserCaseLink(t *testing.T) {
	ctx, problems := browser(t)
	s := newSite(t)
	c, err := store.CreateCase(context.Background(), s.pool, store.Case{PublicID: store.NewPublicID(),
		Number: "2026-0417", DisplayName: "Marisol", Status: "active", Public: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(s.chat+"/chat?case="+c.PublicID+"&lang=fr"),
		chromedp.WaitVisible(chromedp.ID("text"))); err != nil {
		t.Fatal(err)
	}
	got := waitLog(t, ctx, nil, "Marisol (2026-0417)")
	if strings.Contains(got, "/start") {
		t.Errorf("the opening shows: %q", got)
	}
	waitLocation(t, ctx, s.chat+"/chat")
	if l := must(chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))); l != "fr" {
		t.Errorf("page language %q", l)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("the page reported errors (CSP or script): %v", p)
	}
}
