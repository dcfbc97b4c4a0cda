package main

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"tipline/telegram/telegramtest"
	"tipline/testdb"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func devEnv(dbURL string, api *telegramtest.Server) func(string) string {
	vars := map[string]string{
		"DATABASE_URL":       dbURL,
		"LISTEN_ADDR":        "127.0.0.1:0",
		"TELEGRAM_BOT_TOKEN": api.Token,
		"TELEGRAM_API_URL":   api.URL,
		"LOG_LEVEL":          "warn",
	}
	return func(k string) string { return vars[k] }
}

func TestDevLongPollsTelegramAndAnswers(t *testing.T) {
	t.Chdir(t.TempDir())
	api := telegramtest.New(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"dev"}, env{stdout: &out, stderr: &out, getenv: devEnv(testdb.MigratedURL(t), api)})
	}()
	api.AddUpdate(telegramtest.TextUpdate(1, 31337, "hello"))
	sent := waitSent(t, api, 90*time.Second) // dev starts, migrates and polls: slow on a loaded machine
	if sent[0].ChatID() != 31337 || sent[0].Text() == "" {
		t.Fatalf("unexpected answer to chat %d: %q", sent[0].ChatID(), sent[0].Text())
	}
	if !strings.Contains(out.String(), "staff login") {
		t.Errorf("dev did not print the staff login:\n%s", out.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("dev exited %d:\n%s", code, out.String())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("dev did not stop")
	}
}

func TestDevRefusesBotWithWebhook(t *testing.T) {
	t.Chdir(t.TempDir())
	api := telegramtest.New(t)
	api.SetWebhookURL("https://elsewhere.example.org/hook")
	var out syncBuffer
	code := run(context.Background(), []string{"dev"}, env{stdout: &out, stderr: &out, getenv: devEnv(testdb.MigratedURL(t), api)})
	if code == 0 || !strings.Contains(out.String(), "webhook") {
		t.Fatalf("dev polled a bot with a webhook (exit %d):\n%s", code, out.String())
	}
}

// waitSent waits for the first sendMessage call, longer than telegramtest's
// own wait: starting dev under the race detector on a busy machine is slow.
func waitSent(t *testing.T, api *telegramtest.Server, limit time.Duration) []telegramtest.Call {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if sent := api.Sent(); len(sent) > 0 {
			return sent
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no answer within %v", limit)
	return nil
}
