package privacy_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/seal"
	"tipline/store"
	"tipline/testdb"
)

// t0 is the controlled clock of the retention tests: every row is placed
// relative to it, and purges run "as of" it.
var t0 = time.Date(2031, 3, 1, 12, 0, 0, 0, time.UTC)

const day = 24 * time.Hour

func ago(d time.Duration) time.Time { return t0.Add(-d) }

// testRetention is the default configuration: 30, 365, 90 and 90 days.
var testRetention = store.Retention{Youth: 30 * day, ClosedCase: 365 * day, IncompleteTip: 90 * day, Reply: 90 * day}

// world builds rows directly in a fresh database, with explicit times.
type world struct {
	t    *testing.T
	ctx  context.Context
	pool *pgxpool.Pool
	keys *seal.Keys
	key  string // the master key of keys (newWorld)
}

func newWorld(t *testing.T) *world {
	t.Helper()
	key := seal.GenerateKey()
	return &world{t: t, ctx: context.Background(), pool: testdb.New(t), keys: mustKeys(t, key), key: key}
}

func mustKeys(t testing.TB, cur string, prev ...string) *seal.Keys {
	t.Helper()
	k, err := seal.ParseKeys(cur, prev)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func (w *world) exec(sql string, args ...any) {
	w.t.Helper()
	if _, err := w.pool.Exec(w.ctx, sql, args...); err != nil {
		w.t.Fatalf("%s: %v", sql, err)
	}
}

func (w *world) id(sql string, args ...any) int64 {
	w.t.Helper()
	var id int64
	if err := w.pool.QueryRow(w.ctx, sql, args...).Scan(&id); err != nil {
		w.t.Fatalf("%s: %v", sql, err)
	}
	return id
}

func (w *world) count(sql string, args ...any) int64 { return w.id(sql, args...) }

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// contact adds a contact of channel with a sealed identifier (sealed false:
// none left) last seen at seen.
func (w *world) contact(channel, ident string, seen time.Time, sealed, optedOut bool) int64 {
	w.t.Helper()
	var sv []byte
	if sealed {
		var err error
		if sv, err = w.keys.Seal([]byte(ident), "contact:"+channel); err != nil {
			w.t.Fatal(err)
		}
	}
	h := w.keys.Hash(channel, ident)
	return w.id(`INSERT INTO contacts (channel, id_hash, id_sealed, alias, opted_out, last_seen_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, channel, h, sv, seal.Alias(h), optedOut, seen)
}

// conversation adds a conversation of kind with one inbound and one sent
// outbound SMS or Telegram message at last.
func (w *world) conversation(contactID int64, channel, kind string, last time.Time) int64 {
	w.t.Helper()
	id := w.id(`INSERT INTO conversations (public_id, channel, contact_id, kind, state, last_inbound_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, '{"flow":"help","loc":"near the station"}', $5, $5, $5) RETURNING id`,
		"c"+randHex(8), channel, contactID, kind, last)
	w.message(id, channel, "in", "sent", last)
	w.message(id, channel, "out", "delivered", last)
	return id
}

// message adds a message with a provider SID.
func (w *world) message(convID int64, channel, dir, status string, at time.Time) int64 {
	w.t.Helper()
	sid := "SM" + randHex(16)
	var pid, pmid *string
	kind := "bot"
	if dir == "in" {
		pid, kind, status = &sid, "user", "received"
	} else {
		pmid = &sid
	}
	return w.id(`INSERT INTO messages (conversation_id, direction, channel, provider_id, provider_message_id, kind, body,
		status, created_at, sent_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, 'some words', $7, $8, $8, $8) RETURNING id`,
		convID, dir, channel, pid, pmid, kind, status, at)
}

// caseRow adds a case; closed is nil for an active case.
func (w *world) caseRow(closed *time.Time, hold bool) int64 {
	w.t.Helper()
	status := "active"
	if closed != nil {
		status = "closed"
	}
	return w.id(`INSERT INTO cases (public_id, case_number, display_name, status, legal_hold, closed_at)
		VALUES ($1, $2, 'Child', $3, $4, $5) RETURNING id`, "p"+randHex(8), "N"+randHex(4), status, hold, closed)
}

// tipOpts describe a tip.
type tipOpts struct {
	conv, contact, caseID *int64
	incomplete, keep      bool
	hold                  bool
	changed               time.Time
}

// tip adds a tip with a photo, a note, a follow-up and a page.
func (w *world) tip(o tipOpts) int64 {
	w.t.Helper()
	sealed, err := w.keys.Seal([]byte("call me"), "tip-contact")
	if err != nil {
		w.t.Fatal(err)
	}
	id := w.id(`INSERT INTO tips (code, conversation_id, contact_id, case_id, channel, incomplete, keep, legal_hold,
		contact_sealed, submitted_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 'sms', $5, $6, $7, $8, $9, $9, $9) RETURNING id`,
		"T"+randHex(4), o.conv, o.contact, o.caseID, o.incomplete, o.keep, o.hold, sealed, o.changed)
	w.exec(`INSERT INTO tip_media (tip_id, sha256, content_type, data, created_at) VALUES ($1, 'x', 'image/jpeg', '\xffd8', $2)`, id, o.changed)
	w.exec(`INSERT INTO tip_notes (tip_id, body, created_at) VALUES ($1, 'note', $2)`, id, o.changed)
	w.exec(`INSERT INTO tip_updates (tip_id, source, body, created_at) VALUES ($1, 'tipster', 'more', $2)`, id, o.changed)
	w.exec(`INSERT INTO pages (reason, tip_id, created_at) VALUES ('urgent', $1, $2)`, id, o.changed)
	return id
}

func ptr[T any](v T) *T { return &v }

func (w *world) exists(table string, id int64) bool {
	w.t.Helper()
	return w.count(`SELECT count(*) FROM `+table+` WHERE id = $1`, id) == 1
}

// referencing counts rows in any table whose column col (conversation_id,
// tip_id, contact_id…) holds one of ids: what "gone from every table"
// must find nothing of, whatever tables other issues add.
func (w *world) referencing(col string, ids []int64) map[string]int64 {
	w.t.Helper()
	rows, err := w.pool.Query(w.ctx, `SELECT table_name FROM information_schema.columns
		WHERE table_schema = 'public' AND column_name = $1 AND table_name <> 'audit_log'`, col)
	if err != nil {
		w.t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		tables = append(tables, s)
	}
	rows.Close()
	out := map[string]int64{}
	for _, tb := range tables {
		if n := w.count(`SELECT count(*) FROM "`+tb+`" WHERE `+col+` = ANY($1)`, ids); n > 0 {
			out[tb] = n
		}
	}
	return out
}

func mustSeal(t *testing.T, k *seal.Keys, v, aad string) []byte {
	t.Helper()
	b, err := k.Seal([]byte(v), aad)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
