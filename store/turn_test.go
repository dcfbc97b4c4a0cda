package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"tipline"
	"tipline/store"
	"tipline/testdb"
)

// start is a turn's first statement for sender.
func start(sender, providerID string) store.TurnStart {
	return store.TurnStart{Channel: tipline.ChannelSMS, IDHash: []byte(sender), IDSealed: []byte{1, 2, 3, 4, 5},
		Alias: "R-" + sender, PublicID: store.NewPublicID(), ProviderID: providerID, Now: time.Now()}
}

// TestTurnCommitsQueuedWritesAndIgnoresRetries: the queued writes land
// with COMMIT; the same provider id again is a retry that changes nothing.
func TestTurnCommitsQueuedWritesAndIgnoresRetries(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	for i, want := range []bool{true, false} {
		err := store.RunTurn(ctx, pool, start("a", "p1"), func(tx *store.Turn, c store.Conversation, msgID int64, inserted bool) error {
			if inserted != want {
				t.Errorf("turn %d: inserted %v", i, inserted)
			}
			if !inserted {
				return nil
			}
			tx.QueueInboundBody(msgID, "hello")
			tx.QueueOutbound(store.Outbound{ConversationID: &c.ID, Channel: c.Channel, Kind: tipline.MessageBot,
				Body: "hi", Reply: tipline.Reply{Text: "hi"}, Now: time.Now()})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var in, out int
	if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE direction = 'in' AND body = 'hello'),
		count(*) FILTER (WHERE direction = 'out') FROM messages`).Scan(&in, &out); err != nil || in != 1 || out != 1 {
		t.Errorf("inbound %d, outbound %d (%v); want 1 and 1", in, out, err)
	}
}

// TestTurnReportsAFailedQueuedWriteByName: a queued write that fails is
// reported as itself, from the commit, and nothing of the turn stays.
func TestTurnReportsAFailedQueuedWriteByName(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	missing := int64(1 << 40)
	err := store.RunTurn(ctx, pool, start("b", "p2"), func(tx *store.Turn, c store.Conversation, msgID int64, _ bool) error {
		tx.QueueInboundBody(msgID, "hello")
		tx.QueueOutbound(store.Outbound{ConversationID: &missing, Channel: c.Channel, Kind: tipline.MessageBot,
			Body: "hi", Reply: tipline.Reply{Text: "hi"}, Now: time.Now()})
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "save turn: queue outbound") {
		t.Fatalf("error %v; want the failed outbound write named", err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM messages`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d messages kept after a failed turn (%v)", n, err)
	}
}
