package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tipline/config"
	"tipline/seal"
	"tipline/server"
)

// simStatus wires the simulator as wire would and answers one request.
func simStatus(t *testing.T, dev, enabled bool, method, path string, cookie *http.Cookie) int {
	return simStatusAuth(t, dev, enabled, nil, method, path, cookie)
}

// simStatusAuth is simStatus with the dashboard's login middleware.
func simStatusAuth(t *testing.T, dev, enabled bool, auth func(http.Handler) http.Handler, method, path string, cookie *http.Cookie) int {
	t.Helper()
	keys, err := seal.ParseKeys(seal.GenerateKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	a := &app{keys: keys, requireStaff: auth}
	if err := wireSim(a, &config.Config{SimEnabled: enabled}, nil, dev); err != nil {
		t.Fatal(err)
	}
	h := server.New(server.Options{Routes: a.routes})
	req := httptest.NewRequest(method, path, strings.NewReader(`{"text":"hello"}`))
	if cookie != nil {
		req.AddCookie(cookie)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code
}

// fakeStaffLogin stands in for the dashboard's middleware: without a
// session cookie, pages redirect to the login and API calls get 403.
func fakeStaffLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c, err := r.Cookie("staff_session"); err != nil || c.Value != "ok" {
			if r.Method == http.MethodGet && !strings.Contains(r.URL.Path, "/api/") {
				http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
				return
			}
			http.Error(w, "login required", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func TestSimIsOpenInDev(t *testing.T) {
	if code := simStatus(t, true, true, "GET", "/sim/", nil); code != http.StatusOK {
		t.Errorf("dev: GET /sim/ = %d, want 200", code)
	}
}

func TestSimOutsideDev(t *testing.T) {
	if code := simStatusAuth(t, false, false, fakeStaffLogin, "GET", "/sim/", nil); code != http.StatusNotFound {
		t.Errorf("without SIM_ENABLED: GET /sim/ = %d, want 404 (not mounted)", code)
	}

	if code := simStatus(t, false, true, "GET", "/sim/", nil); code != http.StatusNotFound {
		t.Errorf("SIM_ENABLED without a staff login to protect it: GET /sim/ = %d, want 404 (not mounted)", code)
	}

	for _, c := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/sim/", http.StatusSeeOther},
		{"GET", "/sim/static/app.js", http.StatusSeeOther},
		{"GET", "/sim/api/messages", http.StatusForbidden},
		{"POST", "/sim/api/send", http.StatusForbidden},
		{"POST", "/sim/api/new", http.StatusForbidden},
	} {
		if code := simStatusAuth(t, false, true, fakeStaffLogin, c.method, c.path, nil); code != c.want {
			t.Errorf("SIM_ENABLED, not logged in: %s %s = %d, want %d", c.method, c.path, code, c.want)
		}
	}
	staff := &http.Cookie{Name: "staff_session", Value: "ok"}
	if code := simStatusAuth(t, false, true, fakeStaffLogin, "GET", "/sim/", staff); code != http.StatusOK {
		t.Errorf("SIM_ENABLED, logged in: GET /sim/ = %d, want 200", code)
	}
}
