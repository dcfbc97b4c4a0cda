package telegram

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"tipline"
	"tipline/telegram/telegramtest"
)

// fakeLock denies the lock a number of times, then grants it.
type fakeLock struct {
	mu       sync.Mutex
	denials  int
	tries    int
	released int
}

func (l *fakeLock) TryLock(context.Context) (func(), bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.tries++
	if l.denials > 0 {
		l.denials--
		return nil, false, nil
	}
	return func() { l.mu.Lock(); l.released++; l.mu.Unlock() }, true, nil
}

// fakeSleep records delays instead of waiting.
type fakeSleep struct {
	mu      sync.Mutex
	ds      []time.Duration
	onSleep func(d time.Duration) // called (outside the lock) on each sleep when set
}

func (s *fakeSleep) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.ds = append(s.ds, d)
	s.mu.Unlock()
	if s.onSleep != nil {
		s.onSleep(d)
	}
	return ctx.Err()
}

func (s *fakeSleep) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.ds...)
}

// pollerRig runs a Poller against a fake Bot API.
type pollerRig struct {
	api   *telegramtest.Server
	lock  *fakeLock
	sleep *fakeSleep
	p     *Poller
}

// newRig builds a poller for api (a new fake when nil).
func newRig(t *testing.T, api *telegramtest.Server, onMember func(context.Context, Update) error) *pollerRig {
	t.Helper()
	if api == nil {
		api = telegramtest.New(t)
	}
	r := &pollerRig{api: api, lock: &fakeLock{}, sleep: &fakeSleep{}}
	p, err := NewPoller(newClient(t, r.api), r.lock, PollerConfig{
		Timeout: time.Second, Sleep: r.sleep.sleep, OnMember: onMember,
		Now: func() time.Time { return fixedNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	r.p = p
	return r
}

// run starts Run in the background; wait returns its error.
func (r *pollerRig) run(ctx context.Context, handle func(context.Context, tipline.Inbound) error,
	ignored func(int)) (wait func() error) {
	done := make(chan error, 1)
	go func() { done <- r.p.Run(ctx, handle, ignored) }()
	return func() error {
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			return errors.New("poller did not stop")
		}
	}
}

func TestPollerOffsetAdvancesOnlyAfterHandle(t *testing.T) {
	r := newRig(t, nil, nil)
	r.api.AddUpdate(telegramtest.TextUpdate(1, 42, "one"))
	r.api.AddUpdate(`{"update_id":2,"edited_message":{"message_id":1,"date":1,"chat":{"id":42,"type":"private"},"text":"x"}}`)
	r.api.AddUpdate(telegramtest.TextUpdate(3, 42, "three"))
	r.api.AddUpdate(telegramtest.BlockedUpdate(4, 42))
	var mu sync.Mutex
	var handled, ignored []int64
	fails := 2
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	wait := r.run(ctx, func(_ context.Context, in tipline.Inbound) error {
		mu.Lock()
		defer mu.Unlock()
		handled = append(handled, in.Seq)
		if in.ReceivedAt != fixedNow || in.SenderID != "42" {
			t.Errorf("inbound = %+v", in)
		}
		if in.Seq == 3 && fails > 0 {
			fails--
			return errors.New("store busy")
		}
		return nil
	}, func(id int) { mu.Lock(); ignored = append(ignored, int64(id)); mu.Unlock() })
	r.api.WaitCalls(t, "getUpdates", 2)
	cancel()
	if err := wait(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if !reflect.DeepEqual(handled, []int64{1, 3, 3, 3}) || !reflect.DeepEqual(ignored, []int64{2, 4}) {
		t.Fatalf("handled %v ignored %v", handled, ignored)
	}
	if got := r.sleep.got(); !reflect.DeepEqual(got, []time.Duration{time.Second, 2 * time.Second}) {
		t.Errorf("backoff = %v", got)
	}
	if off := r.api.Offsets(); off[0] != 0 || off[1] != 5 {
		t.Errorf("offsets = %v", off)
	}
	if len(r.api.Pending()) != 0 {
		t.Errorf("pending = %v", r.api.Pending())
	}
	if g := r.api.CallsTo("getUpdates")[0]; g.Get("allowed_updates") != `["message","callback_query","my_chat_member"]` ||
		g.Get("timeout") != "1" {
		t.Errorf("getUpdates params = %v", g.Params)
	}
}

func TestPollerNeverSkipsAFailingUpdate(t *testing.T) {
	r := newRig(t, nil, nil)
	r.api.AddUpdate(telegramtest.TextUpdate(1, 42, "one"))
	r.api.AddUpdate(telegramtest.TextUpdate(2, 42, "two"))
	ctx, cancel := context.WithCancel(context.Background())
	attempts := 0
	wait := r.run(ctx, func(_ context.Context, in tipline.Inbound) error {
		if in.Seq == 2 {
			if attempts++; attempts == 3 {
				cancel() // the process dies while update 2 still fails
			}
			return errors.New("fails")
		}
		return nil
	}, nil)
	if err := wait(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	for _, off := range r.api.Offsets() {
		if off > 2 {
			t.Fatalf("offset %d confirmed the failing update 2", off)
		}
	}
	// A new poller gets update 2 again (and update 1, never confirmed: at
	// least once; the store's unique key drops the repeat).
	r2 := newRig(t, r.api, nil)
	var got []int64
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	wait2 := r2.run(ctx2, func(_ context.Context, in tipline.Inbound) error {
		if got = append(got, in.Seq); in.Seq == 2 {
			cancel2()
		}
		return nil
	}, nil)
	_ = wait2()
	if !reflect.DeepEqual(got, []int64{1, 2}) {
		t.Fatalf("second run handled %v", got)
	}
}

// TestPollerWaitsOutAWebhook: a bot with a webhook is never polled for
// updates nor has its webhook deleted; getUpdates' 409 is retried every
// WebhookRetry, with the lock kept, and polling resumes once the webhook
// is gone. Nothing is asked before the first getUpdates.
func TestPollerWaitsOutAWebhook(t *testing.T) {
	r := newRig(t, nil, nil)
	r.api.SetWebhookURL("https://tipline.example.org/webhooks/telegram")
	r.api.AddUpdate(telegramtest.TextUpdate(5, 42, "hello"))
	conflicts := 0
	r.sleep.onSleep = func(d time.Duration) {
		if d == time.Minute {
			if conflicts++; conflicts == 3 {
				r.api.SetWebhookURL("") // the operator deleted it
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var got []int64
	wait := r.run(ctx, func(_ context.Context, in tipline.Inbound) error {
		got = append(got, in.Seq)
		cancel()
		return nil
	}, nil)
	if err := wait(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	if !reflect.DeepEqual(got, []int64{5}) || conflicts != 3 {
		t.Fatalf("handled %v after %d conflicts", got, conflicts)
	}
	if n := len(r.api.CallsTo("getWebhookInfo")) + len(r.api.CallsTo("deleteWebhook")); n != 0 {
		t.Errorf("the poller asked about or deleted the webhook (%d calls)", n)
	}
	if r.lock.tries != 1 || r.lock.released != 1 {
		t.Errorf("lock tries %d released %d", r.lock.tries, r.lock.released)
	}
}

// TestPollerPausesWhenWebhookAppears: a webhook set while polling pauses
// the poller (it does not stop); polling resumes when it goes.
func TestPollerPausesWhenWebhookAppears(t *testing.T) {
	r := newRig(t, nil, nil)
	r.sleep.onSleep = func(d time.Duration) {
		if d == time.Minute {
			r.api.SetWebhookURL("")
			r.api.AddUpdate(telegramtest.TextUpdate(8, 42, "after"))
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	wait := r.run(ctx, func(context.Context, tipline.Inbound) error { cancel(); return nil }, nil)
	r.api.WaitCalls(t, "getUpdates", 1)
	r.api.SetWebhookURL("https://elsewhere.example/hook")
	if err := wait(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	if got := r.sleep.got(); len(got) == 0 || got[0] != time.Minute {
		t.Errorf("sleeps = %v, want a minute's pause first", got)
	}
	if r.lock.released != 1 {
		t.Errorf("lock released %d times", r.lock.released)
	}
}

// TestPollerStartsWhileTelegramIsDown: the Bot API failing at start only
// delays polling, with growing delays.
func TestPollerStartsWhileTelegramIsDown(t *testing.T) {
	r := newRig(t, nil, nil)
	r.api.FailNext(3, telegramtest.ServerError())
	r.api.AddUpdate(telegramtest.TextUpdate(1, 42, "hi"))
	ctx, cancel := context.WithCancel(context.Background())
	wait := r.run(ctx, func(context.Context, tipline.Inbound) error { cancel(); return nil }, nil)
	if err := wait(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	if got, want := r.sleep.got(), []time.Duration{time.Second, 2 * time.Second, 4 * time.Second}; !reflect.DeepEqual(got, want) {
		t.Fatalf("sleeps = %v, want %v", got, want)
	}
}

func TestPollerWaitsForLockAndBacksOff(t *testing.T) {
	r := newRig(t, nil, nil)
	r.lock.denials = 2
	r.api.FailNext(1, telegramtest.TooManyRequests(7).On("getUpdates"))
	r.api.FailNext(2, telegramtest.ServerError().On("getUpdates"))
	r.api.AddUpdate(telegramtest.TextUpdate(9, 42, "hi"))
	ctx, cancel := context.WithCancel(context.Background())
	wait := r.run(ctx, func(context.Context, tipline.Inbound) error { cancel(); return nil }, nil)
	if err := wait(); !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v", err)
	}
	want := []time.Duration{10 * time.Second, 10 * time.Second, 7 * time.Second, 2 * time.Second, 4 * time.Second}
	if got := r.sleep.got(); !reflect.DeepEqual(got, want) {
		t.Fatalf("sleeps = %v, want %v", got, want)
	}
	if r.lock.tries != 3 || r.lock.released != 1 {
		t.Fatalf("lock tries %d released %d", r.lock.tries, r.lock.released)
	}
}

func TestPollerOnMember(t *testing.T) {
	var got []Update
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := newRig(t, nil, func(_ context.Context, u Update) error { got = append(got, u); cancel(); return nil })
	r.api.AddUpdate(telegramtest.BlockedUpdate(11, 42))
	_ = r.run(ctx, func(context.Context, tipline.Inbound) error { return nil }, nil)()
	if len(got) != 1 || got[0].Kind != KindBlocked || got[0].Inbound.SenderID != "42" || got[0].ID != 11 {
		t.Fatalf("members = %+v", got)
	}
}
