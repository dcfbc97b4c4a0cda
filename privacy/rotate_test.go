package privacy_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"tipline"
	"tipline/bot"
	"tipline/flows"
	"tipline/privacy"
	"tipline/seal"
	"tipline/store"
)

type sender struct {
	id      int64
	channel string
	ident   string
}

// oldWorld fills a database under key k0: contacts of every channel, a
// hash-only contact, one sealed under a key nobody has any more, a tip's
// contact details and a staff TOTP key.
func oldWorld(t *testing.T, k0 string) (*world, []sender, int64, int64) {
	w := newWorld(t)
	w.keys = mustKeys(t, k0)
	var out []sender
	for i, s := range []sender{{channel: "sms", ident: "+12125550199"}, {channel: "telegram", ident: "987654321"},
		{channel: "sim", ident: "session-1"}, {channel: "sms", ident: "+33612345678"}} {
		s.id = w.contact(s.channel, s.ident, t0, true, i == 3)
		out = append(out, s)
	}
	hashOnly := w.contact("sms", "+12125550111", t0, true, true)
	w.exec(`UPDATE contacts SET id_sealed = NULL WHERE id = $1`, hashOnly)
	lost := &world{t: t, ctx: w.ctx, pool: w.pool, keys: mustKeys(t, seal.GenerateKey())}
	lostID := lost.contact("telegram", "555", t0, true, false)
	w.tip(tipOpts{changed: t0})
	conv := w.conversation(out[0].id, "sms", "tipster", t0)
	draft := bot.SealedStatePrefix + base64.StdEncoding.EncodeToString(mustSeal(t, w.keys, "call me", bot.StateAAD(flows.TipKeyContact)))
	w.exec(`UPDATE conversations SET state = jsonb_build_object('flow', 'report', 'data', jsonb_build_object('contact', $2::text)) WHERE id = $1`,
		conv, draft)
	totp, err := w.keys.Seal([]byte("totp secret"), "staff-totp")
	if err != nil {
		t.Fatal(err)
	}
	w.exec(`INSERT INTO staff (email, password_hash, role, totp_secret, totp_pending) VALUES ('a@example.org', 'x', 'admin', $1, $1)`, totp)
	return w, out, hashOnly, lostID
}

func TestRotateReHashesAndReSealsEverything(t *testing.T) {
	t.Parallel()
	k0, k1 := seal.GenerateKey(), seal.GenerateKey()
	w, senders, hashOnly, lostID := oldWorld(t, k0)
	keys := mustKeys(t, k1, k0)
	rep, err := privacy.Rotate(w.ctx, w.pool, keys, privacy.RotateOptions{Batch: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("first run:\n%s", rep)
	if rep.Contacts != len(senders) || rep.Failed != 1 || rep.Sealed["tips.contact_sealed"] != 1 ||
		rep.Sealed["staff.totp_secret"] != 1 || rep.Sealed["staff.totp_pending"] != 1 || rep.Sealed["conversations.state.contact"] != 1 {
		t.Errorf("unexpected counts:\n%s", rep)
	}
	if rep.Complete() || rep.Left.HashOnly != 1 || rep.Passes != 1 {
		t.Errorf("the contact under a lost key must keep the rotation incomplete, in one pass; hash-only must count 1:\n%s", rep)
	}
	onlyNew := mustKeys(t, k1)
	kid, _ := hex.DecodeString(onlyNew.CurrentID())
	for _, s := range senders {
		var hash, sealed, hk []byte
		if err := w.pool.QueryRow(w.ctx, `SELECT id_hash, id_sealed, hash_key FROM contacts WHERE id = $1`, s.id).
			Scan(&hash, &sealed, &hk); err != nil {
			t.Fatal(err)
		}
		plain, err := onlyNew.Open(sealed, "contact:"+s.channel)
		if err != nil || string(plain) != s.ident {
			t.Errorf("%s contact does not open under the new key alone: %v", s.channel, err)
		}
		if !bytes.Equal(hash, onlyNew.Hash(s.channel, s.ident)) || !bytes.Equal(hk, kid) {
			t.Errorf("%s contact not re-hashed under the new key", s.channel)
		}
	}
	checkSealedColumns(t, w, onlyNew)
	var draft string
	_ = w.pool.QueryRow(w.ctx, `SELECT state->'data'->>'contact' FROM conversations WHERE state ? 'flow'`).Scan(&draft)
	raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(draft, bot.SealedStatePrefix))
	if plain, err := onlyNew.Open(raw, bot.StateAAD(flows.TipKeyContact)); err != nil || string(plain) != "call me" {
		t.Errorf("a draft's sealed contact details do not open under the new key: %v", err)
	}
	var hk []byte
	_ = w.pool.QueryRow(w.ctx, `SELECT hash_key FROM contacts WHERE id = $1`, hashOnly).Scan(&hk)
	if old, _ := hex.DecodeString(mustKeys(t, k0).CurrentID()); !bytes.Equal(hk, old) {
		t.Error("the hash-only contact does not record the old key its hash was made with")
	}
	// Idempotent: a second run changes nothing; without the lost contact
	// the rotation is complete (hash-only contacts cannot be helped).
	w.exec(`DELETE FROM contacts WHERE id = $1`, lostID)
	again, err := privacy.Rotate(w.ctx, w.pool, keys, privacy.RotateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Contacts != 0 || again.Failed != 0 || !again.Complete() {
		t.Errorf("second run:\n%s", again)
	}
	if stray := strayValues(t, w, mustKeys(t, k0)); len(stray) > 0 {
		t.Errorf("values still sealed under the old key: %v", stray)
	}
}

// checkSealedColumns opens every sealed column value with keys.
func checkSealedColumns(t *testing.T, w *world, keys *seal.Keys) {
	t.Helper()
	for _, c := range store.SealedColumns {
		rows, err := w.pool.Query(w.ctx, `SELECT `+pgx.Identifier{c.Column}.Sanitize()+` FROM `+pgx.Identifier{c.Table}.Sanitize()+
			` WHERE `+pgx.Identifier{c.Column}.Sanitize()+` IS NOT NULL`)
		if err != nil {
			t.Fatal(err)
		}
		vals, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if _, err := keys.Open(v, c.AAD); err != nil {
				t.Errorf("%s.%s does not open under the new key: %v", c.Table, c.Column, err)
			}
		}
	}
}

// strayValues scans every bytea column of the schema for values that look
// sealed under old (version byte, then its key id): a sealed column the
// rotation does not know about shows up here.
func strayValues(t *testing.T, w *world, old *seal.Keys) map[string]int64 {
	t.Helper()
	kid, _ := hex.DecodeString(old.CurrentID())
	prefix := append([]byte{1}, kid...)
	rows, err := w.pool.Query(w.ctx, `SELECT table_name, column_name FROM information_schema.columns
		WHERE table_schema = 'public' AND data_type = 'bytea'`)
	if err != nil {
		t.Fatal(err)
	}
	type col struct{ Table, Column string }
	cols, err := pgx.CollectRows(rows, pgx.RowToStructByPos[col])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, c := range cols {
		q := `SELECT count(*) FROM ` + pgx.Identifier{c.Table}.Sanitize() + ` WHERE substring(` +
			pgx.Identifier{c.Column}.Sanitize() + ` FROM 1 FOR 5) = $1`
		if n := w.count(q, prefix); n > 0 {
			out[c.Table+"."+c.Column] = n
		}
	}
	return out
}

// TestTurnAfterRotationFindsTheSender: a sender re-hashed by the rotation
// is found by the next turn under the new key alone, and a sender still
// under the old hash (the rotation has not reached it) is re-hashed by the
// turn itself, with the key id recorded by the trigger.
func TestTurnAfterRotationFindsTheSender(t *testing.T) {
	t.Parallel()
	k0, k1 := seal.GenerateKey(), seal.GenerateKey()
	w, senders, _, _ := oldWorld(t, k0)
	keys := mustKeys(t, k1, k0)
	s := senders[0]
	turn := func(keys *seal.Keys, s sender, pid string) int64 {
		hashes := keys.HashAll(s.channel, s.ident)
		sealed, _ := keys.Seal([]byte(s.ident), "contact:"+s.channel)
		var contactID int64
		err := store.InTx(w.ctx, w.pool, func(tx pgx.Tx) error {
			c, _, _, err := store.StartTurn(w.ctx, tx, store.TurnStart{Channel: tipline.Channel(s.channel), IDHash: hashes[0], OldHashes: hashes[1:],
				IDSealed: sealed, Alias: seal.Alias(hashes[0]), PublicID: store.NewPublicID(), ProviderID: pid, Body: "hi", Now: t0})
			contactID = c.ContactID
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return contactID
	}
	if got := turn(keys, senders[1], "p1"); got != senders[1].id {
		t.Fatalf("turn during rotation made a new contact %d, want %d", got, senders[1].id)
	}
	var hk []byte
	_ = w.pool.QueryRow(w.ctx, `SELECT hash_key FROM contacts WHERE id = $1`, senders[1].id).Scan(&hk)
	if kid, _ := hex.DecodeString(keys.CurrentID()); !bytes.Equal(hk, kid) {
		t.Error("a turn's re-hash did not record the new key id")
	}
	if _, err := privacy.Rotate(w.ctx, w.pool, keys, privacy.RotateOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := turn(mustKeys(t, k1), s, "p2"); got != s.id {
		t.Fatalf("after rotation the sender became a new contact %d, want %d", got, s.id)
	}
	// With the key gone altogether nothing opens.
	stranger := mustKeys(t, seal.GenerateKey())
	var sealed []byte
	_ = w.pool.QueryRow(w.ctx, `SELECT id_sealed FROM contacts WHERE id = $1`, s.id).Scan(&sealed)
	if _, err := stranger.Open(sealed, "contact:"+s.channel); !errors.Is(err, seal.ErrUnknownKey) {
		t.Errorf("a stranger key opened a sealed identifier: %v", err)
	}
}
