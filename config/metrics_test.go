package config

import (
	"strings"
	"testing"
)

func TestMetricsAddr(t *testing.T) {
	base := map[string]string{"DATABASE_URL": "postgres://x", "PUBLIC_URL": "https://t.example.org", "TIPLINE_SECRET_KEY": key}
	for in, want := range map[string]string{
		"":             "",
		":9090":        "127.0.0.1:9090",
		"9090":         "127.0.0.1:9090",
		"0.0.0.0:9090": "0.0.0.0:9090",
		"[::1]:9090":   "[::1]:9090",
		"10.0.0.5:0":   "10.0.0.5:0",
	} {
		env := map[string]string{"METRICS_ADDR": in}
		for k, v := range base {
			env[k] = v
		}
		c, err := Load(envOf(env), ModeServe)
		if err != nil {
			t.Fatalf("METRICS_ADDR=%q: %v", in, err)
		}
		if c.MetricsAddr != want {
			t.Errorf("METRICS_ADDR=%q read as %q, want %q", in, c.MetricsAddr, want)
		}
	}
	for _, bad := range []string{"nonsense", "127.0.0.1:http", "127.0.0.1:70000", ":8080"} {
		env := map[string]string{"METRICS_ADDR": bad}
		for k, v := range base {
			env[k] = v
		}
		if _, err := Load(envOf(env), ModeServe); err == nil || !strings.Contains(err.Error(), "METRICS_ADDR") {
			t.Errorf("METRICS_ADDR=%q accepted: %v", bad, err)
		}
	}
}
