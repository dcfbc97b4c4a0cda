package server

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// get fetches url with an optional bearer token and returns the status
// and body.
func get(t *testing.T, u, token string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", u, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// proxied starts a reverse proxy on loopback in front of target, as nginx
// on the same host would be: every request reaches target from 127.0.0.1.
func proxied(t *testing.T, target string) string {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := httptest.NewServer(httputil.NewSingleHostReverseProxy(u))
	t.Cleanup(p.Close)
	return p.URL
}

func TestMetricsThroughALocalProxy(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	for _, c := range []struct {
		name          string
		o             Options
		direct, proxy int // without the token
		withToken     int
	}{
		{"no proxy configured", Options{}, 200, 200, 200},
		{"TRUSTED_PROXIES set", Options{TrustedProxies: proxies}, 403, 403, 403},
		{"TRUSTED_PROXIES and a token", Options{TrustedProxies: proxies, MetricsToken: "s3cret"}, 403, 403, 200},
		{"a token", Options{MetricsToken: "s3cret"}, 403, 403, 200},
		{"METRICS_ADDR set", Options{SeparateMetrics: true}, 403, 403, 403},
		{"METRICS_ADDR and a token", Options{SeparateMetrics: true, MetricsToken: "s3cret"}, 403, 403, 200},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.o.Registry = prometheus.NewRegistry()
			srv := httptest.NewServer(New(c.o))
			defer srv.Close()
			front := proxied(t, srv.URL)
			if got, _ := get(t, srv.URL+"/metrics", ""); got != c.direct {
				t.Errorf("direct from loopback: %d, want %d", got, c.direct)
			}
			if got, _ := get(t, front+"/metrics", ""); got != c.proxy {
				t.Errorf("through a local proxy: %d, want %d", got, c.proxy)
			}
			if got, _ := get(t, front+"/metrics", "s3cret"); got != c.withToken {
				t.Errorf("through a local proxy with the token: %d, want %d", got, c.withToken)
			}
		})
	}
}

func TestMetricsOwnListener(t *testing.T) {
	reg := prometheus.NewRegistry()
	main := httptest.NewServer(New(Options{Registry: reg, SeparateMetrics: true}))
	defer main.Close()
	own := httptest.NewServer(MetricsHandler(Options{Registry: reg}))
	defer own.Close()
	get(t, main.URL+"/healthz", "")
	if got, body := get(t, own.URL+"/metrics", ""); got != 200 || !strings.Contains(body, "tipline_http_request_duration_seconds") {
		t.Errorf("own listener: %d\n%s", got, body)
	}
	if got, _ := get(t, own.URL+"/healthz", ""); got != 404 {
		t.Errorf("own listener serves /healthz: %d", got)
	}
	if got, _ := get(t, main.URL+"/metrics", ""); got != 403 {
		t.Errorf("main listener with METRICS_ADDR set: %d", got)
	}
	tokened := httptest.NewServer(MetricsHandler(Options{Registry: reg, MetricsToken: "s3cret"}))
	defer tokened.Close()
	if got, _ := get(t, tokened.URL+"/metrics", ""); got != 403 {
		t.Errorf("own listener with a token, none given: %d", got)
	}
	if got, _ := get(t, tokened.URL+"/metrics", "s3cret"); got != 200 {
		t.Errorf("own listener with the token: %d", got)
	}
}

func TestRequestDurationByRoutePattern(t *testing.T) {
	reg := prometheus.NewRegistry()
	h := New(Options{Registry: reg, Routes: []Route{
		{Pattern: "GET /things/{id}", Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.PathValue("id") == "0" {
				http.NotFound(w, r)
			}
		})},
		{Pattern: "GET /boom", Handler: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom") })},
	}})
	srv := httptest.NewServer(h)
	defer srv.Close()
	for _, p := range []string{"/things/12345", "/things/67890", "/things/0", "/boom"} {
		get(t, srv.URL+p, "")
	}
	_, body := get(t, srv.URL+"/metrics", "")
	for _, want := range []string{
		`tipline_http_request_duration_seconds_count{code="200",route="GET /things/{id}"} 2`,
		`tipline_http_request_duration_seconds_count{code="404",route="GET /things/{id}"} 1`,
		`tipline_http_request_duration_seconds_count{code="500",route="GET /boom"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, "12345") {
		t.Error("a raw path reached a label")
	}
	// A second server on the same registry shares the histogram.
	New(Options{Registry: reg})
}
