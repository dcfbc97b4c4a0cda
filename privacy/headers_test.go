package privacy_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tipline/server"
)

// TestSecurityHeaders: every answer of the service, the dashboard's pages,
// its errors, a panic and the webhooks, carries HSTS (outside dev), a
// strict Content-Security-Policy, nosniff, no referrer and frame denial.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	routes := []server.Route{
		{Pattern: "GET /staff/", Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte("<!doctype html><title>queue</title>"))
		})},
		{Pattern: "GET /staff/boom", Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })},
		{Pattern: "POST /staff/login", Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/staff/", http.StatusSeeOther)
		})},
	}
	paths := []struct{ method, path string }{
		{"GET", "/staff/"}, {"GET", "/staff/boom"}, {"POST", "/staff/login"}, {"GET", "/staff/nothing/here"},
		{"DELETE", "/staff/"}, {"GET", "/healthz"}, {"POST", "/webhooks/telegram"},
	}
	for _, dev := range []bool{false, true} {
		h := server.New(server.Options{Routes: routes, HSTS: !dev})
		for _, p := range paths {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(p.method, "https://tipline.example.org"+p.path, strings.NewReader("")))
			checkHeaders(t, rec.Result().Header, p.method+" "+p.path, dev)
		}
	}
}

func checkHeaders(t *testing.T, h http.Header, what string, dev bool) {
	t.Helper()
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "no-referrer",
		"X-Frame-Options":        "DENY",
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
	hsts := h.Get("Strict-Transport-Security")
	if dev && hsts != "" {
		t.Errorf("%s: HSTS sent in dev", what)
	}
	if !dev && (!strings.Contains(hsts, "max-age=") || maxAge(hsts) < 31536000) {
		t.Errorf("%s: HSTS %q, want at least a year", what, hsts)
	}
	csp := directives(h.Get("Content-Security-Policy"))
	for d, v := range map[string]string{"default-src": "'self'", "frame-ancestors": "'none'", "base-uri": "'none'",
		"form-action": "'self'", "script-src": "'self'"} {
		if csp[d] != v {
			t.Errorf("%s: CSP %s = %q, want %q", what, d, csp[d], v)
		}
	}
	for d, v := range csp {
		if strings.Contains(v, "unsafe-inline") || strings.Contains(v, "unsafe-eval") || strings.Contains(v, "*") {
			t.Errorf("%s: CSP %s allows %q", what, d, v)
		}
	}
}

// directives splits a CSP into directive → sources.
func directives(csp string) map[string]string {
	out := map[string]string{}
	for _, part := range strings.Split(csp, ";") {
		f := strings.Fields(part)
		if len(f) > 0 {
			out[f[0]] = strings.Join(f[1:], " ")
		}
	}
	return out
}

func maxAge(hsts string) int {
	for _, part := range strings.Split(hsts, ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "max-age="); ok {
			n := 0
			for _, c := range v {
				if c < '0' || c > '9' {
					return 0
				}
				n = n*10 + int(c-'0')
			}
			return n
		}
	}
	return 0
}
