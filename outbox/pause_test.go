package outbox_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"tipline"
	"tipline/outbox"
	"tipline/risk"
	"tipline/seal"
	"tipline/store"
	"tipline/testdb"
)

// Provider pauses and deadlines on a FakeClock (docs/design.md, section 2).

// counting is a provider that refuses every send while failing is set,
// and counts the calls it refused and the sends it took, in order.
type counting struct {
	scripted
	ch      tipline.Channel // "" = sms
	rate    float64         // sends a second on one key; 0 = no limit
	onSend  func()          // called on each send, before its answer
	mu2     sync.Mutex
	failing error
	refused int
	order   []string // texts, in the order they were taken
}

func (p *counting) Channel() tipline.Channel {
	if p.ch == "" {
		return tipline.ChannelSMS
	}
	return p.ch
}

func (p *counting) Limits(string, tipline.Reply) []tipline.Rate {
	if p.rate == 0 {
		return nil
	}
	return []tipline.Rate{{Key: "sms:sender", Units: 1, PerSecond: p.rate}}
}

func (p *counting) Send(ctx context.Context, to string, r tipline.Reply, o tipline.SendOptions) (string, error) {
	if p.onSend != nil {
		p.onSend()
	}
	p.mu2.Lock()
	defer p.mu2.Unlock()
	if p.failing != nil {
		p.refused++
		return "", p.failing
	}
	p.order = append(p.order, r.Text)
	return p.scripted.Send(ctx, to, r, o)
}

func (p *counting) set(err error) {
	p.mu2.Lock()
	p.failing = err
	p.mu2.Unlock()
}

func (p *counting) counts() (refused, taken int) {
	p.mu2.Lock()
	defer p.mu2.Unlock()
	return p.refused, len(p.order)
}

// queueReply queues one reply to a new SMS sender, as a turn does.
func queueReply(t *testing.T, pool *store.Pool, keys *seal.Keys, sender, text string, crisis bool, now time.Time) int64 {
	t.Helper()
	hashes := keys.HashAll("sms", sender)
	sealed, err := keys.Seal([]byte(sender), "contact:sms")
	if err != nil {
		t.Fatal(err)
	}
	var convID int64
	expires := now.Add(tipline.YouthValidity)
	s := store.TurnStart{Channel: tipline.ChannelSMS, IDHash: hashes[0], IDSealed: sealed, Alias: seal.Alias(hashes[0]),
		PublicID: store.NewPublicID(), ProviderID: "SM-in-" + store.NewPublicID(), Now: now}
	err = store.RunTurn(context.Background(), pool, s, func(tx *store.Turn, c store.Conversation, msgID int64, _ bool) error {
		convID = c.ID
		if crisis { // the turn records danger; its replies are crisis replies (bot/turn.go)
			tx.QueueRisk(store.RiskRecord{ConversationID: c.ID, MessageID: msgID, Now: now,
				Decision: risk.Decision{Level: risk.Danger, Categories: []risk.Category{risk.SelfHarm}}})
		}
		tx.QueueOutbound(store.Outbound{ConversationID: &c.ID, Channel: tipline.ChannelSMS, Kind: tipline.MessageBot,
			Body: text, Reply: tipline.Reply{Text: text}, ExpiresAt: &expires, Crisis: crisis, Now: now})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return convID
}

func pauseRig(t *testing.T) (*store.Pool, *seal.Keys, *tipline.FakeClock, *counting) {
	t.Helper()
	keys, err := seal.ParseKeys(seal.GenerateKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return testdb.New(t), keys, tipline.NewFakeClock(t0), &counting{}
}

func newWorker(pool *store.Pool, keys *seal.Keys, clock tipline.Clock, p tipline.Provider) *outbox.Worker {
	return &outbox.Worker{Pool: pool, Keys: keys, Clock: clock, Metrics: outbox.NewMetrics(nil),
		Providers: map[tipline.Channel]tipline.Provider{tipline.ChannelSMS: p},
		Pages:     map[string]string{"telegram": "-100200300"}}
}

func runOnce(t *testing.T, w *outbox.Worker) int {
	t.Helper()
	n, err := w.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRateLimitPausesEveryMessageOnEveryInstance: a 429 with Retry-After:
// 1 s for 60 s, two workers (two instances), a reply queued every 5 s and
// a crisis reply at 30 s: about one refused call a second in all (the
// probe), never more than two in one second, nothing sent before the
// end; then everything goes, the crisis reply first, and the pause metric
// went up.
func TestRateLimitPausesEveryMessageOnEveryInstance(t *testing.T) {
	t.Parallel()
	pool, keys, clock, p := pauseRig(t)
	p.set(&tipline.SendError{Failure: tipline.SendRetryAfter, RetryAfter: time.Second, Code: "20429"})
	w1, w2 := newWorker(pool, keys, clock, p), newWorker(pool, keys, clock, p)
	perSecond := map[int]int{}
	crisisAt := t0.Add(30 * time.Second)
	for ms := 0; ms < 60_000; ms += 250 {
		clock.Advance(250 * time.Millisecond)
		if ms%5000 == 0 && ms < 50_000 {
			queueReply(t, pool, keys, "+1202555030"+string(rune('0'+ms/5000)), "normal", false, clock.Now())
		}
		if clock.Now().Equal(crisisAt) {
			queueReply(t, pool, keys, "+12025550399", "crisis", true, clock.Now())
		}
		before, _ := p.counts()
		runOnce(t, w1)
		runOnce(t, w2)
		after, taken := p.counts()
		perSecond[ms/1000] += after - before
		if taken != 0 {
			t.Fatalf("%d sent during the outage", taken)
		}
	}
	total := 0
	for s, n := range perSecond {
		total += n
		if n > 2 {
			t.Errorf("second %d: %d refused calls, want at most 2", s, n)
		}
	}
	if total < 30 || total > 65 {
		t.Errorf("%d refused calls in 60 s, want about one a second", total)
	}
	if v := testutil.ToFloat64(w1.Metrics.Paused.WithLabelValues("sms")) + testutil.ToFloat64(w2.Metrics.Paused.WithLabelValues("sms")); v == 0 {
		t.Error("tipline_provider_paused stayed 0 during the outage")
	}
	p.set(nil)
	for range 160 { // 40 s: the longest backoff of a row is 30 s
		clock.Advance(250 * time.Millisecond)
		runOnce(t, w1)
		runOnce(t, w2)
	}
	if _, taken := p.counts(); taken != 11 {
		t.Fatalf("%d of 11 replies sent after the outage", taken)
	}
	if p.order[0] != "crisis" && p.order[1] != "crisis" {
		t.Errorf("the crisis reply went out %q; want it first after the pause (or right after the probe)", p.order)
	}
	pauses, err := store.ProviderPauses(context.Background(), pool)
	if err != nil || len(pauses) != 0 {
		t.Errorf("pauses after the outage: %+v, %v", pauses, err)
	}
}

// TestClaimTakesCrisisRepliesAndPagesFirst: older ordinary replies wait
// while a crisis reply and a page are claimed.
func TestClaimTakesCrisisRepliesAndPagesFirst(t *testing.T) {
	t.Parallel()
	pool, keys, _, _ := pauseRig(t)
	for i := range 5 {
		queueReply(t, pool, keys, "+1202555040"+string(rune('0'+i)), "normal", false, t0)
	}
	queueReply(t, pool, keys, "+12025550499", "crisis", true, t0.Add(time.Second))
	ctx := context.Background()
	if _, err := store.QueuePageMessage(ctx, pool, "telegram", tipline.ChannelTelegram, "page:danger",
		tipline.Reply{Text: "page"}, t0.Add(2*time.Second), t0.Add(2*time.Second)); err != nil {
		t.Fatal(err)
	}
	got, err := store.ClaimOutbound(ctx, pool, t0.Add(3*time.Second), time.Minute, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || !got[0].Urgent || !got[1].Urgent || got[2].Urgent {
		t.Fatalf("claimed %+v; want the crisis reply and the page, then the oldest reply", got)
	}
	if got[0].Kind != tipline.MessageBot || got[1].Kind != tipline.MessagePage {
		t.Errorf("urgent rows in order %s, %s; want the older (the crisis reply) first", got[0].Kind, got[1].Kind)
	}
}

// TestProbeLeaseOutlivesACrash: after a pause one send probes; the
// others wait; a probe whose worker died frees the provider when its
// lease ends.
func TestProbeLeaseOutlivesACrash(t *testing.T) {
	t.Parallel()
	pool, keys, _, _ := pauseRig(t)
	ctx := context.Background()
	a := queueReply(t, pool, keys, "+12025550501", "a", false, t0)
	b := queueReply(t, pool, keys, "+12025550502", "b", false, t0)
	key := store.PauseKey{Channel: tipline.ChannelSMS}
	if _, fresh, err := store.PauseProvider(ctx, pool, key, t0, time.Second, 8*time.Second, "20429"); err != nil || !fresh {
		t.Fatalf("pause: fresh %v, %v", fresh, err)
	}
	if until, paused, probing, err := store.ProviderPaused(ctx, pool, key, t0.Add(500*time.Millisecond)); err != nil ||
		!paused || probing || !until.Equal(t0.Add(time.Second)) {
		t.Fatalf("during the pause: until %v paused %v probing %v, %v", until, paused, probing, err)
	}
	ids := map[int64]int64{}
	rows, err := store.ClaimOutbound(ctx, pool, t0.Add(time.Second), time.Minute, 10)
	if err != nil || len(rows) != 2 {
		t.Fatalf("claimed %d at the pause's end, %v", len(rows), err)
	}
	for _, r := range rows {
		ids[*r.ConversationID] = r.ID
	}
	at := t0.Add(time.Second)
	g, err := store.BeginSend(ctx, pool, ids[a], key, at, 20*time.Second)
	if err != nil || !g.Go || !g.Probe {
		t.Fatalf("first send after the pause: %+v, %v; want the probe", g, err)
	}
	g, err = store.BeginSend(ctx, pool, ids[b], key, at, 20*time.Second)
	if err != nil || g.Go || !g.Probing {
		t.Fatalf("second send during the probe: %+v, %v; want held back", g, err)
	}
	if _, paused, probing, err := store.ProviderPaused(ctx, pool, key, at); err != nil || !paused || !probing {
		t.Fatalf("during the probe: paused %v probing %v, %v", paused, probing, err)
	}
	if n, _ := store.ClaimOutbound(ctx, pool, at.Add(5*time.Second), time.Minute, 10); len(n) != 0 {
		t.Fatalf("claimed %d rows while the probe holds the provider", len(n))
	}
	// The prober died: its lease ends and the next send probes.
	g, err = store.BeginSend(ctx, pool, ids[b], key, at.Add(21*time.Second), 20*time.Second)
	if err != nil || !g.Go || !g.Probe {
		t.Fatalf("send after the probe's lease: %+v, %v; want the new probe", g, err)
	}
}

// TestOneProbeAmongConcurrentSends: when a pause runs out while a batch's
// rows all begin their sends at once (their attempts then share a
// transaction), exactly one probes and the rest wait for it.
func TestOneProbeAmongConcurrentSends(t *testing.T) {
	t.Parallel()
	pool, keys, _, _ := pauseRig(t)
	ctx := context.Background()
	for i := range 12 {
		queueReply(t, pool, keys, "+120255506"+fmt.Sprintf("%02d", i), "r", false, t0)
	}
	key := store.PauseKey{Channel: tipline.ChannelSMS}
	if _, _, err := store.PauseProvider(ctx, pool, key, t0, time.Second, 8*time.Second, "20429"); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(time.Second)
	rows, err := store.ClaimOutbound(ctx, pool, at, time.Minute, 16)
	if err != nil || len(rows) != 12 {
		t.Fatalf("claimed %d at the pause's end, %v", len(rows), err)
	}
	gates := make([]store.Gate, len(rows))
	var wg sync.WaitGroup
	for i, r := range rows {
		wg.Go(func() {
			var err error
			if gates[i], err = store.BeginSend(ctx, pool, r.ID, key, at, 20*time.Second); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	probes := 0
	for i, g := range gates {
		switch {
		case g.Go && g.Probe:
			probes++
		case g.Go || !g.Probing:
			t.Errorf("send %d: %+v; want held back while another probes", i, g)
		}
	}
	if probes != 1 {
		t.Errorf("%d probes among %d sends, want 1", probes, len(rows))
	}
}

// TestServerErrorsBackOffAcrossThePause: without a named wait the pause
// doubles (1, 2, 4, 8, 8 s) and ends with the first success.
func TestServerErrorsBackOffAcrossThePause(t *testing.T) {
	t.Parallel()
	pool, _, _, _ := pauseRig(t)
	ctx := context.Background()
	key := store.PauseKey{Channel: tipline.ChannelTelegram, Account: "bot1"}
	now := t0
	for i, want := range []time.Duration{1, 2, 4, 8, 8} {
		until, fresh, err := store.PauseProvider(ctx, pool, key, now, 0, 8*time.Second, "502")
		if err != nil || fresh != (i == 0) || !until.Equal(now.Add(want*time.Second)) {
			t.Fatalf("failure %d: pause until +%v (fresh %v), %v; want +%vs", i+1, until.Sub(now), fresh, err, int(want))
		}
		now = until
	}
	if err := store.ClearPause(ctx, pool, key); err != nil {
		t.Fatal(err)
	}
	if until, fresh, _ := store.PauseProvider(ctx, pool, key, now, 0, 8*time.Second, "502"); !fresh || !until.Equal(now.Add(time.Second)) {
		t.Errorf("after a success the backoff starts again at 1 s: +%v fresh %v", until.Sub(now), fresh)
	}
}

// TestSendWaitingForItsSlotSeesAnotherInstancesPause: a send that passed
// the gate and waits for its rate-limit slot does not go when another
// instance paused the provider meanwhile; it is held back, its try given
// back.
func TestSendWaitingForItsSlotSeesAnotherInstancesPause(t *testing.T) {
	t.Parallel()
	pool, keys, clock, p := pauseRig(t)
	p.rate = 15 // slots about 70 ms apart: the second send waits for its own
	ctx := context.Background()
	key := store.PauseKey{Channel: tipline.ChannelSMS}
	var once sync.Once
	p.onSend = func() { // another instance saw a 429 just now
		once.Do(func() {
			if _, _, err := store.PauseProvider(ctx, pool, key, clock.Now(), 5*time.Second, 8*time.Second, "20429"); err != nil {
				t.Error(err)
			}
		})
	}
	queueReply(t, pool, keys, "+12025550701", "one", false, t0)
	queueReply(t, pool, keys, "+12025550702", "two", false, t0)
	runOnce(t, newWorker(pool, keys, clock, p))
	if _, taken := p.counts(); taken != 1 {
		t.Fatalf("%d sent; want only the first, the second held back by the pause", taken)
	}
	var held int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE direction = 'out' AND status = 'queued'
		AND attempts = 0 AND next_attempt_at = $1`, t0.Add(5*time.Second)).Scan(&held); err != nil || held != 1 {
		t.Fatalf("%d rows held back until the pause's end with no try counted, %v", held, err)
	}
}
