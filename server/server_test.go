package server

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestHealthReadyMetrics(t *testing.T) {
	ready := errors.New("database down")
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "tipline_test_total", Help: "test"})
	reg.MustRegister(c)
	h := New(Options{Registry: reg, Ready: func(context.Context) error { return ready }})
	srv := httptest.NewServer(h)
	defer srv.Close()
	get := func(path string) int {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: missing security headers", path)
		}
		return resp.StatusCode
	}
	if got := get("/healthz"); got != 200 {
		t.Errorf("healthz = %d", got)
	}
	if got := get("/readyz"); got != 503 {
		t.Errorf("readyz while down = %d", got)
	}
	ready = nil
	if got := get("/readyz"); got != 200 {
		t.Errorf("readyz = %d", got)
	}
	if got := get("/metrics"); got != 200 {
		t.Errorf("metrics from loopback = %d", got)
	}
}

func TestMetricsPrivate(t *testing.T) {
	h := New(Options{MetricsToken: "s3cret"})
	req := httptest.NewRequest("GET", "/metrics", nil)
	req.RemoteAddr = "203.0.113.7:5555"
	req.Header.Set("X-Forwarded-For", "127.0.0.1")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("remote without token = %d", rec.Code)
	}
	req.Header.Set("Authorization", "Bearer s3cret")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("remote with token = %d", rec.Code)
	}
	h = New(Options{})
	req = httptest.NewRequest("GET", "/metrics", nil)
	req.RemoteAddr = "203.0.113.7:5555"
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusForbidden {
		t.Fatalf("remote, no token configured = %d", rec.Code)
	}
}

func TestBodyLimitPerRoute(t *testing.T) {
	read := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			http.Error(w, "too large", http.StatusRequestEntityTooLarge)
		}
	})
	h := New(Options{Routes: []Route{
		{Pattern: "POST /small", Handler: read},
		{Pattern: "POST /photo", Handler: read, MaxBody: 4 << 20},
	}})
	body := strings.Repeat("x", 2<<20)
	for path, want := range map[string]int{"/small": 413, "/photo": 200} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("POST", path, strings.NewReader(body)))
		if rec.Code != want {
			t.Errorf("%s with 2 MiB: %d, want %d", path, rec.Code, want)
		}
	}
}
