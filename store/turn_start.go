package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// The start of a turn: lock the sender's conversation and insert the
// inbound message, in one round trip (docs/design.md, section 2).
//
// A known sender (most turns) only locks: lockTurnSQL takes the
// conversation row with SELECT … FOR NO KEY UPDATE, which writes no row
// version, and touches the contact only when its sealed identifier is
// missing or sealed under another key, or its last_seen_at is a minute
// old. The inbound text goes in with the message's insert, once, except
// in the report flow: a message there may hold contact details the flow
// redacts (a tip's contact step), so its text is stored after the step
// (QueueInboundBody) and contact details never reach the write-ahead log.
// The same statement removes a Telegram update's in-flight announcement
// (bot/order.go): the update is being handled now, and a turn that rolls
// back to its savepoint puts the announcement back.
//
// A sender without a conversation finds nothing to lock; a second round
// trip, upsertTurnSQL, then creates (or, when a concurrent first message
// won the race, upserts) the contact and the conversation.
const lockTurnSQL = `WITH v AS (
		SELECT v.id, v.public_id, v.contact_id, v.channel, v.kind, v.state, v.high_risk, v.claimed_by IS NOT NULL AS claimed,
			k.opted_out, v.last_seq, v.simulated, k.alias, v.last_inbound_at, v.released_at,
			k.last_seen_at <= $4::timestamptz - interval '1 minute' OR k.id_sealed IS NULL
				OR substring(k.id_sealed FROM 2 FOR 4) IS DISTINCT FROM substring($3::bytea FROM 2 FOR 4) AS touch,
			coalesce(v.state->>'flow', '') = 'report' AS deferred, v.flood_tokens, v.flood_at, v.flood_told
		FROM contacts k JOIN conversations v ON v.contact_id = k.id
		WHERE k.channel = $1 AND k.id_hash = $2
		FOR NO KEY UPDATE OF v
	), k AS (
		UPDATE contacts SET
			last_seen_at = CASE WHEN last_seen_at > $4::timestamptz - interval '1 minute' THEN last_seen_at ELSE $4 END,
			id_sealed = CASE WHEN substring(id_sealed FROM 2 FOR 4) = substring($3::bytea FROM 2 FOR 4) THEN id_sealed ELSE $3 END
		WHERE id = (SELECT contact_id FROM v WHERE touch)
	), s AS (
		UPDATE conversations SET source = $9 WHERE $9 <> '' AND id = (SELECT id FROM v)
	), d AS (
		DELETE FROM inflight WHERE $10::bigint > 0 AND chat = $2 AND seq = $10 AND EXISTS (SELECT 1 FROM v)
	), m AS (
		INSERT INTO messages (conversation_id, direction, channel, provider_id, kind, body, media_count, chat_message_ref, status, created_at)
		SELECT v.id, 'in', $1, $5, 'user', CASE WHEN v.deferred THEN '' ELSE $6 END, $7, $8, 'received', $4 FROM v
		ON CONFLICT (channel, provider_id) WHERE provider_id IS NOT NULL DO NOTHING
		RETURNING id
	)
	SELECT v.id, v.public_id, v.contact_id, v.channel, v.kind, v.state, v.high_risk, v.claimed, v.opted_out,
		v.last_seq, v.simulated, v.alias, v.last_inbound_at, v.released_at, (SELECT id FROM m), v.deferred OR $6 = '',
		$10::bigint > 0 AND EXISTS (SELECT 1 FROM inflight WHERE chat = $2 AND seq < $10 AND at > $4::timestamptz - interval '5 seconds'),
		v.flood_tokens, v.flood_at, v.flood_told
		FROM v`

// upsertTurnSQL is the start of a sender's first turn (see lockTurnSQL).
const upsertTurnSQL = `WITH k AS (
		INSERT INTO contacts (channel, id_hash, id_sealed, alias, last_seen_at)
		SELECT $1::text, $2::bytea, $3::bytea, $4::text, $5::timestamptz WHERE NOT EXISTS (SELECT 1 FROM contacts k JOIN conversations v ON v.contact_id = k.id
			WHERE k.channel = $1 AND k.id_hash = $2)
		ON CONFLICT (channel, id_hash) DO UPDATE SET
			last_seen_at = CASE WHEN contacts.last_seen_at > EXCLUDED.last_seen_at - interval '1 minute'
				THEN contacts.last_seen_at ELSE EXCLUDED.last_seen_at END,
			id_sealed = CASE WHEN substring(contacts.id_sealed FROM 2 FOR 4) = substring(EXCLUDED.id_sealed FROM 2 FOR 4)
				THEN contacts.id_sealed ELSE EXCLUDED.id_sealed END
		RETURNING id, opted_out, alias
	), v AS (
		INSERT INTO conversations (public_id, channel, contact_id, simulated, source, created_at, updated_at)
		SELECT $6, $1, k.id, $7, $12, $5, $5 FROM k
		ON CONFLICT (contact_id) WHERE contact_id IS NOT NULL DO UPDATE SET source = CASE WHEN $12 <> '' THEN $12 ELSE conversations.source END
		RETURNING id, public_id, contact_id, channel, kind, state, high_risk, claimed_by IS NOT NULL AS claimed, last_seq, simulated,
			last_inbound_at, released_at, coalesce(state->>'flow', '') = 'report' AS deferred, flood_tokens, flood_at, flood_told
	), d AS (
		DELETE FROM inflight WHERE $13::bigint > 0 AND chat = $2 AND seq = $13 AND EXISTS (SELECT 1 FROM v)
	), m AS (
		INSERT INTO messages (conversation_id, direction, channel, provider_id, kind, body, media_count, chat_message_ref, status, created_at)
		SELECT v.id, 'in', $1, $8, 'user', CASE WHEN v.deferred THEN '' ELSE $9 END, $10, $11, 'received', $5 FROM v
		ON CONFLICT (channel, provider_id) WHERE provider_id IS NOT NULL DO NOTHING
		RETURNING id
	)
	SELECT v.id, v.public_id, v.contact_id, v.channel, v.kind, v.state, v.high_risk, v.claimed, k.opted_out,
		v.last_seq, v.simulated, k.alias, v.last_inbound_at, v.released_at, (SELECT id FROM m), v.deferred OR $9 = '',
		$13::bigint > 0 AND EXISTS (SELECT 1 FROM inflight WHERE chat = $2 AND seq < $13 AND at > $5::timestamptz - interval '5 seconds'),
		v.flood_tokens, v.flood_at, v.flood_told
		FROM v, k`

const rehashContactSQL = `UPDATE contacts SET id_hash = $2 WHERE channel = $1 AND id_hash = ANY($3)
	AND NOT EXISTS (SELECT 1 FROM contacts WHERE channel = $1 AND id_hash = $2)`

// startTurn is what the first statements of a turn return.
type startTurn struct {
	c     Conversation
	id    *int64
	found bool
}

// queue adds the turn's first statements to b; their results land in st
// when b is closed.
func (st *startTurn) queue(b *pgx.Batch, s TurnStart) {
	if len(s.OldHashes) > 0 {
		b.Queue(rehashContactSQL, s.Channel, s.IDHash, s.OldHashes)
	}
	b.Queue(lockTurnSQL, s.Channel, s.IDHash, s.IDSealed, s.Now, s.ProviderID, s.Body, s.MediaCount, s.ChatRef,
		s.Source, s.Seq).QueryRow(st.scan)
}

// queueUpsert adds the start of a sender's first turn to b.
func (st *startTurn) queueUpsert(b *pgx.Batch, s TurnStart) {
	b.Queue(upsertTurnSQL, s.Channel, s.IDHash, s.IDSealed, s.Alias, s.Now, s.PublicID, s.Simulated, s.ProviderID,
		s.Body, s.MediaCount, s.ChatRef, s.Source, s.Seq).QueryRow(st.scan)
}

// scan reads the row of the start statement that found or made the
// conversation (none: it did not).
func (st *startTurn) scan(r pgx.Row) error {
	c := &st.c
	err := r.Scan(&c.ID, &c.PublicID, &c.ContactID, &c.Channel, &c.Kind, &c.State, &c.HighRisk, &c.Claimed,
		&c.OptedOut, &c.LastSeq, &c.Simulated, &c.Alias, &c.LastInboundAt, &c.ReleasedAt, &st.id, &c.TextDeferred,
		&c.EarlierInFlight, &c.flood.tokens, &c.flood.at, &c.flood.told)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil
	}
	if err == nil {
		st.found = true
	}
	return err
}

func (st *startTurn) result() (Conversation, int64, bool) {
	if st.id == nil {
		return st.c, 0, false
	}
	return st.c, *st.id, true
}

// batchSender is a connection or a transaction.
type batchSender interface {
	SendBatch(context.Context, *pgx.Batch) pgx.BatchResults
}

// run sends b (which holds st's statements, after whatever the caller put
// before them), then again if needed.
func (st *startTurn) run(ctx context.Context, db batchSender, b *pgx.Batch, s TurnStart) (Conversation, int64, bool, error) {
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return Conversation{}, 0, false, fmt.Errorf("start turn: %w", err)
	}
	return st.again(ctx, db, s)
}

// again returns what the lock found; when it found nothing (a sender's
// first message), it sends upsertTurnSQL, and in the rare case where that
// found the conversation made meanwhile by a concurrent first message of
// the same sender (and so did nothing), the lock and the upsert again:
// the lock then finds it.
func (st *startTurn) again(ctx context.Context, db batchSender, s TurnStart) (Conversation, int64, bool, error) {
	s.OldHashes = nil // rehashed the first time
	for try := 0; !st.found; try++ {
		if try == 2 {
			return Conversation{}, 0, false, errors.New("start turn: no conversation found or made")
		}
		b := &pgx.Batch{}
		if try == 1 {
			st.queue(b, s)
		}
		st.queueUpsert(b, s)
		if err := db.SendBatch(ctx, b).Close(); err != nil {
			return Conversation{}, 0, false, fmt.Errorf("start turn: %w", err)
		}
	}
	c, id, inserted := st.result()
	return c, id, inserted, nil
}

// StartTurn runs a turn's first statements in db (a transaction): it
// locks (or creates) the sender's conversation until the transaction ends
// and inserts the inbound message, in one round trip. inserted is false
// when the message was stored before: a retried delivery, which must
// change nothing. RunTurn does the same with BEGIN in the same round trip.
func StartTurn(ctx context.Context, db batchSender, s TurnStart) (c Conversation, msgID int64, inserted bool, err error) {
	var st startTurn
	b := &pgx.Batch{}
	st.queue(b, s)
	return st.run(ctx, db, b, s)
}
