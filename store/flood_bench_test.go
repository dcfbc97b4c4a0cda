package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"tipline/flood"
	"tipline/store"
	"tipline/testdb"
)

// BenchmarkTurnFlood is a minimal turn (start, conversation update,
// commit) of 64 senders in turn, without the flood guard, with it for
// senders whose previous message is older than the refill time (no
// statement), and for quick senders (the bucket read at once and written
// with COMMIT): what the shared guard adds to a turn.
func BenchmarkTurnFlood(b *testing.B) {
	for _, c := range []struct {
		name  string
		guard bool
		gap   time.Duration // between two messages of one sender
	}{{"none", false, time.Second}, {"calm", true, time.Minute}, {"quick", true, time.Second}} {
		b.Run(c.name, func(b *testing.B) {
			pool := testdb.New(b)
			ctx := context.Background()
			g := flood.Guard{PerMinute: 1e6, Burst: 1e6} // never over: every turn takes the full path
			t0 := time.Date(2026, 3, 14, 18, 0, 0, 0, time.UTC)
			i := 0
			for b.Loop() {
				s := start("s"+strconv.Itoa(i%64), "p"+strconv.Itoa(i))
				s.Now = t0.Add(time.Duration(i/64) * c.gap)
				err := store.RunTurn(ctx, pool, s, func(tx *store.Turn, cv store.Conversation, _ int64, _ bool) error {
					if c.guard {
						if _, _, err := tx.TakeFlood(ctx, g, cv, s.Now); err != nil {
							return err
						}
					}
					tx.QueueConversationUpdate(store.ConversationUpdate{ID: cv.ID, State: map[string]any{}, Now: s.Now, Inbound: true})
					return nil
				})
				if err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}
