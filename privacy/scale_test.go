package privacy_test

import (
	"testing"
	"time"

	"tipline/privacy"
	"tipline/seal"
)

// TestPurgeAndRotateAtScale measures a purge of 20,000 expired
// conversations (40,000 messages) and 5,000 expired tips with photos,
// notes and follow-ups, then a rotation of the 20,000 contacts left
// sealed, and logs the rates (docs/privacy.md quotes them).
func TestPurgeAndRotateAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("scale test")
	}
	t.Parallel()
	w := newWorld(t)
	const nConv, nTips = 20000, 5000
	w.exec(`INSERT INTO contacts (channel, id_hash, id_sealed, alias, last_seen_at)
		SELECT 'sms', sha256(('c' || i)::bytea), $1, 'R-X', $2 FROM generate_series(1, $3) i`,
		mustSeal(t, w.keys, "+15550000000", "contact:sms"), ago(40*day), nConv)
	w.exec(`INSERT INTO conversations (public_id, channel, contact_id, kind, last_inbound_at, created_at)
		SELECT 'p' || id, 'sms', id, 'youth', $1, $1 FROM contacts`, ago(40*day))
	w.exec(`INSERT INTO messages (conversation_id, direction, channel, provider_id, kind, body, status, created_at)
		SELECT id, 'in', 'sms', 'SM' || md5(id::text), 'user', 'some words', 'received', $1 FROM conversations`, ago(40*day))
	w.exec(`INSERT INTO messages (conversation_id, direction, channel, provider_message_id, kind, body, status, created_at)
		SELECT id, 'out', 'sms', 'SM' || md5('o' || id), 'bot', 'a reply', 'delivered', $1 FROM conversations`, ago(40*day))
	w.exec(`INSERT INTO tips (code, channel, incomplete, updated_at, created_at)
		SELECT 'T' || i, 'sms', true, $1, $1 FROM generate_series(1, $2) i`, ago(100*day), nTips)
	w.exec(`INSERT INTO tip_media (tip_id, sha256, content_type, data) SELECT id, 'x', 'image/jpeg', '\xffd8' FROM tips`)
	w.exec(`INSERT INTO tip_notes (tip_id, body, created_at) SELECT id, 'note', $1 FROM tips`, ago(100*day))
	w.exec(`INSERT INTO tip_updates (tip_id, source, body, created_at) SELECT id, 'tipster', 'more', $1 FROM tips`, ago(100*day))
	c, err := privacy.Purge(w.ctx, w.pool, testRetention, t0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if c.Conversations != nConv || c.Tips != nTips {
		t.Fatalf("purge: %s", c)
	}
	t.Logf("purge: %s (%.0f conversations/s with their messages and contacts)", c, float64(nConv)/c.Took.Seconds())

	addContacts(t, w, nConv)
	start := time.Now()
	rep, err := privacy.Rotate(w.ctx, w.pool, mustKeys(t, seal.GenerateKey(), w.key), privacy.RotateOptions{})
	if err != nil || rep.Contacts != nConv || !rep.Complete() {
		t.Fatalf("rotate: %v\n%s", err, rep)
	}
	t.Logf("rotation: %d contacts in %s (%.0f contacts/s)", rep.Contacts, time.Since(start).Round(time.Millisecond),
		float64(rep.Contacts)/rep.Took.Seconds())
}
