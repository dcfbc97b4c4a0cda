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

// TestDevRefusesBotWithWebhook: dev never polls a bot that has a webhook
// (nor deletes it): it says so at error level and keeps running, so that
// start-up never depends on Telegram (issue 15).
func TestDevRefusesBotWithWebhook(t *testing.T) {
	t.Chdir(t.TempDir())
	api := telegramtest.New(t)
	const hook = "https://elsewhere.example.org/hook"
	api.SetWebhookURL(hook)
	api.AddUpdate(telegramtest.TextUpdate(1, 31337, "hello"))
	ctx, cancel := context.WithCancel(context.Background())
	var out syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"dev"}, env{stdout: &out, stderr: &out, getenv: devEnv(testdb.MigratedURL(t), api)})
	}()
	deadline := time.Now().Add(90 * time.Second)
	for !strings.Contains(out.String(), "has a webhook set") {
		if time.Now().After(deadline) {
			t.Fatalf("dev did not report the webhook:\n%s", out.String())
		}
		time.Sleep(50 * time.Millisecond)
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
	if len(api.Sent()) != 0 || len(api.Pending()) != 1 || api.Webhook().URL != hook {
		t.Fatalf("dev polled the bot or removed its webhook: %d sent, %d pending, webhook %q",
			len(api.Sent()), len(api.Pending()), api.Webhook().URL)
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
