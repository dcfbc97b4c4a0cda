package bench

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
	"tipline/seal"
	"tipline/store"
)

// The ceiling is the physical reference of a run: the SQL of the message
// path, with nothing else. The same statements the service runs (the store
// functions themselves) at the same concurrency on the same database: per
// message, store.RunTurn, grouped with the turns that arrive at the same
// time as the service's are (store/turn_group.go): the Telegram in-flight
// announcement, the turn's start (conversation lock, inbound insert with
// its text) and its queued replies and conversation update, committed
// with its group; the run's share of duplicate deliveries (a provider
// repeating an accepted message: the turn's start finds it stored, and a
// Telegram update's announcement is taken back); and, with delivery, a worker
// that claims batches of 16 and for each row reserves its rate-limit slots
// and records the attempt and the send (the store groups these with the
// batch's other rows, as it does the service's worker's). No HTTP, no JSON, no flows, no
// sealing (identifiers are sealed once, before the clock starts). The
// replies and states it writes are the run's own (ceiling_data.go).
type ceiling struct {
	pool     *pgxpool.Pool
	keys     *seal.Keys
	opts     *Options
	replies  float64 // outbound rows per message, as measured in the run
	delivery bool
	data     ceilingData // the run's replies and states, which it writes (set between slices)

	mu      sync.Mutex
	rng     *rand.Rand
	senders []ceilingSender
	made    int
	deliv   int            // deliveries, duplicates included (as traffic.deliv)
	recent  []ceilingTaken // recently accepted messages, for duplicates
	warmed  atomic.Int64
	seq     atomic.Int64
}

// ceilingTaken is an accepted message a provider may deliver again.
type ceilingTaken struct {
	sender   int
	provider string
	seq      int64
}

type ceilingSender struct {
	channel string
	hash    []byte
	sealed  []byte
	busy    bool
}

// CeilingResult is the bare-SQL throughput.
type CeilingResult struct {
	Messages int     `json:"messages"`
	Seconds  float64 `json:"seconds"`
	Rate     float64 `json:"messages_per_second"`
	// CPU is what the ceiling's timed part cost per message: PostgreSQL,
	// the load tool (here the ceiling's own client) and the machine.
	CPU *CPU `json:"cpu_per_message,omitempty"`
	// Rows and RunRows are the average sizes of what the ceiling's and the
	// run's messages wrote (with --spawn and the rounds).
	Rows    *RowBytes `json:"row_bytes,omitempty"`
	RunRows *RowBytes `json:"run_row_bytes,omitempty"`
}

// run sends n messages' worth of SQL (after opening warm conversations)
// and returns the rate.
func (c *ceiling) run(ctx context.Context, warm, n int, cpu sampler) (CeilingResult, error) {
	if err := c.warm(ctx, warm); err != nil {
		return CeilingResult{}, err
	}
	secs, use, err := c.slice(ctx, n, cpu)
	per := cpuPer(use, n, "the ceiling's timed part")
	return CeilingResult{Messages: n, Seconds: secs, Rate: float64(n) / secs, CPU: &per}, err
}

// warm opens warm conversations (untimed) and sends their replies.
func (c *ceiling) warm(ctx context.Context, warm int) error {
	c.rng = rand.New(rand.NewPCG(uint64(c.opts.Seed), 0xce11))
	c.seq.Store(time.Now().UnixNano() / 1000)
	for range warm {
		c.newSender()
	}
	if err := c.inbound(ctx, warm, c.warmTurn); err != nil {
		return err
	}
	if c.delivery {
		return c.deliver(ctx, nil)
	}
	return nil
}

// slice sends n messages' worth of SQL, with delivery until every reply is
// recorded sent, and returns how long it took and what it cost.
func (c *ceiling) slice(ctx context.Context, n int, cpu sampler) (float64, cpuUse, error) {
	before := cpu.sample()
	start := time.Now()
	stop := make(chan struct{})
	errc := make(chan error, 1)
	if c.delivery {
		go func() { errc <- c.deliver(ctx, stop) }()
	}
	err := c.inbound(ctx, n, c.turn)
	close(stop)
	if c.delivery {
		err = errors.Join(err, <-errc)
	}
	return time.Since(start).Seconds(), before.to(cpu.sample()), err
}

func (c *ceiling) newSender() int {
	i := len(c.senders)
	ch := chTelegram
	if c.opts.Channel == "twilio" || c.opts.Channel == "both" && i%2 == 1 {
		ch = chSMS
	}
	id := "ceiling-" + strconv.Itoa(i) + "-" + strconv.FormatInt(c.seq.Load(), 10)
	sealed, _ := c.keys.Seal([]byte(id), "contact:"+ch)
	c.senders = append(c.senders, ceilingSender{channel: ch, hash: c.keys.Hash(ch, id), sealed: sealed})
	return i
}

// inbound runs n turns with Concurrency goroutines.
func (c *ceiling) inbound(ctx context.Context, n int, turn func(context.Context) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	var first atomic.Pointer[error]
	for range c.opts.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for next.Add(1) <= int64(n) && ctx.Err() == nil {
				if err := turn(ctx); err != nil {
					first.CompareAndSwap(nil, &err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if p := first.Load(); p != nil {
		return *p
	}
	return ctx.Err()
}

// pick chooses the sender of the next message as the load tool does.
func (c *ceiling) pick() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	fresh := share(c.made, c.opts.NewShare)
	c.made++
	if !fresh && len(c.senders) > 0 {
		for range 16 {
			if i := c.rng.IntN(len(c.senders)); !c.senders[i].busy {
				c.senders[i].busy = true
				return i
			}
		}
	}
	i := c.newSender()
	c.senders[i].busy = true
	return i
}

func (c *ceiling) release(i int) {
	c.mu.Lock()
	c.senders[i].busy = false
	c.mu.Unlock()
}

func (c *ceiling) warmTurn(ctx context.Context) error {
	i := int(c.warmed.Add(1)-1) % len(c.senders)
	return c.sqlTurn(ctx, i)
}

func (c *ceiling) turn(ctx context.Context) error {
	for {
		d, ok := c.pickDup()
		if !ok {
			break
		}
		if err := c.dupTurn(ctx, d); err != nil {
			return err
		}
	}
	i := c.pick()
	defer c.release(i)
	return c.sqlTurn(ctx, i)
}

// pickDup says, with the run's share of duplicate deliveries (the load
// tool's rule, traffic.next), that the next delivery repeats a recently
// accepted message, and which.
func (c *ceiling) pickDup() (ceilingTaken, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.deliv
	c.deliv++
	if !share(n, c.opts.DupShare) || len(c.recent) == 0 {
		return ceilingTaken{}, false
	}
	return c.recent[c.rng.IntN(len(c.recent))], true
}

// taken remembers an accepted message for duplicates (the last 256).
func (c *ceiling) taken(t ceilingTaken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.recent) < 256 {
		c.recent = append(c.recent, t)
		return
	}
	c.recent[c.rng.IntN(len(c.recent))] = t
}

// dupTurn is a provider's repeated delivery's SQL, as bot.transactThen
// runs it: the turn's start finds the message stored and does nothing
// more; a Telegram update's announcement is then taken back.
func (c *ceiling) dupTurn(ctx context.Context, d ceilingTaken) error {
	s := c.senders[d.sender]
	now := time.Now()
	ts := store.TurnStart{Channel: tipline.Channel(s.channel), IDHash: s.hash, IDSealed: s.sealed, Alias: seal.Alias(s.hash),
		PublicID: store.NewPublicID(), ProviderID: d.provider, Body: "10001", Now: now, Seq: d.seq}
	err := store.RunTurn(ctx, c.pool, ts, func(*store.Turn, store.Conversation, int64, bool) error { return nil })
	if err != nil {
		return err
	}
	if d.seq > 0 {
		return store.ClearInflight(ctx, c.pool, s.hash, d.seq, now)
	}
	return nil
}

// ceilingState and ceilingReply are typical of a help conversation: what
// the ceiling writes until the run has rows of its own to sample.
var (
	ceilingState = map[string]any{"flow": "help", "step": "where", "lang": "en", "data": map[string]string{"need": "shelter"}}
	ceilingReply = tipline.Reply{Text: "Where are you? Send a ZIP or postal code, or a city and state or province (like: Dallas, TX).",
		Options: []tipline.Option{{Label: "Skip", Value: "where:skip"}}, AskLocation: true}
)

// sqlTurn is one message's SQL, as bot.Handle runs it.
func (c *ceiling) sqlTurn(ctx context.Context, i int) error {
	s := c.senders[i]
	now := time.Now()
	seq := c.seq.Add(1)
	ts := store.TurnStart{Channel: tipline.Channel(s.channel), IDHash: s.hash, IDSealed: s.sealed, Alias: seal.Alias(s.hash),
		PublicID: store.NewPublicID(), ProviderID: "ceil-" + strconv.FormatInt(seq, 10), Body: "10001", Now: now}
	if s.channel == chTelegram {
		ts.Seq = seq // the turn's group announces it in flight
	}
	err := store.RunTurn(ctx, c.pool, ts, func(tx *store.Turn, conv store.Conversation, msgID int64, _ bool) error {
		exp := now.Add(600 * time.Second)
		for k := range c.replyCount(seq) {
			body, reply := c.data.reply(seq + int64(k))
			tx.QueueOutbound(store.Outbound{ConversationID: &conv.ID, Channel: tipline.Channel(s.channel), Kind: "bot",
				Body: body, Reply: reply, ExpiresAt: &exp, Now: now})
		}
		tx.QueueConversationUpdate(store.ConversationUpdate{ID: conv.ID, State: c.data.state(seq), Kind: "youth",
			Lang: "en", Seq: ts.Seq, Now: now, Inbound: true})
		return nil
	})
	if err == nil {
		c.taken(ceilingTaken{sender: i, provider: ts.ProviderID, seq: ts.Seq})
	}
	return err
}

// replyCount spreads the measured replies per message evenly.
func (c *ceiling) replyCount(seq int64) int {
	r := max(c.replies, 1)
	whole := int(r)
	if share(int(seq), r-float64(whole)) {
		return whole + 1
	}
	return whole
}

// deliver claims and records sends like one delivery worker until stop is
// closed and nothing is left (stop nil: until nothing is left).
func (c *ceiling) deliver(ctx context.Context, stop <-chan struct{}) error {
	for {
		rows, err := store.ClaimOutbound(ctx, c.pool, time.Now(), time.Minute, 16)
		if err != nil {
			return err
		}
		if len(rows) == 0 {
			select {
			case <-stop:
				if n, err := pendingReplies(ctx, c.pool); err != nil || n == 0 {
					return err
				}
			default:
			}
			if stop == nil {
				return nil
			}
			time.Sleep(time.Millisecond)
			continue
		}
		if err := c.sendAll(ctx, rows); err != nil {
			return err
		}
	}
}

func (c *ceiling) sendAll(ctx context.Context, rows []store.Claimed) error {
	var wg sync.WaitGroup
	errs := make([]error, len(rows))
	for i, r := range rows {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = c.sqlSend(ctx, r)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// sqlSend is the worker's SQL for one row: rate slots, attempt (with the
// pause check), sent.
func (c *ceiling) sqlSend(ctx context.Context, r store.Claimed) error {
	now := time.Now()
	var reply tipline.Reply
	if err := json.Unmarshal(r.Reply, &reply); err != nil {
		return err
	}
	reqs := []store.RateRequest{{Key: "ceiling:twilio:sender", Units: 1, Rate: 1e6}}
	if r.Channel == chTelegram {
		reqs = []store.RateRequest{{Key: "ceiling:telegram:chat:" + strconv.FormatInt(*r.ConversationID, 10), Units: 1, Rate: 1e6},
			{Key: "ceiling:telegram:bot", Units: 1, Rate: 1e6}}
	}
	if _, err := store.ReserveRates(ctx, c.pool, reqs, now, nil); err != nil {
		return err
	}
	// The attempt as the worker records it: with the provider-pause check
	// (no pause here, so the send goes).
	if _, err := store.BeginSend(ctx, c.pool, r.ID, store.PauseKey{Channel: r.Channel}, now, time.Minute); err != nil {
		return err
	}
	return store.MarkSent(ctx, c.pool, r.ID, "ceil", time.Now())
}
