package outbox_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"tipline"
	"tipline/outbox"
	"tipline/seal"
	"tipline/store"
	"tipline/testdb"
)

// held is a provider whose first send (every send, with every set) waits
// until released, so that deliveries stay under way; it reports every
// send's recipient as the send starts.
type held struct {
	scripted
	every   bool
	first   atomic.Bool
	release chan struct{}
	sends   chan string
}

func (p *held) Send(ctx context.Context, to string, r tipline.Reply, o tipline.SendOptions) (string, error) {
	p.sends <- to
	if p.first.CompareAndSwap(false, true) || p.every {
		<-p.release
	}
	return p.scripted.Send(ctx, to, r, o)
}

// Under load the worker gathers replies between claims (Worker.Gather),
// but a crisis reply ends the wait: it goes out at once while an ordinary
// reply queued before it is still gathering.
func TestCrisisReplyEndsTheGather(t *testing.T) {
	pool := testdb.New(t)
	keys, err := seal.ParseKeys(seal.GenerateKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &held{release: make(chan struct{}), sends: make(chan string, 8)}
	wake, urgent := make(chan struct{}, 1), make(chan struct{}, 1)
	w := &outbox.Worker{Pool: pool, Keys: keys, Clock: tipline.NewFakeClock(t0),
		Providers: map[tipline.Channel]tipline.Provider{tipline.ChannelSMS: p},
		Gather:    time.Hour, Urgent: urgent}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx, wake, time.Hour); close(done) }()
	defer func() { close(p.release); cancel(); <-done }()
	expect := func(want string) {
		t.Helper()
		select {
		case got := <-p.sends:
			if got != want {
				t.Fatalf("sent to %s, want %s", got, want)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("nothing sent to %s", want)
		}
	}

	queued(t, pool, keys, "+12125550101")
	wake <- struct{}{}
	expect("+12125550101") // under way, held by the provider

	queued(t, pool, keys, "+12125550102")
	wake <- struct{}{}
	select {
	case got := <-p.sends:
		t.Fatalf("sent to %s while gathering", got)
	case <-time.After(300 * time.Millisecond):
	}

	crisis := queued(t, pool, keys, "+12125550103")
	if _, err := pool.Exec(ctx, `UPDATE messages SET priority = 1 WHERE conversation_id = $1`, crisis); err != nil {
		t.Fatal(err)
	}
	urgent <- struct{}{}
	expect("+12125550103") // the crisis reply first,
	expect("+12125550102") // then the gathered one, claimed with it
	if n := pendingCount(t, pool); n != 0 {
		t.Fatalf("%d replies still pending", n)
	}
}

func pendingCount(t *testing.T, pool *store.Pool) int {
	t.Helper()
	var n int
	for range 100 {
		if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM messages
			WHERE direction = 'out' AND status NOT IN ('sent', 'sending')`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	return n
}

// A worker keeps up to FlightBatches batches of sends under way while a
// provider is slow, and claims the rest as places free: no more, and none
// left behind.
func TestFlightHoldsFlightBatches(t *testing.T) {
	pool := testdb.New(t)
	keys, err := seal.ParseKeys(seal.GenerateKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	const batch = 2
	limit := outbox.FlightBatches * batch
	total := limit + 3
	p := &held{every: true, release: make(chan struct{}), sends: make(chan string, total)}
	for i := range total {
		queued(t, pool, keys, fmt.Sprintf("+1212555%04d", i))
	}
	w := &outbox.Worker{Pool: pool, Keys: keys, Clock: tipline.NewFakeClock(t0), Batch: batch,
		Providers: map[tipline.Channel]tipline.Provider{tipline.ChannelSMS: p}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { w.Run(ctx, make(chan struct{}), 50*time.Millisecond); close(done) }()
	defer func() { cancel(); <-done }()

	for i := range limit {
		select {
		case <-p.sends:
		case <-time.After(10 * time.Second):
			t.Fatalf("%d sends under way, want %d", i, limit)
		}
	}
	select {
	case <-p.sends:
		t.Fatalf("more than %d sends under way", limit)
	case <-time.After(300 * time.Millisecond): // several polls
	}
	close(p.release)
	for i := range total - limit {
		select {
		case <-p.sends:
		case <-time.After(10 * time.Second):
			t.Fatalf("%d of the last %d replies never sent", total-limit-i, total-limit)
		}
	}
	if n := pendingCount(t, pool); n != 0 {
		t.Fatalf("%d replies still pending", n)
	}
}
