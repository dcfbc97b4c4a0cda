package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"tipline/config"
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
	return serve(ctx, cfg, e, false, nil)
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
	handler := server.New(server.Options{
		Ready:        readiness(pool, ms),
		Registry:     reg,
		MetricsToken: cfg.MetricsToken,
		Routes:       app.routes,
		HSTS:         !dev,
	})
	return listenAndRun(ctx, cfg.ListenAddr, handler, app.runners, onReady)
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

func listenAndRun(ctx context.Context, addr string, h http.Handler, runners []func(context.Context), onReady func(string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second}
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	var wg sync.WaitGroup
	for _, r := range runners {
		wg.Add(1)
		go func() { defer wg.Done(); r(workCtx) }()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	slog.Info("listening", "addr", ln.Addr().String())
	if onReady != nil {
		onReady(ln.Addr().String())
	}
	select {
	case err = <-errc:
	case <-ctx.Done():
		slog.Info("shutting down: finishing in-flight requests")
		sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err = srv.Shutdown(sctx)
		cancel()
	}
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
