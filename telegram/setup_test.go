package telegram

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"tipline/telegram/telegramtest"
)

// TestSetupRetriesUntilTelegramAnswers: getMe fails (500, then a 429
// asking for 7 s), the webhook step fails twice; each is retried with
// growing delays until it succeeds, and Run then returns nil.
func TestSetupRetriesUntilTelegramAnswers(t *testing.T) {
	api := telegramtest.New(t)
	api.FailNext(2, telegramtest.ServerError().On("getMe"))
	api.FailNext(1, telegramtest.TooManyRequests(7).On("getMe"))
	sleep := &fakeSleep{}
	hookTries := 0
	s := &Setup{Client: newClient(t, api), Sleep: sleep.sleep, Webhook: func(ctx context.Context) error {
		if hookTries++; hookTries <= 2 {
			return errors.New("database busy")
		}
		return nil
	}}
	if err := s.Run(context.Background()); err != nil {
		t.Fatalf("Run = %v", err)
	}
	want := []time.Duration{time.Second, 2 * time.Second, 7 * time.Second, time.Second, 2 * time.Second}
	if got := sleep.got(); !reflect.DeepEqual(got, want) {
		t.Fatalf("sleeps = %v, want %v", got, want)
	}
	if n := len(api.CallsTo("getMe")); n != 4 || hookTries != 3 {
		t.Fatalf("%d getMe calls, %d webhook tries", n, hookTries)
	}
}

// TestSetupGivesUpOnlyWithItsContext: a rejected token is retried (at up to
// MaxBackoff) until the context ends.
func TestSetupGivesUpOnlyWithItsContext(t *testing.T) {
	api := telegramtest.New(t)
	api.FailNext(1000, telegramtest.Failure{Method: "getMe", Code: 401, Description: "Unauthorized"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sleep := &fakeSleep{}
	sleep.onSleep = func(time.Duration) {
		if len(sleep.got()) == 12 {
			cancel()
		}
	}
	s := &Setup{Client: newClient(t, api), Sleep: sleep.sleep, MaxBackoff: 30 * time.Second}
	if err := s.Run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	if got := sleep.got(); got[len(got)-1] != 30*time.Second {
		t.Errorf("sleeps = %v, want capped at 30s", got)
	}
}
