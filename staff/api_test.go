package staff

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestOpenAPIDocumentsEveryRoute: each API route is in openapi.json.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	var doc struct {
		Paths map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatal(err)
	}
	e := &Dashboard{}
	for _, rt := range e.apiRoutes() {
		method, path, _ := strings.Cut(rt.pattern, " ")
		path = strings.TrimPrefix(path, "/api/v1")
		if _, ok := doc.Paths[path][strings.ToLower(method)]; !ok {
			t.Errorf("%s is not documented", rt.pattern)
		}
	}
}

// TestAPITokens: a token reads with its owner's role; revoked or unknown
// tokens and cookies from nowhere get 401.
func TestAPITokens(t *testing.T) {
	e := newEnv(t)
	auth := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	r := e.do(e.client(), http.MethodGet, "/api/v1/tips?sim=exclude", nil, auth(e.fx.reviewToken))
	var list struct {
		Tips []apiTipJSON `json:"tips"`
	}
	if err := json.Unmarshal([]byte(bodyOf(t, r)), &list); err != nil || len(list.Tips) != 2 || list.Tips[0].Code != "TIPURG1" {
		t.Fatalf("tips: %d %v %+v", r.StatusCode, err, list)
	}
	r = e.do(e.client(), http.MethodGet, "/api/v1/tips/"+itoa(e.fx.tipID)+"/contact", nil, auth(e.fx.adminToken))
	if !strings.Contains(bodyOf(t, r), tipContact) {
		t.Errorf("admin contact via API: %d", r.StatusCode)
	}
	r = e.do(e.client(), http.MethodPost, "/api/v1/tips/"+itoa(e.fx.tipID)+"/status", strings.NewReader(`{"status":"referred"}`),
		map[string]string{"Authorization": "Bearer " + e.fx.reviewToken, "Content-Type": "application/json"})
	if r.StatusCode != http.StatusOK || !strings.Contains(bodyOf(t, r), `"status":"referred"`) {
		t.Errorf("status via API: %d", r.StatusCode)
	}
	c := e.login(adminEmail)
	e.post(c, "/staff/account/tokens/"+itoa(e.fx.adminTokenID)+"/revoke", nil)
	for _, tok := range []string{e.fx.adminToken, "tlk_nope", ""} {
		if r := e.do(e.client(), http.MethodGet, "/api/v1/cases", nil, auth(tok)); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("token %.8q: %d", tok, r.StatusCode)
		}
	}
	var stored int
	_ = e.pool.QueryRow(t.Context(), `SELECT count(*) FROM api_tokens WHERE token_hash = $1`, hashToken(e.fx.reviewToken)).Scan(&stored)
	if stored != 1 {
		t.Error("token not stored as its hash")
	}
}

// TestPoster: the Telegram deep link, its QR code and the SMS keyword.
func TestPoster(t *testing.T) {
	e := newEnv(t)
	c := e.login(reviewerEmail)
	cs := "/staff/cases/" + itoa(e.fx.caseID)
	body := bodyOf(t, e.get(c, cs+"/poster"))
	link := "https://t.me/tipline_test_bot?start=case_" + e.fx.casePublicID
	if !strings.Contains(body, link) || !strings.Contains(body, "SEEN C-100") || !strings.Contains(body, "555-000-1111") {
		t.Errorf("poster lacks the link, keyword or number")
	}
	r := e.get(c, cs+"/qr.svg")
	if r.Header.Get("Content-Type") != "image/svg+xml" || !strings.Contains(bodyOf(t, r), "<path") {
		t.Errorf("QR: %d", r.StatusCode)
	}
	noBot := newEnv(t, func(d *Deps) { d.BotUsername = nil })
	body = bodyOf(t, noBot.get(noBot.login(reviewerEmail), "/staff/cases/"+itoa(noBot.fx.caseID)+"/poster"))
	if strings.Contains(body, "t.me/") || !strings.Contains(body, "Telegram is not configured") {
		t.Error("poster without Telegram")
	}
}

// TestCannedRepliesInEveryLanguage: English, Spanish and French.
func TestCannedRepliesInEveryLanguage(t *testing.T) {
	for _, c := range cannedReplies {
		for _, l := range cannedLangs {
			if strings.TrimSpace(c.Text[l]) == "" {
				t.Errorf("canned reply %s has no %s text", c.ID, l)
			}
		}
		if len(c.Text) != len(cannedLangs) {
			t.Errorf("canned reply %s has extra languages", c.ID)
		}
	}
	if txt, _ := cannedText("thanks", "xx"); txt != cannedReplies[0].Text["en"] {
		t.Error("unknown language does not fall back to English")
	}
}
