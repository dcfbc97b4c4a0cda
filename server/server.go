// Package server builds Tipline's HTTP handler: the route table and the
// middleware every request passes (panic recovery, body limits, security
// headers), plus the health, readiness and metrics endpoints.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime/debug"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Route is one handler mounted on the mux by a component.
type Route struct {
	Pattern string // a net/http ServeMux pattern, e.g. "POST /webhooks/telegram"
	Handler http.Handler
	MaxBody int64 // request body limit; 0 means Options.MaxBody
}

// Options configure the server.
type Options struct {
	Ready    func(ctx context.Context) error // nil error = ready
	Registry *prometheus.Registry
	// MetricsToken, when set, is the bearer token /metrics requires on
	// every listener.
	MetricsToken string
	// SeparateMetrics says /metrics has its own listener (METRICS_ADDR,
	// MetricsHandler); the main handler then serves it only with the token.
	SeparateMetrics bool
	// TrustedProxies (TRUSTED_PROXIES), when set, mean a proxy may stand
	// in front of this server, so a loopback peer is not taken as local.
	TrustedProxies []netip.Prefix
	Routes         []Route
	HSTS           bool  // send Strict-Transport-Security (outside dev)
	MaxBody        int64 // default body limit of a route: 1 MiB
}

// New returns the root handler. Every route's requests are timed in
// tipline_http_request_duration_seconds under its pattern (when Registry
// is set).
func New(o Options) http.Handler {
	if o.MaxBody == 0 {
		o.MaxBody = 1 << 20
	}
	timer := newRouteTimer(o.Registry)
	mux := http.NewServeMux()
	handle := func(pattern string, h http.Handler) { mux.Handle(pattern, timer.wrap(pattern, h)) }
	handle("GET /healthz", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("ok\n"))
	}))
	handle("GET /readyz", readyHandler(o.Ready))
	if m := mainMetricsAccess(o); m != nil {
		handle("GET /metrics", metricsHandler(o.Registry, m))
	}
	for _, r := range o.Routes {
		limit := r.MaxBody
		if limit == 0 {
			limit = o.MaxBody
		}
		handle(r.Pattern, limitBody(limit, r.Handler))
	}
	return recoverPanics(securityHeaders(o.HSTS, mux))
}

func readyHandler(ready func(context.Context) error) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if ready != nil {
			if err := ready(ctx); err != nil {
				slog.Warn("not ready", "err", err)
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = w.Write([]byte("not ready\n"))
				return
			}
		}
		_, _ = w.Write([]byte("ready\n"))
	}
}

func recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				slog.Error("panic in handler", "path", r.URL.Path, "panic", v, "stack", string(debug.Stack()))
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func limitBody(n int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, n)
		}
		next.ServeHTTP(w, r)
	})
}

func securityHeaders(hsts bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		if hsts {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}
