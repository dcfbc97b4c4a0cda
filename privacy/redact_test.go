package privacy_test

import (
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline/privacy"
	"tipline/store"
	"tipline/twilio"
	"tipline/twilio/twiliotest"
)

// TestRedactProviderCopies: after delivery the bodies of a youth's SMS are
// erased at Twilio and the rows record it; a tipster's are left; an
// erased conversation's are erased too; failures are retried later.
func TestRedactProviderCopies(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	fake := twiliotest.New()
	t.Cleanup(fake.Close)
	client, err := twilio.NewClient(twilio.ClientConfig{AccountSID: fake.AccountSID, AuthToken: fake.AuthToken,
		From: "+15005550006", APIURL: fake.URL})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	conv := func(kind string) int64 {
		return w.conversation(w.contact("sms", "+1"+randHex(5), now, true, false), "sms", kind, now.Add(-time.Hour))
	}
	youth, tipster, erased := conv("youth"), conv("tipster"), conv("unknown")
	fresh := w.message(youth, "sms", "out", "sent", now) // sent just now: not final yet
	sids := providerSIDs(t, w)
	for sid := range sids {
		fake.AddMessage(twiliotest.Message{Sid: sid, Body: "words only the youth should see"})
	}
	if err := store.InTx(w.ctx, w.pool, func(tx pgx.Tx) error { return store.EraseConversation(w.ctx, tx, erased) }); err != nil {
		t.Fatal(err)
	}
	fake.FailNext(1, twiliotest.ServerError())
	c, err := privacy.Redact(w.ctx, w.pool, &twilio.Provider{Client: client}, now, 100)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first round: %s", c)
	if c.Redacted != 1 || c.Failed != 1 {
		t.Errorf("first round: %s; want the youth's two final messages tried, one failing", c)
	}
	// Later: the failed one is retried from the queue, the erased
	// conversation's bodies are due; the fresh one is final by then.
	c, err = privacy.Redact(w.ctx, w.pool, &twilio.Provider{Client: client}, now.Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("second round: %s", c)
	checkRedacted(t, w, fake, sids, youth, tipster)
	if !w.exists("messages", fresh) {
		t.Fatal("fresh message gone")
	}
	// Nothing left: a third round calls nobody.
	fake.ResetRequests()
	if c, err := privacy.Redact(w.ctx, w.pool, &twilio.Provider{Client: client}, now.Add(2*time.Hour), 100); err != nil || c != (privacy.RedactCounts{}) || len(fake.Requests()) > 0 {
		t.Errorf("third round: %s, %d requests, %v", c, len(fake.Requests()), err)
	}
}

// checkRedacted: youth and erased bodies are empty at the provider and
// recorded; tipster ones are untouched; nothing is left queued.
func checkRedacted(t *testing.T, w *world, fake *twiliotest.Server, sids map[string]string, youth, tipster int64) {
	t.Helper()
	for _, m := range fake.Messages() {
		kind := sids[m.Sid]
		if want := kind != "tipster"; (m.Body == "") != want {
			t.Errorf("message of a %s conversation: redacted %v, want %v", kind, m.Body == "", want)
		}
	}
	if n := w.count(`SELECT count(*) FROM messages WHERE conversation_id = $1 AND redacted_at IS NULL`, youth); n != 0 {
		t.Errorf("%d youth messages do not record their redaction", n)
	}
	if n := w.count(`SELECT count(*) FROM messages WHERE conversation_id = $1 AND redacted_at IS NOT NULL`, tipster); n != 0 {
		t.Errorf("tipster messages redacted: %d", n)
	}
	if n := w.count(`SELECT count(*) FROM provider_redactions`); n != 0 {
		t.Errorf("%d redactions still queued", n)
	}
}

// providerSIDs maps every SMS SID in the database to its conversation's
// kind (read before the erasure).
func providerSIDs(t *testing.T, w *world) map[string]string {
	t.Helper()
	rows, err := w.pool.Query(w.ctx, `SELECT coalesce(m.provider_message_id, m.provider_id), v.kind
		FROM messages m JOIN conversations v ON v.id = m.conversation_id WHERE m.channel = 'sms'`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	var sid, kind string
	if _, err := pgx.ForEachRow(rows, []any{&sid, &kind}, func() error { out[sid] = kind; return nil }); err != nil {
		t.Fatal(err)
	}
	return out
}
