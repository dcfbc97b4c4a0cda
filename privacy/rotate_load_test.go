package privacy_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/privacy"
	"tipline/seal"
	"tipline/testdb"
)

type loadSender struct {
	channel tipline.Channel
	id      string
}

// TestRotationUnderLoad rotates the key while senders on both channels
// keep writing and the worker keeps replying, then drops the old key:
// no sender becomes a stranger (no new contact), every value ends under
// the new key, and every reply reached exactly the sender it was for.
func TestRotationUnderLoad(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := testdb.New(t)
	f := newFakes(t)
	k0, k1 := seal.GenerateKey(), seal.GenerateKey()
	var senders []loadSender
	for i := range 40 {
		senders = append(senders, loadSender{tipline.ChannelTelegram, strconv.Itoa(700000000 + i)},
			loadSender{tipline.ChannelSMS, fmt.Sprintf("+1415555%04d", i)})
	}
	old := newInstance(t, pool, mustKeys(t, k0), f)
	traffic(t, old, senders, "a", 1)
	drain(t, pool, old.worker)
	// Many more senders under the old key, so the rotation takes a while.
	w := &world{t: t, ctx: ctx, pool: pool, keys: mustKeys(t, k0)}
	const extra = 5000
	addContacts(t, w, extra)

	midKeys := mustKeys(t, k1, k0)
	mid := newInstance(t, pool, midKeys, f)
	wctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { mid.worker.Run(wctx, mid.bot.Wake(), 20*time.Millisecond) })
	var rep privacy.RotateReport
	var rerr error
	wg.Go(func() { rep, rerr = privacy.Rotate(ctx, pool, midKeys, privacy.RotateOptions{Batch: 50}) })
	traffic(t, mid, senders, "b", 2)
	waitQueue(t, w) // stop the worker only once nothing is in flight
	stop()
	wg.Wait()
	if rerr != nil {
		t.Fatal(rerr)
	}
	t.Logf("rotation under load:\n%s(%.0f contacts/s)", rep, float64(rep.Contacts)/rep.Took.Seconds())
	if !rep.Complete() || rep.Failed != 0 || rep.Conflicts != 0 {
		t.Errorf("rotation incomplete:\n%s", rep)
	}

	last := newInstance(t, pool, mustKeys(t, k1), f)
	traffic(t, last, senders, "c", 1)
	drain(t, pool, last.worker)
	if n := w.count(`SELECT count(*) FROM contacts`); n != int64(len(senders)+extra) {
		t.Errorf("%d contacts, want %d: a sender became a stranger after the rotation", n, len(senders)+extra)
	}
	checkDeliveries(t, w, f, senders, mustKeys(t, k1))
}

// addContacts adds n SMS contacts sealed and hashed under w.keys.
func addContacts(t *testing.T, w *world, n int) {
	t.Helper()
	rows := make([][]any, n)
	for i := range n {
		ident := fmt.Sprintf("+1555%07d", i)
		sealed, err := w.keys.Seal([]byte(ident), "contact:sms")
		if err != nil {
			t.Fatal(err)
		}
		h := w.keys.Hash("sms", ident)
		rows[i] = []any{"sms", h, sealed, seal.Alias(h)}
	}
	_, err := w.pool.CopyFrom(w.ctx, pgx.Identifier{"contacts"}, []string{"channel", "id_hash", "id_sealed", "alias"},
		pgx.CopyFromRows(rows))
	if err != nil {
		t.Fatal(err)
	}
}

// waitQueue waits until no reply is queued or being sent.
func waitQueue(t *testing.T, w *world) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for w.count(`SELECT count(*) FROM messages WHERE direction = 'out' AND status IN ('queued', 'claimed', 'sending')`) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("replies still queued after a minute")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// traffic has every sender write n messages, eight at a time.
func traffic(t *testing.T, in *instance, senders []loadSender, tag string, n int) {
	t.Helper()
	ctx := context.Background()
	jobs := make(chan int)
	errs := make(chan error, len(senders)*n)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for j := range jobs {
				s := senders[j%len(senders)]
				errs <- in.say(ctx, s.channel, s.id, fmt.Sprintf("%s-%d-%s", tag, j, s.id), "hello")
			}
		})
	}
	for i := range len(senders) * n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// checkDeliveries compares, sender by sender, the replies the database
// says were sent to them with what the fake providers received for them.
func checkDeliveries(t *testing.T, w *world, f fakes, senders []loadSender, keys *seal.Keys) {
	t.Helper()
	got := map[string]int{}
	for _, c := range f.tg.Sent() {
		got["telegram:"+strconv.FormatInt(c.ChatID(), 10)]++
	}
	for _, c := range f.tw.Creates() {
		got["sms:"+c.To]++
	}
	total := 0
	for _, s := range senders {
		key := string(s.channel) + ":" + s.id
		want := int(w.count(`SELECT count(*) FROM messages m JOIN conversations v ON v.id = m.conversation_id
			JOIN contacts k ON k.id = v.contact_id
			WHERE k.channel = $1 AND k.id_hash = $2 AND m.direction = 'out' AND m.status = 'sent'`,
			string(s.channel), keys.Hash(string(s.channel), s.id)))
		if want < 4 || got[key] != want {
			t.Errorf("%s: provider got %d replies, database sent %d (want at least 4)", key, got[key], want)
		}
		total += got[key]
		delete(got, key)
	}
	if len(got) > 0 {
		t.Errorf("replies went to unknown recipients: %v", got)
	}
	t.Logf("%d replies, each to the right sender", total)
}
