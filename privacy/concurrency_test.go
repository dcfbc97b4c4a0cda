package privacy_test

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tipline/privacy"
	"tipline/schedule"
	"tipline/seal"
	"tipline/store"
)

// TestTwoPurgesAndTurnsTogether runs two purges at once while senders
// whose conversations are due write again: every due row is deleted once
// (the counts add up), nothing deadlocks, and a sender who wrote keeps a
// live conversation.
func TestTwoPurgesAndTurnsTogether(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	const nConv, nTips, nTurns = 400, 200, 60
	idents := make([]string, nConv)
	for i := range nConv {
		idents[i] = fmt.Sprintf("+1212555%04d", i)
		k := w.contact("sms", idents[i], ago(40*day), true, false)
		w.conversation(k, "sms", "youth", ago(40*day))
	}
	for range nTips {
		w.tip(tipOpts{changed: ago(100 * day)})
	}
	var wg sync.WaitGroup
	var convs, tips atomic.Int64
	errs := make(chan error, 3+nTurns)
	for range 2 {
		wg.Go(func() {
			c, err := privacy.Purge(w.ctx, w.pool, testRetention, t0, 25)
			convs.Add(c.Conversations)
			tips.Add(c.Tips)
			errs <- err
		})
	}
	for i := range nTurns {
		wg.Go(func() { errs <- turnAt(w, idents[i*nConv/nTurns], fmt.Sprintf("turn-%d", i)) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if tips.Load() != nTips || w.count(`SELECT count(*) FROM tips`) != 0 {
		t.Errorf("purges deleted %d tips together, want %d", tips.Load(), nTips)
	}
	if n := w.count(`SELECT count(*) FROM conversations WHERE last_inbound_at < $1`, ago(30*day)); n != 0 {
		t.Errorf("%d due conversations survived", n)
	}
	alive := w.count(`SELECT count(*) FROM conversations`)
	if alive != nTurns {
		t.Errorf("%d conversations alive, want one per sender who wrote (%d)", alive, nTurns)
	}
	// Deleted once: what the two purges report is what disappeared of the
	// original rows (conversations of senders who wrote first survived).
	survivedOld := w.count(`SELECT count(*) FROM conversations WHERE created_at < $1`, ago(30*day))
	if convs.Load() != nConv-survivedOld {
		t.Errorf("purges report %d conversations, but %d of %d were deleted", convs.Load(), nConv-survivedOld, nConv)
	}
}

// turnAt runs a turn for a sender as the bot does (store.RunTurn and the
// conversation update) at t0.
func turnAt(w *world, ident, pid string) error {
	hashes := w.keys.HashAll("sms", ident)
	sealed, err := w.keys.Seal([]byte(ident), "contact:sms")
	if err != nil {
		return err
	}
	s := store.TurnStart{Channel: "sms", IDHash: hashes[0], IDSealed: sealed,
		Alias: seal.Alias(hashes[0]), PublicID: store.NewPublicID(), ProviderID: pid, Body: "hello", Now: t0}
	return store.RunTurn(w.ctx, w.pool, s, func(tx *store.Turn, c store.Conversation, _ int64, _ bool) error {
		tx.QueueConversationUpdate(store.ConversationUpdate{ID: c.ID, State: map[string]any{}, Kind: "youth", Now: t0, Inbound: true})
		return nil
	})
}

// TestSchedulerRunsOnceAcrossInstances: the instance that holds the lock
// purges; the others skip; nobody purges again within the hour.
func TestSchedulerRunsOnceAcrossInstances(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	now := t0
	clock := func() time.Time { return now }
	jobs := privacy.Jobs{Pool: w.pool, Retention: testRetention}.Schedule()
	a := &schedule.Scheduler{Pool: w.pool, Jobs: jobs, Now: clock}
	b := &schedule.Scheduler{Pool: w.pool, Jobs: jobs, Now: clock}
	release, err := schedule.Hold(w.ctx, w.pool, privacy.Lock)
	if err != nil {
		t.Fatal("lock", err)
	}
	if ran, err := a.RunDue(w.ctx); ran > 0 || err != nil {
		t.Fatalf("ran while another instance held the lock: %v", err)
	}
	release()
	due := func() int64 {
		return w.conversation(w.contact("sms", "+1"+randHex(5), ago(31*day), true, false), "sms", "youth", ago(31*day))
	}
	first := due()
	if ran, err := a.RunDue(w.ctx); ran == 0 || err != nil || w.exists("conversations", first) {
		t.Fatalf("first run: ran %v, err %v, conversation left %v", ran, err, w.exists("conversations", first))
	}
	second := due()
	now = t0.Add(30 * time.Minute)
	if _, err := b.RunDue(w.ctx); err != nil || !w.exists("conversations", second) {
		t.Fatalf("the other instance purged again within the hour: %v", err)
	}
	now = t0.Add(61 * time.Minute)
	if _, err := b.RunDue(w.ctx); err != nil || w.exists("conversations", second) {
		t.Fatalf("no purge after the hour: %v", err)
	}
}
