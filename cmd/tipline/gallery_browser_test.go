package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/prometheus/client_golang/prometheus"

	"tipline/config"
	"tipline/password"
	"tipline/seal"
	"tipline/server"
	"tipline/store"
	"tipline/telegram/telegramtest"
	"tipline/testdb"
)

// galleryApp is the whole app as `tipline dev` wires it, with a fake Bot
// API (for the bot's username) and a public SMS number, on loopback.
type galleryApp struct {
	pool *store.Pool
	url  string
}

func newGalleryApp(t *testing.T) *galleryApp {
	t.Helper()
	api := telegramtest.New(t)
	env := map[string]string{"TIPLINE_SECRET_KEY": seal.GenerateKey(), "TELEGRAM_BOT_TOKEN": api.Token,
		"TELEGRAM_API_URL": api.URL, "SMS_PUBLIC_NUMBER": "+15550001111", "TIPLINE_TIMEZONE": "America/New_York"}
	cfg, err := config.Load(func(k string) string { return env[k] }, config.ModeDev)
	if err != nil {
		t.Fatal(err)
	}
	pool := testdb.New(t)
	a, err := wire(context.Background(), cfg, pool, prometheus.NewRegistry(), true)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(server.Options{Routes: a.routes}))
	t.Cleanup(srv.Close)
	h, err := password.Hash(dirPassword)
	if err != nil {
		t.Fatal(err)
	}
	for _, email := range []string{"ana@example.org", "ben@example.org"} {
		if _, err := store.CreateStaff(context.Background(), pool, email, store.RoleReviewer, h); err != nil {
			t.Fatal(err)
		}
	}
	return &galleryApp{pool: pool, url: srv.URL}
}

// gpsJPEG is a photo as a phone takes it: EXIF with a GPS position, and a
// comment naming the place.
func gpsJPEG(t *testing.T) []byte {
	t.Helper()
	m := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			m.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 120, 255})
		}
	}
	var plain bytes.Buffer
	if err := jpeg.Encode(&plain, m, nil); err != nil {
		t.Fatal(err)
	}
	be := binary.BigEndian
	// TIFF header, IFD0 with one entry (the GPS IFD pointer), the GPS IFD
	// with GPSLatitudeRef "N" and GPSLatitude 40/1 44/1 55/1.
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	tiff = be.AppendUint16(tiff, 1)
	tiff = append(tiff, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26)
	tiff = be.AppendUint32(tiff, 0)
	tiff = be.AppendUint16(tiff, 2)
	tiff = append(tiff, 0, 1, 0, 2, 0, 0, 0, 2, 'N', 0, 0, 0)
	tiff = append(tiff, 0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 56)
	tiff = be.AppendUint32(tiff, 0)
	for _, v := range []uint32{40, 1, 44, 1, 55, 1} {
		tiff = be.AppendUint32(tiff, v)
	}
	seg := func(marker byte, payload []byte) []byte {
		b := []byte{0xFF, marker}
		b = be.AppendUint16(b, uint16(len(payload)+2))
		return append(b, payload...)
	}
	out := append([]byte{}, plain.Bytes()[:2]...)
	out = append(out, seg(0xE1, append([]byte("Exif\x00\x00"), tiff...))...)
	out = append(out, seg(0xFE, []byte("GPS 40.7357,-74.1724 Newark home"))...)
	return append(out, plain.Bytes()[2:]...)
}

// jpegSegments lists the markers of a JPEG's header segments (up to SOS).
func jpegSegments(b []byte) []byte {
	var out []byte
	for i := 2; i+4 <= len(b) && b[i] == 0xFF; {
		out = append(out, b[i+1])
		if b[i+1] == 0xDA {
			break
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	return out
}

func fetch(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func (g *galleryApp) run(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// grab runs one action that returns a value.
func grab[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func (g *galleryApp) signIn(t *testing.T, ctx context.Context, email string) {
	t.Helper()
	g.run(t, ctx, "sign in as "+email, chromedp.Navigate(g.url+"/staff/login"), chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email), chromedp.SendKeys(chromedp.ID("password"), dirPassword),
		chromedp.Click(chromedp.ID("signin")), chromedp.WaitVisible(chromedp.ID("logout")))
}

// publish has one staff member upload a phone photo and propose the case
// for the gallery, and a second one approve it, in the dashboard.
func (g *galleryApp) publish(t *testing.T, ctx context.Context, caseID int64) {
	t.Helper()
	photo := filepath.Join(t.TempDir(), "ana.jpg")
	if err := os.WriteFile(photo, gpsJPEG(t), 0o600); err != nil {
		t.Fatal(err)
	}
	cs := g.url + "/staff/cases/" + strconv.FormatInt(caseID, 10)
	defer galleryShot(t, ctx, "gallery-staff")
	g.signIn(t, ctx, "ana@example.org")
	g.run(t, ctx, "upload the photo", chromedp.Navigate(cs), chromedp.WaitVisible(chromedp.ID("photo")),
		chromedp.SetUploadFiles(chromedp.ID("photo"), []string{photo}), chromedp.Submit(chromedp.ID("photo")),
		chromedp.WaitVisible(chromedp.CSS(`img[src$="/photo"]`)))
	g.run(t, ctx, "propose", chromedp.Click(chromedp.ID("gallery-link")), chromedp.WaitVisible(chromedp.ID("propose")),
		chromedp.SendKeys(chromedp.ID("public_city"), "Newark, NJ"), chromedp.SendKeys(chromedp.ID("consent_by"), "mother"),
		chromedp.SendKeys(chromedp.ID("consent_note"), "signed consent form, scanned to the case file"),
		chromedp.SendKeys(chromedp.ID("police_report"), "NPD-2026-4411"),
		chromedp.Click(chromedp.ID("propose")), chromedp.WaitVisible(chromedp.ID("withdraw")))
	g.run(t, ctx, "sign out", chromedp.Click(chromedp.ID("logout")), chromedp.WaitVisible(chromedp.ID("email")))
	g.signIn(t, ctx, "ben@example.org")
	g.run(t, ctx, "approve", chromedp.Navigate(cs+"/gallery"), chromedp.WaitVisible(chromedp.ID("approve")),
		chromedp.Click(chromedp.ID("checked")), chromedp.Click(chromedp.ID("approve")),
		chromedp.WaitNotPresent(chromedp.ID("approve")))
	if state := grab(t, ctx, "state", chromedp.Text(chromedp.ID("gallery-state"))); !strings.Contains(state, "In the gallery") {
		t.Fatalf("after approval: %q", state)
	}
}

// TestBrowserGallery is acceptance 4 of issue 17 in real Chromium: a case
// two staff members published shows in the gallery with its three ways to
// report and nothing else, its photo carries no metadata, the page works
// with JavaScript off, "Seen this child?" opens web chat on that case, and
// once the case closes its page and photo answer like an unknown case.
func TestBrowserGallery(t *testing.T) {
	ctx := dirBrowser(t)
	g := newGalleryApp(t)
	age, seen := 14, time.Date(2026, 11, 20, 18, 30, 0, 0, time.UTC)
	cs, err := store.CreateCase(context.Background(), g.pool, store.Case{Number: "2026-0142", DisplayName: "Ana Example",
		Age: &age, Sex: "F", Description: "Red coat, scar on the left hand", LastSeenPlace: "14 Elm St, Newark, NJ",
		LastSeenAt: &seen, Public: true})
	if err != nil {
		t.Fatal(err)
	}
	g.publish(t, ctx, cs.ID)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled,
		emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("turn JavaScript off: %v", err)
	}
	sel := func(s string) chromedp.CSS { return chromedp.CSS("#case-" + cs.PublicID + " " + s) }
	all := func(s string) chromedp.CSSAll { return chromedp.CSSAll("#case-" + cs.PublicID + " " + s) }
	g.run(t, ctx, "the gallery without JavaScript", chromedp.Navigate(g.url+"/cases"),
		chromedp.WaitVisible(chromedp.ID("case-"+cs.PublicID)))
	card := grab(t, ctx, "card", chromedp.Text(chromedp.ID("case-"+cs.PublicID)))
	html := grab(t, ctx, "html", chromedp.OuterHTML(chromedp.CSS("html")))
	for _, want := range []string{"Ana Example", "14", "Newark, NJ", "November 20, 2026", "2026-0142", "Seen this child?"} {
		if !strings.Contains(card, want) {
			t.Errorf("the card lacks %q:\n%s", want, card)
		}
	}
	for _, secret := range []string{"Red coat", "Elm St", "NPD-2026-4411", "mother", "consent", "<script", "18:30", "6:30"} {
		if strings.Contains(html, secret) {
			t.Errorf("the public page shows %q", secret)
		}
	}
	galleryShot(t, ctx, "gallery-public")
	if n := grab(t, ctx, "case number", chromedp.Text(sel("dd.number"))); n != "2026-0142" {
		t.Errorf("case number shown as %q", n)
	}
	if n := len(grab(t, ctx, "ways", chromedp.Nodes(all("ul.ways > li")))); n != 3 {
		t.Errorf("%d ways to report, want 3", n)
	}
	if n := len(grab(t, ctx, "links", chromedp.Nodes(all("a")))); n != 3 {
		t.Errorf("%d links on the card, want the 3 ways", n)
	}
	chat := grab(t, ctx, "chat link", chromedp.AttributeValue(sel("a.chat"), "href")).Value
	if chat != "/chat?case="+cs.PublicID+"&lang=en" {
		t.Errorf("Seen this child? links to %q", chat)
	}
	sms := grab(t, ctx, "sms", chromedp.Text(sel("li.sms")))
	smsHref := grab(t, ctx, "sms link", chromedp.AttributeValue(sel("li.sms a"), "href")).Value
	if !strings.Contains(sms, "SEEN 2026-0142") || !strings.Contains(sms, "555-000-1111") ||
		!strings.HasPrefix(smsHref, "sms:+15550001111?&body=SEEN+2026-0142") {
		t.Errorf("SMS way: %q (%s)", sms, smsHref)
	}
	if tg := grab(t, ctx, "telegram", chromedp.AttributeValue(sel("li.telegram a"), "href")).Value; tg != "https://t.me/tipline_test_bot?start=case_"+cs.PublicID {
		t.Errorf("Telegram way: %q", tg)
	}
	checkCleanPhoto(t, g.url+"/cases/"+cs.PublicID+"/photo")
	// The wait is for the chat's own text box, so the location is read
	// from the chat page, not from the page the click is leaving.
	g.run(t, ctx, "Seen this child?", chromedp.Click(sel("a.chat")), chromedp.WaitVisible(chromedp.ID("text")))
	if where := grab(t, ctx, "location", chromedp.Location()); !strings.HasSuffix(where, "/chat?case="+cs.PublicID+"&lang=en") {
		t.Errorf("Seen this child? opened %q", where)
	}
	a := store.Actor{Email: "ben@example.org", Addr: "127.0.0.1", At: time.Now()}
	if err := store.NewDashboard(g.pool).SetCaseStatus(context.Background(), a, cs.ID, "found"); err != nil {
		t.Fatal(err)
	}
	checkLikeUnknown(t, g.url, cs.PublicID)
	// A fresh visitor (the pages may be cached up to a minute: max-age=60).
	if _, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	g.run(t, ctx, "the closed case", chromedp.Navigate(g.url+"/cases/"+cs.PublicID))
	robots := grab(t, ctx, "robots", chromedp.AttributeValue(chromedp.CSS(`meta[name="robots"]`), "content")).Value
	g.run(t, ctx, "the gallery", chromedp.Navigate(g.url+"/cases"))
	listed := grab(t, ctx, "main", chromedp.OuterHTML(chromedp.CSS("main")))
	if !strings.Contains(robots, "noindex") || strings.Contains(listed, cs.PublicID) || strings.Contains(listed, "Ana") {
		t.Errorf("after closing: robots %q, gallery still lists it: %v", robots, strings.Contains(listed, cs.PublicID))
	}
}

// galleryShot saves a screenshot when TIPLINE_SHOTS names a folder (to
// look at the pages; never in CI).
func galleryShot(t *testing.T, ctx context.Context, name string) {
	if dir := os.Getenv("TIPLINE_SHOTS"); dir != "" {
		if b, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			_ = os.WriteFile(filepath.Join(dir, name+".png"), b, 0o644)
		}
	}
}

// checkCleanPhoto: the gallery's photo is a JPEG without EXIF, GPS or
// comments.
func checkCleanPhoto(t *testing.T, u string) {
	t.Helper()
	resp, b := fetch(t, u)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("photo: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if _, err := jpeg.Decode(bytes.NewReader(b)); err != nil {
		t.Fatalf("photo does not decode: %v", err)
	}
	for _, m := range jpegSegments(b) {
		if m == 0xE1 || m == 0xFE || (m >= 0xE2 && m <= 0xEF) {
			t.Errorf("photo keeps segment FF%02X", m)
		}
	}
	for _, s := range []string{"Exif", "GPS", "Newark", "MM\x00\x2a"} {
		if bytes.Contains(b, []byte(s)) {
			t.Errorf("photo keeps %q", s)
		}
	}
}

// checkLikeUnknown: a case's page and photo answer exactly like those of
// a case that never existed.
func checkLikeUnknown(t *testing.T, base, publicID string) {
	t.Helper()
	for _, suffix := range []string{"", "/photo"} {
		got, gotBody := fetch(t, base+"/cases/"+publicID+suffix)
		want, wantBody := fetch(t, base+"/cases/"+store.NewPublicID()+suffix)
		if got.StatusCode != http.StatusNotFound || want.StatusCode != http.StatusNotFound || !bytes.Equal(gotBody, wantBody) {
			t.Errorf("%s: status %d (unknown %d), same body %v", suffix, got.StatusCode, want.StatusCode, bytes.Equal(gotBody, wantBody))
		}
		for _, h := range []string{"Content-Type", "Cache-Control", "X-Robots-Tag", "Content-Security-Policy", "Content-Length"} {
			if got.Header.Get(h) != want.Header.Get(h) {
				t.Errorf("%s: %s %q, unknown case %q", suffix, h, got.Header.Get(h), want.Header.Get(h))
			}
		}
		if cc := got.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=60") || !strings.Contains(got.Header.Get("X-Robots-Tag"), "noindex") {
			t.Errorf("%s: Cache-Control %q, X-Robots-Tag %q", suffix, cc, got.Header.Get("X-Robots-Tag"))
		}
	}
}
