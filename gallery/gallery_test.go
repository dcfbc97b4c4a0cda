package gallery_test

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"tipline/gallery"
	"tipline/media"
	"tipline/server"
	"tipline/store"
	"tipline/testdb"
)

type env struct {
	t     *testing.T
	pool  *store.Pool
	url   string
	cases map[string]store.Case // by state
}

// newEnv serves the gallery (behind the server's middleware) on a fresh
// database with one case in each state.
func newEnv(t *testing.T, cfg gallery.Config) *env {
	t.Helper()
	e := &env{t: t, pool: testdb.New(t), cases: map[string]store.Case{}}
	cfg.DB = e.pool
	h := gallery.New(cfg)
	var routes []server.Route
	for _, p := range gallery.Patterns {
		routes = append(routes, server.Route{Pattern: p, Handler: h})
	}
	srv := httptest.NewServer(server.New(server.Options{Routes: routes}))
	t.Cleanup(srv.Close)
	e.url = srv.URL
	ctx := context.Background()
	a, err := store.CreateStaff(ctx, e.pool, "a@example.org", store.RoleReviewer, "x")
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.CreateStaff(ctx, e.pool, "b@example.org", store.RoleReviewer, "x")
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 8)), nil); err != nil {
		t.Fatal(err)
	}
	img, err := media.Process(buf.Bytes(), "image/jpeg", media.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	for i, state := range []string{"shown", "private", "pending", "expired", "withdrawn", "closed"} {
		age := 10 + i
		c, err := store.CreateCase(ctx, e.pool, store.Case{Number: "C-" + state, DisplayName: "Child " + state,
			Age: &age, Description: "secret description " + state, LastSeenPlace: "1 Secret St", Public: state != "private"})
		if err != nil {
			t.Fatal(err)
		}
		review := "current_date + 30"
		if state == "expired" {
			review = "current_date - 1"
		}
		e.exec(`INSERT INTO case_gallery (case_id, public_name, public_city, consent_by, consent_note, police_report,
			review_date, abuse_disclosed, proposed_by, proposed_at, approved_by, approved_at, photo, photo_type)
			VALUES ($1, $2, 'Newark, NJ', 'mother', 'form', 'NPD-`+state+`', `+review+`, false, $3, now(),
			$4, CASE WHEN $5 THEN NULL ELSE now() END, $6, 'image/jpeg')`,
			c.ID, "Shown "+state, a.ID, b.ID, state == "pending", img.Stripped)
		switch state {
		case "withdrawn":
			e.exec(`UPDATE case_gallery SET withdrawn_at = now(), photo = NULL WHERE case_id = $1`, c.ID)
		case "closed":
			e.exec(`UPDATE cases SET status = 'closed', closed_at = now() WHERE id = $1`, c.ID)
		}
		e.cases[state] = c
	}
	return e
}

func (e *env) exec(sql string, args ...any) {
	e.t.Helper()
	if _, err := e.pool.Exec(context.Background(), sql, args...); err != nil {
		e.t.Fatalf("%s: %v", sql, err)
	}
}

func (e *env) get(path string, hdr ...string) (*http.Response, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.url+path, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// TestOnlyApprovedLiveCasesShow: the gallery lists the one approved,
// active, public case within its review date, with nothing private; every
// other case's page and photo answer exactly like an unknown case.
func TestOnlyApprovedLiveCasesShow(t *testing.T) {
	e := newEnv(t, gallery.Config{SMSNumber: "+15550001111", Origins: []string{"https://www.example.org"},
		BotUsername: func(context.Context) string { return "tip_bot" }})
	resp, body := e.get("/cases")
	if resp.StatusCode != 200 || !strings.Contains(body, "Shown shown") {
		t.Fatalf("list: %d\n%s", resp.StatusCode, body)
	}
	for _, s := range []string{"private", "pending", "expired", "withdrawn", "closed", "secret", "Secret St", "NPD-", "mother", "<script"} {
		if strings.Contains(body, s) {
			t.Errorf("the gallery shows %q", s)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'self' https://www.example.org") ||
		!strings.Contains(csp, "default-src 'none'") || resp.Header.Get("X-Frame-Options") != "" {
		t.Errorf("framing: CSP %q, X-Frame-Options %q", csp, resp.Header.Get("X-Frame-Options"))
	}
	if resp.Header.Get("Cache-Control") != "public, max-age=60" || !strings.Contains(resp.Header.Get("X-Robots-Tag"), "noindex") {
		t.Errorf("Cache-Control %q, X-Robots-Tag %q", resp.Header.Get("Cache-Control"), resp.Header.Get("X-Robots-Tag"))
	}
	if r, b := e.get("/cases/" + e.cases["shown"].PublicID + "/photo"); r.StatusCode != 200 || r.Header.Get("Content-Type") != "image/jpeg" || len(b) == 0 {
		t.Errorf("shown photo: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
	}
	n, err := store.ExpireGalleryPhotos(context.Background(), e.pool, time.Now())
	if err != nil || n != 1 {
		t.Errorf("expired photo copies deleted: %d, %v", n, err)
	}
	unknown := store.NewPublicID()
	for _, suffix := range []string{"", "/photo"} {
		want, wantBody := e.get("/cases/" + unknown + suffix)
		if want.StatusCode != http.StatusNotFound || !strings.Contains(wantBody, `content="noindex`) {
			t.Fatalf("unknown%s: %d", suffix, want.StatusCode)
		}
		for _, state := range []string{"private", "pending", "expired", "withdrawn", "closed"} {
			got, gotBody := e.get("/cases/" + e.cases[state].PublicID + suffix)
			if got.StatusCode != want.StatusCode || gotBody != wantBody {
				t.Errorf("%s%s: %d, differs from an unknown case", state, suffix, got.StatusCode)
			}
			for k := range want.Header {
				if k != "Date" && got.Header.Get(k) != want.Header.Get(k) {
					t.Errorf("%s%s: header %s %q, unknown %q", state, suffix, k, got.Header.Get(k), want.Header.Get(k))
				}
			}
		}
	}
}

// TestWaysAndLanguage: the three ways to report, in the browser's
// language; without a number or a bot only web chat is offered.
func TestWaysAndLanguage(t *testing.T) {
	e := newEnv(t, gallery.Config{SMSNumber: "+15550001111", Now: func() time.Time { return time.Now() },
		BotUsername: func(context.Context) string { return "@tip_bot" }})
	pid := e.cases["shown"].PublicID
	_, body := e.get("/cases/"+pid, "Accept-Language", "es-MX,es;q=0.9,en;q=0.5")
	for _, want := range []string{`lang="es"`, "Caso", `<dd class="number">C-shown</dd>`, `href="/chat?case=` + pid + `&amp;lang=es"`, "555-000-1111",
		"https://t.me/tip_bot?start=case_" + pid, "sms:&#43;15550001111?&amp;body="} {
		if !strings.Contains(body, want) {
			t.Errorf("Spanish page lacks %q", want)
		}
	}
	if _, fr := e.get("/cases/" + pid + "?lang=fr"); !strings.Contains(fr, "Dossier") {
		t.Error("?lang=fr is not French")
	}
	bare := newEnv(t, gallery.Config{})
	_, body = bare.get("/cases/" + bare.cases["shown"].PublicID)
	if !strings.Contains(body, "/chat?case=") || strings.Contains(body, "sms:") || strings.Contains(body, "t.me") {
		t.Errorf("without SMS and Telegram:\n%s", body)
	}
}
