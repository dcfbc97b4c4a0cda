package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"tipline"
	"tipline/config"
	"tipline/seal"
	"tipline/server"
	"tipline/testdb"
)

// TestWireWebChat: dev serves the web chat with its provider wired for the
// outbox; WEBCHAT_ENABLED=false keeps the routes off but the provider on,
// so replies to existing web chats are still delivered.
func TestWireWebChat(t *testing.T) {
	pool := testdb.New(t)
	for _, enabled := range []string{"true", "false"} {
		env := map[string]string{"TIPLINE_SECRET_KEY": seal.GenerateKey(), "WEBCHAT_ENABLED": enabled,
			"WEBCHAT_ORIGINS": "https://www.example.org"}
		cfg, err := config.Load(func(k string) string { return env[k] }, config.ModeDev)
		if err != nil {
			t.Fatal(err)
		}
		a, err := wire(context.Background(), cfg, pool, prometheus.NewRegistry(), true)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := a.providers[tipline.ChannelWebChat]; !ok {
			t.Errorf("WEBCHAT_ENABLED=%s: no webchat provider", enabled)
		}
		srv := httptest.NewServer(server.New(server.Options{Routes: a.routes}))
		resp, err := http.Get(srv.URL + "/chat")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		srv.Close()
		served := resp.StatusCode == http.StatusOK && strings.Contains(string(body), "<title>Chat</title>")
		if served != (enabled == "true") {
			t.Errorf("WEBCHAT_ENABLED=%s: GET /chat %d", enabled, resp.StatusCode)
		}
		if served && !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'self' https://www.example.org") {
			t.Errorf("CSP %q", resp.Header.Get("Content-Security-Policy"))
		}
	}
}
