package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/store"
	"tipline/testdb"
)

// reply queues one outbound row on the turn's conversation.
func reply(tx *store.Turn, c store.Conversation) {
	tx.QueueOutbound(store.Outbound{ConversationID: &c.ID, Channel: c.Channel, Kind: tipline.MessageBot,
		Body: "hi", Reply: tipline.Reply{Text: "hi"}, Now: time.Now()})
}

func answer(tx *store.Turn, c store.Conversation, _ int64, inserted bool) error {
	if inserted {
		reply(tx, c)
	}
	return nil
}

// TestGroupFailedTurnsDoNotLoseTheOthers: in one group, a turn whose fn
// fails and a turn whose queued write fails each get their own error and
// keep nothing; the turns before, between and after them commit.
func TestGroupFailedTurnsDoNotLoseTheOthers(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	boom := errors.New("flow failed")
	missing := int64(1 << 40)
	reruns, fallbacks := store.GroupReruns(), store.FastFallbacks()
	errs := store.RunTurnGroup(ctx, pool, []store.GroupTurn{
		{Start: start("a", "p1"), Fn: answer},
		{Start: start("b", "p2"), Fn: func(tx *store.Turn, c store.Conversation, _ int64, _ bool) error {
			reply(tx, c)
			return boom
		}},
		{Start: start("c", "p3"), Fn: func(tx *store.Turn, c store.Conversation, _ int64, _ bool) error {
			tx.QueueOutbound(store.Outbound{ConversationID: &missing, Channel: c.Channel, Kind: tipline.MessageBot,
				Body: "hi", Reply: tipline.Reply{Text: "hi"}, Now: time.Now()})
			return nil
		}},
		{Start: start("d", "p4"), Fn: func(tx *store.Turn, c store.Conversation, _ int64, _ bool) error {
			if _, err := tx.Exec(ctx, `SELECT 1/0`); err == nil {
				t.Error("division by zero succeeded")
			}
			return nil // a statement failed and fn said nothing: the turn still fails
		}},
		{Start: start("e", "p5"), Fn: answer},
	})
	if errs[0] != nil || errs[4] != nil {
		t.Errorf("the good turns failed: %v, %v", errs[0], errs[4])
	}
	if store.GroupReruns() != reruns {
		t.Error("the group failed as a whole; want only its failing turns rolled back to their savepoints")
	}
	if store.FastFallbacks() != fallbacks+1 {
		t.Error("the fast way did not fall back to the careful one")
	}
	if !errors.Is(errs[1], boom) {
		t.Errorf("turn with a failing flow: %v", errs[1])
	}
	if errs[2] == nil || !strings.Contains(errs[2].Error(), "save turn: queue outbound") {
		t.Errorf("turn with a failing write: %v", errs[2])
	}
	if errs[3] == nil {
		t.Error("turn with a failed statement committed")
	}
	var providers []string
	rows, _ := pool.Query(ctx, `SELECT provider_id FROM messages WHERE direction = 'in' ORDER BY provider_id`)
	for rows.Next() {
		var p string
		_ = rows.Scan(&p)
		providers = append(providers, p)
	}
	var out int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE direction = 'out'`).Scan(&out)
	if strings.Join(providers, ",") != "p1,p5" || out != 2 {
		t.Errorf("stored inbound %v and %d replies; want p1,p5 and 2", providers, out)
	}
}

// TestGroupDuplicatesAndOneConversationTwice: a delivery repeated inside
// one group is stored once and its repeat changes nothing; two messages
// of one conversation in one group run one after the other, the second
// seeing the first's state.
func TestGroupDuplicatesAndOneConversationTwice(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	var inserted []bool
	var states []string
	fn := func(tx *store.Turn, c store.Conversation, _ int64, ins bool) error {
		inserted = append(inserted, ins)
		states = append(states, string(c.State))
		if ins {
			reply(tx, c)
			tx.QueueConversationUpdate(store.ConversationUpdate{ID: c.ID, State: map[string]int{"n": len(states)},
				Now: time.Now(), Inbound: true})
		}
		return nil
	}
	a1, a2, dup := start("a", "p1"), start("a", "p2"), start("a", "p1")
	a2.Now = a1.Now.Add(time.Millisecond)
	errs := store.RunTurnGroup(ctx, pool, []store.GroupTurn{{Start: a1, Fn: fn}, {Start: dup, Fn: fn}, {Start: a2, Fn: fn},
		{Start: start("b", "q1"), Fn: fn}, {Start: start("b", "q1"), Fn: fn}})
	for i, err := range errs {
		if err != nil {
			t.Errorf("turn %d: %v", i, err)
		}
	}
	n := 0
	for _, ins := range inserted {
		if ins {
			n++
		}
	}
	if len(inserted) != 5 || n != 3 {
		t.Errorf("inserted %v; want three of five", inserted)
	}
	var in, out, convs int
	_ = pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE direction = 'in'), count(*) FILTER (WHERE direction = 'out'),
		count(DISTINCT conversation_id) FROM messages`).Scan(&in, &out, &convs)
	if in != 3 || out != 3 || convs != 2 {
		t.Errorf("%d inbound, %d replies, %d conversations; want 3, 3, 2", in, out, convs)
	}
	// Conversation a: its second message saw the state its first saved.
	seen := 0
	for _, s := range states {
		if strings.Contains(s, `"n"`) {
			seen++
		}
	}
	if seen < 2 {
		t.Errorf("states seen %q: a later turn of a conversation did not see the earlier one's", states)
	}
}

// TestGroupsInOppositeOrderDoNotDeadlock: two groups that start the same
// conversations in opposite arrival order, at the same time, both
// commit: a group locks its conversations in one fixed order.
func TestGroupsInOppositeOrderDoNotDeadlock(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	for _, s := range []string{"x", "y", "z"} { // the conversations exist
		if err := store.RunTurn(ctx, pool, start(s, "warm-"+s), answer); err != nil {
			t.Fatal(err)
		}
	}
	slow := func(tx *store.Turn, c store.Conversation, msgID int64, ins bool) error {
		time.Sleep(30 * time.Millisecond) // hold the lock while the other group starts
		return answer(tx, c, msgID, ins)
	}
	reruns, fallbacks := store.GroupReruns(), store.FastFallbacks()
	var wg sync.WaitGroup
	results := make([][]error, 2)
	for g, order := range [][]string{{"x", "y", "z"}, {"z", "y", "x"}} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var turns []store.GroupTurn
			for _, s := range order {
				turns = append(turns, store.GroupTurn{Start: start(s, s+"-"+order[0]), Fn: slow})
			}
			results[g] = store.RunTurnGroup(ctx, pool, turns)
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the two groups did not finish")
	}
	for g, errs := range results {
		for i, err := range errs {
			if err != nil {
				t.Errorf("group %d turn %d: %v", g, i, err)
			}
		}
	}
	if store.GroupReruns() != reruns || store.FastFallbacks() != fallbacks {
		t.Error("a group failed (a deadlock?) and ran its turns again")
	}
	var in int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE direction = 'in'`).Scan(&in)
	if in != 9 {
		t.Errorf("%d inbound messages; want 9", in)
	}
}

// TestGroupBrokenConnectionLosesNothing: when the group's connection dies
// in the middle, its turns run again one per transaction, and every one
// is stored once.
func TestGroupBrokenConnectionLosesNothing(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	killed := false
	reruns := store.GroupReruns()
	killer := func(tx *store.Turn, c store.Conversation, msgID int64, ins bool) error {
		if !killed {
			killed = true
			_, _ = tx.Exec(ctx, `SELECT pg_terminate_backend(pg_backend_pid())`)
		}
		return answer(tx, c, msgID, ins)
	}
	errs := store.RunTurnGroup(ctx, pool, []store.GroupTurn{{Start: start("a", "p1"), Fn: answer},
		{Start: start("b", "p2"), Fn: killer}, {Start: start("c", "p3"), Fn: answer}})
	if store.GroupReruns() != reruns+1 {
		t.Error("the group with a dead connection did not run its turns again")
	}
	for i, err := range errs {
		if err != nil {
			t.Errorf("turn %d: %v", i, err)
		}
	}
	wantMessages(t, pool, 3)
}

// TestConcurrentTurnsAllCommit: many RunTurn calls at once (grouped as
// they arrive) each commit once.
func TestConcurrentTurnsAllCommit(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 64)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := start(string(rune('a'+i%8)), "c"+string(rune('A'+i)))
			errs[i] = store.RunTurn(ctx, pool, s, answer)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("turn %d: %v", i, err)
		}
	}
	wantMessages(t, pool, 64)
}

// wantMessages checks that n inbound messages and n replies are stored.
func wantMessages(t *testing.T, pool *pgxpool.Pool, n int) {
	t.Helper()
	var in, out int
	err := pool.QueryRow(context.Background(), `SELECT count(*) FILTER (WHERE direction = 'in'),
		count(*) FILTER (WHERE direction = 'out') FROM messages`).Scan(&in, &out)
	if err != nil {
		t.Fatal(err)
	}
	if in != n || out != n {
		t.Errorf("%d inbound, %d replies; want %d and %d", in, out, n, n)
	}
}

// TestGroupFastWayShowsEarlierWrites: a group of different conversations
// goes the fast way, and a turn's statements see what the turns before it
// queued, as they would one turn after the other.
func TestGroupFastWayShowsEarlierWrites(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	fallbacks := store.FastFallbacks()
	var seen []int
	count := func(tx *store.Turn, c store.Conversation, msgID int64, ins bool) error {
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM messages WHERE direction = 'out'`).Scan(&n); err != nil {
			return err
		}
		seen = append(seen, n)
		return answer(tx, c, msgID, ins)
	}
	errs := store.RunTurnGroup(ctx, pool, []store.GroupTurn{{Start: start("a", "p1"), Fn: count},
		{Start: start("b", "p2"), Fn: count}, {Start: start("c", "p3"), Fn: count}})
	for i, err := range errs {
		if err != nil {
			t.Errorf("turn %d: %v", i, err)
		}
	}
	if store.FastFallbacks() != fallbacks {
		t.Error("a plain group did not go the fast way")
	}
	if len(seen) != 3 || seen[0] != 0 || seen[1] != 1 || seen[2] != 2 {
		t.Errorf("replies seen by each turn %v; want [0 1 2]", seen)
	}
}

// TestTurnStatementAfterAFailedWrite: a statement run at once reports the
// failure of a write queued before it, by name, and the turn keeps nothing.
func TestTurnStatementAfterAFailedWrite(t *testing.T) {
	pool := testdb.New(t)
	ctx := context.Background()
	missing := int64(1 << 40)
	var scanErr error
	err := store.RunTurn(ctx, pool, start("a", "p1"), func(tx *store.Turn, c store.Conversation, _ int64, _ bool) error {
		tx.QueueOutbound(store.Outbound{ConversationID: &missing, Channel: c.Channel, Kind: tipline.MessageBot,
			Body: "hi", Reply: tipline.Reply{Text: "hi"}, Now: time.Now()})
		var n int
		scanErr = tx.QueryRow(ctx, `SELECT 1`).Scan(&n)
		return scanErr
	})
	if scanErr == nil || !strings.Contains(scanErr.Error(), "save turn: queue outbound") || err == nil {
		t.Errorf("scan %v, turn %v; want the failed write named", scanErr, err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM messages`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d messages kept after a failed turn (%v)", n, err)
	}
}
