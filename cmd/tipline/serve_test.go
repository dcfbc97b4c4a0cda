package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"tipline/telegram/telegramtest"
	"tipline/testdb"
)

// TestServeWithoutTelegramAndMetricsListener: serve becomes ready while
// every Bot API call fails, registers the webhook once the API answers
// again, and serves /metrics on METRICS_ADDR only; with TRUSTED_PROXIES
// set, the main listener refuses /metrics to loopback.
func TestServeWithoutTelegramAndMetricsListener(t *testing.T) {
	api := telegramtest.New(t)
	api.FailNext(2, telegramtest.ServerError()) // the first two calls (getMe) fail
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := ln.Addr().String()
	ln.Close()
	vars := map[string]string{
		"DATABASE_URL": testdb.URL(t), "PUBLIC_URL": "https://tipline.example.org",
		"TIPLINE_SECRET_KEY": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", "LISTEN_ADDR": "127.0.0.1:0",
		"LOG_LEVEL": "error", "TELEGRAM_BOT_TOKEN": api.Token, "TELEGRAM_API_URL": api.URL,
		"TELEGRAM_WEBHOOK_SECRET": "hooksecret", "METRICS_ADDR": metricsAddr, "TRUSTED_PROXIES": "127.0.0.1/32",
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrs, errs := make(chan string, 1), make(chan error, 1)
	go func() {
		errs <- serveWithEnv(ctx, func(k string) string { return vars[k] }, io.Discard, func(a string) { addrs <- a })
	}()
	var base string
	select {
	case a := <-addrs:
		base = "http://" + a
		waitReady(t, base+"/readyz")
	case err := <-errs:
		t.Fatalf("serve failed with the Bot API failing: %v", err)
	case <-time.After(60 * time.Second):
		t.Fatal("serve did not start")
	}
	waitFor(t, 30*time.Second, "setWebhook", func() bool { return api.Webhook().URL != "" })
	if got := api.Webhook(); got.URL != "https://tipline.example.org/webhooks/telegram" || got.SecretToken != "hooksecret" {
		t.Errorf("webhook = %+v", got)
	}
	status, body := httpGet(t, "http://"+metricsAddr+"/metrics")
	if status != 200 || !strings.Contains(body, `tipline_outbox_depth{channel="telegram",kind="page"} 0`) ||
		!strings.Contains(body, "tipline_db_pool_max_conns") || !strings.Contains(body, `route="GET /readyz"`) {
		t.Errorf("METRICS_ADDR: %d\n%s", status, body)
	}
	if status, _ := httpGet(t, base+"/metrics"); status != http.StatusForbidden {
		t.Errorf("main listener /metrics: %d, want 403", status)
	}
	cancel()
	if err := <-errs; err != nil {
		t.Errorf("shutdown: %v", err)
	}
}

func httpGet(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
