package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline/store"
	"tipline/testdb"
)

// BenchmarkClaimOutbound is one claim of 16 rows from a backlog of 3,000
// queued replies (one per conversation, as after an AMBER alert) with 20
// crisis replies and pages among them, the same with the SMS provider
// paused (its rows are passed over), and with 100 sent messages before
// each queued reply (long chats). Each claim is rolled back, so every
// round sees the same backlog.
func BenchmarkClaimOutbound(b *testing.B) {
	pool := testdb.New(b)
	ctx := context.Background()
	now := time.Date(2026, 3, 14, 18, 0, 0, 0, time.UTC)
	if _, err := pool.Exec(ctx, `WITH v AS (
			INSERT INTO conversations (public_id, channel, created_at, updated_at)
			SELECT 'bench' || g, CASE WHEN g % 2 = 0 THEN 'sms' ELSE 'telegram' END, $1, $1
			FROM generate_series(1, 3000) g RETURNING id, channel)
		INSERT INTO messages (conversation_id, direction, channel, kind, body, reply, status, next_attempt_at,
			created_at, priority)
		SELECT v.id, 'out', v.channel, 'bot', 'hello', '{"text":"hello"}', 'queued',
			$1::timestamptz - (v.id % 600) * interval '1 second', $1, CASE WHEN v.id % 150 = 0 THEN 1 ELSE 0 END
		FROM v`, now); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "ANALYZE messages"); err != nil {
		b.Fatal(err)
	}
	claim := func(b *testing.B, want int, urgentFirst bool) {
		for b.Loop() {
			err := store.InTx(ctx, pool, func(tx pgx.Tx) error {
				got, err := store.ClaimOutbound(ctx, tx, now, time.Minute, 16)
				if err == nil && (len(got) != want || got[0].Urgent != urgentFirst) {
					b.Fatalf("claimed %d rows (first urgent: %v), want %d", len(got), len(got) > 0 && got[0].Urgent, want)
				}
				if err != nil {
					return err
				}
				return errRollback
			})
			if err != nil && err != errRollback {
				b.Fatal(err)
			}
		}
	}
	b.Run("backlog", func(b *testing.B) { claim(b, 16, true) })
	key := store.PauseKey{Channel: "sms"}
	if _, _, err := store.PauseProvider(ctx, pool, key, now, time.Hour, time.Hour, "20429"); err != nil {
		b.Fatal(err)
	}
	b.Run("sms_paused", func(b *testing.B) { claim(b, 16, false) }) // the urgent rows are all SMS
	if _, err := pool.Exec(ctx, `DELETE FROM provider_pauses`); err != nil {
		b.Fatal(err)
	}
	// Long chats: 100 messages already sent in every conversation, older
	// than its queued reply, which the claim's earlier-pending test must
	// not read one by one.
	if _, err := pool.Exec(ctx, `INSERT INTO messages (conversation_id, direction, channel, kind, body, status, created_at)
		SELECT v.id, 'out', v.channel, 'bot', 'earlier', 'sent', $1
		FROM conversations v, generate_series(1, 100)`, now); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE messages SET id = -id WHERE status = 'queued'`); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "UPDATE messages SET id = nextval('messages_id_seq') WHERE id < 0"); err != nil {
		b.Fatal(err) // the queued replies are now the newest rows, after the history
	}
	if _, err := pool.Exec(ctx, "ANALYZE messages"); err != nil {
		b.Fatal(err)
	}
	b.Run("long_chats", func(b *testing.B) { claim(b, 16, true) })
}

var errRollback = rollback{}

type rollback struct{}

func (rollback) Error() string { return "rollback" }

// BenchmarkClaimOutboundStaleStats is a claim of 16 rows from a backlog
// of 3,000 queued replies that built up after VACUUM last found the queue
// empty: the statistics say the pending indexes hold nothing (migration
// 0025). Before the claim became a function that cannot sort and probes
// each candidate's conversation, its plan read the whole backlog (about
// 9 ms here, 40-100 ms at 9,000 queued).
func BenchmarkClaimOutboundStaleStats(b *testing.B) {
	pool := testdb.New(b)
	ctx := context.Background()
	now := time.Date(2026, 3, 14, 18, 0, 0, 0, time.UTC)
	for _, q := range []string{
		`INSERT INTO conversations (public_id, channel, created_at, updated_at)
			SELECT 'stale' || g, CASE WHEN g % 2 = 0 THEN 'sms' ELSE 'telegram' END, $1, $1
			FROM generate_series(1, 3000) g`,
		`INSERT INTO messages (conversation_id, direction, channel, kind, body, status, created_at)
			SELECT v.id, 'out', v.channel, 'bot', 'earlier', 'sent', $1 FROM conversations v, generate_series(1, 3)`,
		`VACUUM ANALYZE messages`,
		`INSERT INTO messages (conversation_id, direction, channel, kind, body, reply, status, next_attempt_at, created_at)
			SELECT v.id, 'out', v.channel, 'bot', 'hello', '{"text":"hello"}', 'queued',
				$1::timestamptz - (v.id % 600) * interval '1 second', $1
			FROM conversations v`,
	} {
		var args []any
		if q != `VACUUM ANALYZE messages` {
			args = []any{now}
		}
		if _, err := pool.Exec(ctx, q, args...); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		err := store.InTx(ctx, pool, func(tx pgx.Tx) error {
			got, err := store.ClaimOutbound(ctx, tx, now, time.Minute, 16)
			if err == nil && len(got) != 16 {
				b.Fatalf("claimed %d rows, want 16", len(got))
			}
			if err != nil {
				return err
			}
			return errRollback
		})
		if err != nil && err != errRollback {
			b.Fatal(err)
		}
	}
}
