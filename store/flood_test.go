package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/flood"
	"tipline/store"
	"tipline/testdb"
)

// floodTurn runs one turn of sender at now the way bot's does: it takes
// from the flood bucket and sets last_inbound_at.
func floodTurn(t *testing.T, pool *pgxpool.Pool, g flood.Guard, sender, pid string, now time.Time) (over, tell bool) {
	t.Helper()
	s := start(sender, pid)
	s.Now = now
	err := store.RunTurn(context.Background(), pool, s, func(tx *store.Turn, c store.Conversation, _ int64, _ bool) error {
		over, tell = tx.TakeFlood(g, c, now)
		tx.QueueConversationUpdate(store.ConversationUpdate{ID: c.ID, State: map[string]any{}, Now: now, Inbound: true})
		return nil
	})
	if err != nil {
		t.Error(err) // not Fatal: some callers run in goroutines
		return true, false
	}
	return over, tell
}

// twoInstances opens two pools on one fresh database, as two instances
// of tipline serve have.
func twoInstances(t *testing.T) (a, b *pgxpool.Pool) {
	url := testdb.MigratedURL(t)
	for _, p := range []**pgxpool.Pool{&a, &b} {
		pool, err := store.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		*p = pool
	}
	return a, b
}

// TestFloodBucketSharedByInstances: a sender whose messages alternate
// between two instances gets Burst answers in all, not Burst on each;
// told once; refilled at PerMinute whichever instance answers.
func TestFloodBucketSharedByInstances(t *testing.T) {
	t.Parallel()
	a, b := twoInstances(t)
	g := flood.Guard{PerMinute: 6, Burst: 3}
	t0 := time.Date(2026, 3, 14, 18, 0, 0, 0, time.UTC)
	pools := []*pgxpool.Pool{a, b}
	var got []string
	for i := range 6 {
		over, tell := floodTurn(t, pools[i%2], g, "f", fmt.Sprint("m", i), t0.Add(time.Duration(i)*time.Second))
		got = append(got, fmt.Sprint(over, tell))
	}
	want := []string{"false false", "false false", "false false", "true true", "true false", "true false"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("over, tell per message: %v; want %v", got, want)
	}
	// 3 taken by t0+2s; 10 s at 6 a minute is one token.
	if over, _ := floodTurn(t, a, g, "f", "m6", t0.Add(12*time.Second)); over {
		t.Error("no answer after a token refilled")
	}
	if over, tell := floodTurn(t, b, g, "f", "m7", t0.Add(12*time.Second)); !over || !tell {
		t.Errorf("a new flood: over %v, tell %v; want held back and told", over, tell)
	}
}

// TestFloodConcurrentTurnsTakeOnce: the first messages of a new sender
// arriving at once on two instances take from the bucket one at a time
// (the turn's row lock), so exactly Burst are answered.
func TestFloodConcurrentTurnsTakeOnce(t *testing.T) {
	t.Parallel()
	a, b := twoInstances(t)
	g := flood.Guard{PerMinute: 6, Burst: 3}
	now := time.Now()
	var mu sync.Mutex
	answered := 0
	var wg sync.WaitGroup
	for i := range 10 {
		pool := []*pgxpool.Pool{a, b}[i%2]
		wg.Go(func() {
			if over, _ := floodTurn(t, pool, g, "c", fmt.Sprint("c", i), now); !over {
				mu.Lock()
				answered++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if answered != 3 {
		t.Errorf("%d of 10 concurrent messages answered; want 3 (Burst)", answered)
	}
}

// TestFloodBucketRidesTheConversation: the bucket is stored on the
// conversation by the turn's update: a calm sender's turns leave it full
// less one; a quick one takes from what is stored; a rolled-back turn
// takes nothing.
func TestFloodBucketRidesTheConversation(t *testing.T) {
	t.Parallel()
	pool := testdb.New(t)
	ctx := context.Background()
	g := flood.Guard{PerMinute: 6, Burst: 3}
	t0 := time.Date(2026, 3, 14, 18, 0, 0, 0, time.UTC)
	tokens := func() float64 {
		var v float64
		if err := pool.QueryRow(ctx, `SELECT coalesce(flood_tokens, -1) FROM conversations`).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	for i := range 3 {
		floodTurn(t, pool, g, "k", fmt.Sprint("k", i), t0.Add(time.Duration(i)*time.Minute))
	}
	if v := tokens(); v != 2 {
		t.Fatalf("after calm messages: %v tokens stored; want 2 (full, less the message)", v)
	}
	floodTurn(t, pool, g, "k", "k3", t0.Add(2*time.Minute))
	if v := tokens(); v != 1 {
		t.Fatalf("after a quick message: %v tokens; want 1 (3, less 2)", v)
	}
	s := start("k", "k4")
	s.Now = t0.Add(2 * time.Minute)
	boom := errors.New("boom")
	err := store.RunTurn(ctx, pool, s, func(tx *store.Turn, c store.Conversation, _ int64, _ bool) error {
		tx.TakeFlood(g, c, s.Now)
		tx.QueueConversationUpdate(store.ConversationUpdate{ID: c.ID, State: map[string]any{}, Now: s.Now, Inbound: true})
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if v := tokens(); v != 1 {
		t.Fatalf("a rolled-back turn took a token: %v left", v)
	}
}
