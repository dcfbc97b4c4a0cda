package server

import (
	"errors"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// access decides whether a request may read /metrics.
type access func(r *http.Request) bool

// mainMetricsAccess is who may read /metrics on the main listener: the
// token's bearers when METRICS_TOKEN is set; otherwise loopback peers, but
// only while /metrics has no listener of its own and no proxy is
// configured (a request through a proxy on the same host comes from
// loopback too, so then loopback proves nothing); otherwise nobody.
func mainMetricsAccess(o Options) access {
	switch {
	case o.MetricsToken != "":
		return bearer(o.MetricsToken)
	case o.SeparateMetrics || len(o.TrustedProxies) > 0:
		return func(*http.Request) bool { return false }
	default:
		return loopbackPeer
	}
}

// MetricsHandler serves GET /metrics alone, for its own listener
// (METRICS_ADDR): to anyone who can reach that listener, or only with the
// bearer token when MetricsToken is set.
func MetricsHandler(o Options) http.Handler {
	allow := access(func(*http.Request) bool { return true })
	if o.MetricsToken != "" {
		allow = bearer(o.MetricsToken)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", metricsHandler(o.Registry, allow))
	return recoverPanics(securityHeaders(false, mux))
}

// metricsHandler serves the registry's metrics to requests allow accepts.
// X-Forwarded-For is never believed here.
func metricsHandler(reg *prometheus.Registry, allow access) http.Handler {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	h := promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !allow(r) {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func bearer(token string) access {
	return func(r *http.Request) bool {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		return ok && ConstantTimeEqual(got, token)
	}
}

func loopbackPeer(r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	return err == nil && ap.Addr().Unmap().IsLoopback()
}

// routeTimer times requests by route pattern (never the raw path, which
// holds ids) and status code.
type routeTimer struct{ hist *prometheus.HistogramVec }

// newRouteTimer registers tipline_http_request_duration_seconds with reg
// (reusing it when a server was built on reg before); nil when reg is nil.
func newRouteTimer(reg *prometheus.Registry) *routeTimer {
	if reg == nil {
		return nil
	}
	h := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "tipline_http_request_duration_seconds",
		Help:    "HTTP request duration by route pattern and status code.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"route", "code"})
	if err := reg.Register(h); err != nil {
		var are prometheus.AlreadyRegisteredError
		if !errors.As(err, &are) {
			panic(err)
		}
		h = are.ExistingCollector.(*prometheus.HistogramVec)
	}
	return &routeTimer{hist: h}
}

// wrap times next under pattern. A handler that panics counts as a 500.
func (t *routeTimer) wrap(pattern string, next http.Handler) http.Handler {
	if t == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		done := false
		defer func() {
			code := sw.code
			if !done {
				code = http.StatusInternalServerError
			} else if code == 0 {
				code = http.StatusOK
			}
			t.hist.WithLabelValues(pattern, strconv.Itoa(code)).Observe(time.Since(start).Seconds())
		}()
		next.ServeHTTP(sw, r)
		done = true
	})
}

// statusWriter remembers the status code of a response. Unwrap lets
// http.ResponseController reach the connection beneath (flush, hijack,
// deadlines).
type statusWriter struct {
	http.ResponseWriter
	code int
}

// WriteHeader implements http.ResponseWriter.
func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 && code >= 200 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write implements http.ResponseWriter.
func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush implements http.Flusher for handlers that stream.
func (w *statusWriter) Flush() {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap returns the wrapped writer (for http.ResponseController).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
