package outbox_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"tipline"
	"tipline/outbox"
	"tipline/seal"
	"tipline/store"
	"tipline/testdb"
)

var t0 = time.Date(2026, 3, 14, 18, 0, 0, 0, time.UTC)

// scripted is a channel provider whose sends fail as told: the outbox
// must act on the classified error alone, whatever the channel.
type scripted struct {
	mu    sync.Mutex
	fails []error // returned by the next sends, in order; then success
	sent  []string
}

func (p *scripted) Channel() tipline.Channel { return tipline.ChannelSMS }
func (p *scripted) Traits() tipline.Traits   { return tipline.Traits{} }
func (p *scripted) Limits(string, tipline.Reply) []tipline.Rate {
	return nil
}
func (p *scripted) Send(_ context.Context, to string, r tipline.Reply, _ tipline.SendOptions) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.fails) > 0 {
		err := p.fails[0]
		p.fails = p.fails[1:]
		return "", err
	}
	p.sent = append(p.sent, to+": "+r.Text)
	return "SM" + store.NewPublicID(), nil
}
func (p *scripted) Reconcile(context.Context, string, tipline.Reply, time.Time) (string, bool, error) {
	return "", false, errors.ErrUnsupported
}
func (p *scripted) EraseChat(context.Context, string, []string) error { return errors.ErrUnsupported }
func (p *scripted) FetchMedia(context.Context, tipline.MediaRef, int64) ([]byte, string, error) {
	return nil, "", errors.ErrUnsupported
}
func (p *scripted) DeleteMedia(context.Context, string) error { return errors.ErrUnsupported }
func (p *scripted) RedactBody(context.Context, string) error  { return errors.ErrUnsupported }

// queued makes a conversation of a sender with one queued reply, as a
// turn does, and returns the conversation id.
func queued(t *testing.T, pool *store.Pool, keys *seal.Keys, sender string) int64 {
	t.Helper()
	hashes := keys.HashAll("sms", sender)
	sealed, err := keys.Seal([]byte(sender), "contact:sms")
	if err != nil {
		t.Fatal(err)
	}
	var convID int64
	s := store.TurnStart{Channel: tipline.ChannelSMS, IDHash: hashes[0], IDSealed: sealed, Alias: seal.Alias(hashes[0]),
		PublicID: store.NewPublicID(), ProviderID: "SM-in-" + store.NewPublicID(), Now: t0}
	err = store.RunTurn(context.Background(), pool, s, func(tx *store.Turn, c store.Conversation, _ int64, _ bool) error {
		convID = c.ID
		tx.QueueOutbound(store.Outbound{ConversationID: &c.ID, Channel: tipline.ChannelSMS, Kind: tipline.MessageBot,
			Body: "hello", Reply: tipline.Reply{Text: "hello"}, Now: t0})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return convID
}

// TestSendErrorsDecideTheOutcome: each class of send error a channel
// reports leads to its outcome: a retry after the provider's wait or with
// backoff, a failure, a blocked or opted-out contact. A temporary failure
// also pauses the provider for every message until the same time.
func TestSendErrorsDecideTheOutcome(t *testing.T) {
	pool := testdb.New(t)
	keys, err := seal.ParseKeys(seal.GenerateKey(), nil)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name              string
		err               error
		status            string
		wait              time.Duration // until the next attempt; 0 = none
		blocked, optedOut bool
	}{
		{"retry after", &tipline.SendError{Failure: tipline.SendRetryAfter, RetryAfter: 7 * time.Second, Code: "429"}, "queued", 7 * time.Second, false, false},
		{"temporary", &tipline.SendError{Failure: tipline.SendTemporary, Code: "500"}, "queued", time.Second, false, false},
		{"network", errors.New("connection reset"), "queued", time.Second, false, false},
		{"permanent", &tipline.SendError{Failure: tipline.SendPermanent, Code: "21211"}, "failed", 0, false, false},
		{"blocked", &tipline.SendError{Failure: tipline.SendBlocked, Code: "403"}, "failed", 0, true, false},
		{"opted out", &tipline.SendError{Failure: tipline.SendOptedOut, Code: "21610"}, "failed", 0, false, true},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			conv := queued(t, pool, keys, "+1202555010"+string(rune('0'+i)))
			p := &scripted{fails: []error{c.err}}
			w := &outbox.Worker{Pool: pool, Keys: keys, Clock: tipline.NewFakeClock(t0),
				Providers: map[tipline.Channel]tipline.Provider{tipline.ChannelSMS: p}}
			if _, err := w.RunOnce(context.Background()); err != nil {
				t.Fatal(err)
			}
			var status string
			var next time.Time
			var blocked, optedOut bool
			err := pool.QueryRow(context.Background(), `SELECT m.status, m.next_attempt_at, k.blocked, k.opted_out
				FROM messages m JOIN conversations v ON v.id = m.conversation_id JOIN contacts k ON k.id = v.contact_id
				WHERE m.conversation_id = $1 AND m.direction = 'out'`, conv).Scan(&status, &next, &blocked, &optedOut)
			if err != nil {
				t.Fatal(err)
			}
			if status != c.status || blocked != c.blocked || optedOut != c.optedOut {
				t.Errorf("status %s, blocked %v, opted out %v; want %s, %v, %v", status, blocked, optedOut, c.status, c.blocked, c.optedOut)
			}
			if c.wait > 0 && !next.Equal(t0.Add(c.wait)) {
				t.Errorf("next attempt %v after the send, want %v", next.Sub(t0), c.wait)
			}
			pauses, err := store.ProviderPauses(context.Background(), pool)
			if err != nil {
				t.Fatal(err)
			}
			if c.wait > 0 && (len(pauses) != 1 || !pauses[0].Until.Equal(t0.Add(c.wait))) {
				t.Errorf("pauses %+v, want sms paused for %v", pauses, c.wait)
			}
			if c.wait == 0 && len(pauses) != 0 {
				t.Errorf("a permanent failure paused the provider: %+v", pauses)
			}
			if err := store.ClearPause(context.Background(), pool, store.PauseKey{Channel: tipline.ChannelSMS}); err != nil {
				t.Fatal(err)
			}
		})
	}
}
