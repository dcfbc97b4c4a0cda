package bench

import (
	"context"
	"fmt"
	"maps"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/seal"
)

// StackConfig says what StartStack runs.
type StackConfig struct {
	Binary    string            // the tipline binary
	AdminURL  string            // server for the fresh database; "" = a private cluster
	Database  string            // use this (empty) database instead, as it is
	Instances int               // tipline serve processes sharing the database (default 1)
	Settings  map[string]string // extra environment of every instance
	// Balancer puts HAProxy or nginx in front of the instances; PUBLIC_URL
	// is then its address.
	Balancer bool
	// BalancerKind is haproxy, nginx or "" (the first of them installed).
	BalancerKind string
}

// Stack is what --spawn runs: a fresh database, fake providers on
// loopback, and tipline serve instances configured for them. All
// instances share one PUBLIC_URL (the first one's address), as instances
// behind a load balancer do, so signed requests are valid on any of them.
type Stack struct {
	DB             *Database
	Fakes          *Fakes
	Services       []*Service
	Keys           *seal.Keys // TIPLINE_SECRET_KEY of the instances
	TelegramSecret string
	PublicURL      string
	Pool           *pgxpool.Pool // the bench's own connections
	PGVersion      string
	Postmaster     int // pid of the PostgreSQL server, 0 when unknown
	// Balancer is in front of the instances (StackConfig.Balancer), or nil.
	Balancer *Balancer
}

// StartStack creates the database, starts the fakes and the instances,
// and waits until every instance is ready.
func StartStack(ctx context.Context, cfg StackConfig) (st *Stack, err error) {
	st = &Stack{TelegramSecret: "bench_" + randomToken(24)}
	defer func() {
		if err != nil {
			st.Close()
		}
	}()
	if cfg.Database != "" {
		st.DB = &Database{URL: cfg.Database}
	} else if st.DB, err = NewDatabase(ctx, cfg.AdminURL); err != nil {
		return nil, err
	}
	if st.Pool, err = st.DB.Pool(ctx, 4); err != nil {
		return nil, err
	}
	if err = durable(ctx, st.Pool); err != nil {
		return nil, err
	}
	st.PGVersion, st.Postmaster = serverInfo(ctx, st.Pool)
	if st.Fakes, err = StartFakes(); err != nil {
		return nil, err
	}
	key := seal.GenerateKey()
	if st.Keys, err = seal.ParseKeys(key, nil); err != nil {
		return nil, err
	}
	lbAddr := ""
	if cfg.Balancer {
		if _, _, err = findBalancer(cfg.BalancerKind); err != nil {
			return nil, err
		}
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		lbAddr = fmt.Sprintf("127.0.0.1:%d", port)
		st.PublicURL = "http://" + lbAddr
	}
	for i := range max(cfg.Instances, 1) {
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		if i == 0 && st.PublicURL == "" {
			st.PublicURL = fmt.Sprintf("http://127.0.0.1:%d", port)
		}
		env := st.serviceEnv(key, port, cfg.Settings)
		svc := &Service{Binary: cfg.Binary, Env: envList(env), Addr: fmt.Sprintf("127.0.0.1:%d", port)}
		st.Services = append(st.Services, svc)
		if err := svc.Start(ctx); err != nil {
			return nil, err
		}
	}
	if cfg.Balancer {
		var backends []string
		for _, s := range st.Services {
			backends = append(backends, s.Addr)
		}
		if st.Balancer, err = StartBalancer(ctx, cfg.BalancerKind, lbAddr, backends); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// URL is where webhooks go: the balancer, or the first instance.
func (st *Stack) URL() string {
	if st.Balancer != nil {
		return st.Balancer.URL()
	}
	return st.Services[0].URL()
}

// serviceEnv is the configuration of one instance.
func (st *Stack) serviceEnv(key string, port int, extra map[string]string) map[string]string {
	env := map[string]string{
		"DATABASE_URL":            st.DB.URL,
		"LISTEN_ADDR":             fmt.Sprintf("127.0.0.1:%d", port),
		"PUBLIC_URL":              st.PublicURL,
		"TIPLINE_SECRET_KEY":      key,
		"TELEGRAM_BOT_TOKEN":      st.Fakes.TelegramToken,
		"TELEGRAM_WEBHOOK_SECRET": st.TelegramSecret,
		"TELEGRAM_MODE":           "webhook",
		"TELEGRAM_API_URL":        st.Fakes.TelegramURL,
		"TWILIO_ACCOUNT_SID":      st.Fakes.TwilioSID,
		"TWILIO_AUTH_TOKEN":       st.Fakes.TwilioToken,
		"TWILIO_FROM":             "+15005550006",
		"WHATSAPP_FROM":           "+15005550006",
		"TWILIO_API_URL":          st.Fakes.TwilioURL,
	}
	maps.Copy(env, extra)
	return env
}

// Close stops the instances, the fakes and the database.
func (st *Stack) Close() {
	st.Balancer.Close()
	for _, s := range st.Services {
		_ = s.Stop(40 * time.Second)
	}
	if st.Fakes != nil {
		st.Fakes.Close()
	}
	if st.Pool != nil {
		st.Pool.Close()
	}
	if st.DB != nil {
		st.DB.Close()
	}
}
