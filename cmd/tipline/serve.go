package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"tipline/config"
	"tipline/opsmetrics"
	"tipline/server"
	"tipline/store"
)

func runServe(ctx context.Context, args []string, e env) error {
	if len(args) > 0 {
		fmt.Fprintln(e.stderr, "usage: tipline serve (configuration comes from the environment)")
		return errUsage
	}
	cfg, err := config.Load(e.getenv, config.ModeServe)
	if err != nil {
		return err
	}
	setupLogging(e.stderr, cfg)
	tuneGC()
	return serve(ctx, cfg, e, false, nil)
}

// gcPercent is the service's GOGC when the environment sets none. A busy
// instance's heap is small (a peak of about 120 MB at 1,000 messages/s in
// tipline bench), so it takes twice the default headroom for half as many
// collections: the collector was 5-7% of the service's CPU at the default.
const gcPercent = 200

// tuneGC sets gcPercent unless GOGC is set (then the runtime has read it).
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
}

// serve runs the service until ctx ends: migrations, HTTP, background
// workers, then a graceful shutdown. onReady runs once it listens.
func serve(ctx context.Context, cfg *config.Config, e env, dev bool, onReady func(addr string)) error {
	pool, err := store.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	ms, err := store.LoadMigrations(migrationsFS)
	if err != nil {
		return err
	}
	if _, err := store.Migrate(ctx, pool, ms); err != nil {
		return err
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	app, err := wire(ctx, cfg, pool, reg, dev)
	if err != nil {
		return err
	}
	opsmetrics.Register(reg, pool, app.channels())
	opts := server.Options{
		Ready:           readiness(pool, ms),
		Registry:        reg,
		MetricsToken:    cfg.MetricsToken,
		SeparateMetrics: cfg.MetricsAddr != "",
		TrustedProxies:  cfg.TrustedProxies,
		Routes:          app.routes,
		HSTS:            !dev,
	}
	ls := []listener{{name: "http", addr: cfg.ListenAddr, handler: server.New(opts)}}
	if cfg.MetricsAddr != "" {
		ls = append(ls, listener{name: "metrics", addr: cfg.MetricsAddr, handler: server.MetricsHandler(opts)})
	} else if cfg.MetricsToken == "" && len(cfg.TrustedProxies) > 0 {
		slog.Warn("/metrics refuses every request: TRUSTED_PROXIES is set, so loopback is not trusted; set METRICS_ADDR or METRICS_TOKEN")
	}
	return listenAndRun(ctx, ls, app.runners, onReady)
}

// readiness is ready when the database answers and its schema is current.
func readiness(pool *pgxpool.Pool, ms []store.Migration) func(context.Context) error {
	return func(ctx context.Context) error {
		_, current, err := store.SchemaStatus(ctx, pool, ms)
		if err != nil {
			return err
		}
		if !current {
			return errors.New("schema not current")
		}
		return nil
	}
}

// listener is one HTTP listener serve runs: the main one first.
type listener struct {
	name, addr string
	handler    http.Handler
}

// listenAndRun binds every listener (failing if one cannot be bound),
// starts the background runners, serves until ctx ends, then shuts the
// servers down gracefully before stopping the runners. onReady gets the
// main listener's address.
func listenAndRun(ctx context.Context, ls []listener, runners []func(context.Context), onReady func(string)) error {
	var srvs []*http.Server
	var lns []net.Listener
	for _, l := range ls {
		ln, err := net.Listen("tcp", l.addr)
		if err != nil {
			for _, ln := range lns {
				ln.Close()
			}
			return fmt.Errorf("listen on %s (%s): %w", l.addr, l.name, err)
		}
		lns = append(lns, ln)
		srvs = append(srvs, &http.Server{Handler: l.handler, ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second})
	}
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	for _, r := range runners {
		wg.Go(func() { r(workCtx) })
	}
	errc := make(chan error, len(srvs))
	for i, srv := range srvs {
		go func() { errc <- srv.Serve(lns[i]) }()
		msg := "listening" // the main listener's line is what scripts wait for
		if i > 0 {
			msg = "listening for " + ls[i].name
		}
		slog.Info(msg, "addr", lns[i].Addr().String())
	}
	if onReady != nil {
		onReady(lns[0].Addr().String())
	}
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		slog.Info("shutting down: finishing in-flight requests")
	}
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	for _, srv := range srvs {
		if serr := srv.Shutdown(sctx); err == nil {
			err = serr
		}
	}
	cancel()
	stopWork()
	wg.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	slog.Info("stopped")
	return err
}

// serveWithEnv loads the serve configuration from getenv and runs it; tests
// use it to start several instances in one process.
func serveWithEnv(ctx context.Context, getenv func(string) string, stderr io.Writer, onReady func(string)) error {
	cfg, err := config.Load(getenv, config.ModeServe)
	if err != nil {
		return err
	}
	return serve(ctx, cfg, env{stdout: stderr, stderr: stderr, getenv: getenv}, false, onReady)
}
