package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
)

// TurnStart is what the first statement of a turn needs to know.
type TurnStart struct {
	Channel    tipline.Channel
	IDHash     []byte   // keyed hash of the sender under the current key
	OldHashes  [][]byte // hashes under previous keys (rotation in progress)
	IDSealed   []byte   // encrypted identifier for replying
	Alias      string
	PublicID   string // for a new conversation
	Simulated  bool
	ProviderID string
	Body       string
	MediaCount int
	ChatRef    string
	Source     string // deep-link payload, kept on a new conversation
	Seq        int64  // ordering key within the chat (Telegram update_id); 0 = none
	Now        time.Time
}

// Conversation is the locked conversation row a turn works on.
type Conversation struct {
	ID        int64
	PublicID  string
	ContactID int64
	Channel   tipline.Channel
	Kind      tipline.ConversationKind
	State     json.RawMessage
	HighRisk  bool
	Claimed   bool
	OptedOut  bool
	LastSeq   int64
	Simulated bool
	Alias     string
	// LastInboundAt is when the previous inbound message was handled.
	LastInboundAt *time.Time
	// ReleasedAt is when staff last released the chat (nil: never).
	ReleasedAt *time.Time
	// EarlierInFlight: an update of this chat with a lower Seq is being
	// handled by another request right now.
	EarlierInFlight bool
}

// startTurnSQL upserts the contact and its conversation (locking the
// conversation row until the transaction ends) and inserts the inbound
// message, in one statement. A known contact keeps its sealed identifier
// unless it is missing or sealed under another key, and its last_seen_at
// unless that is a minute old: the row then changes no indexed value and
// PostgreSQL updates it in place (a heap-only update, no index entries),
// which in a conversation of quick messages is most turns.
const startTurnSQL = `WITH k AS (
		INSERT INTO contacts (channel, id_hash, id_sealed, alias, last_seen_at) VALUES ($1, $2, $3, $4, $5)
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
		RETURNING id, public_id, contact_id, channel, kind, state, high_risk, claimed_by IS NOT NULL AS claimed, last_seq, simulated, last_inbound_at, released_at
	), m AS (
		INSERT INTO messages (conversation_id, direction, channel, provider_id, kind, body, media_count, chat_message_ref, status, created_at)
		SELECT v.id, 'in', $1, $8, 'user', $9, $10, $11, 'received', $5 FROM v
		ON CONFLICT (channel, provider_id) DO NOTHING
		RETURNING id
	)
	SELECT v.id, v.public_id, v.contact_id, v.channel, v.kind, v.state, v.high_risk, v.claimed, k.opted_out,
		v.last_seq, v.simulated, k.alias, v.last_inbound_at, v.released_at, (SELECT id FROM m),
		$13::bigint > 0 AND EXISTS (SELECT 1 FROM inflight WHERE chat = $2 AND seq < $13 AND at > $5::timestamptz - interval '5 seconds')
		FROM v, k`

const rehashContactSQL = `UPDATE contacts SET id_hash = $2 WHERE channel = $1 AND id_hash = ANY($3)
	AND NOT EXISTS (SELECT 1 FROM contacts WHERE channel = $1 AND id_hash = $2)`

// startTurn is what the first statements of a turn return.
type startTurn struct {
	c  Conversation
	id *int64
}

// queue adds the turn's first statements to b; their results land in st
// when b is closed.
func (st *startTurn) queue(b *pgx.Batch, s TurnStart) {
	if len(s.OldHashes) > 0 {
		b.Queue(rehashContactSQL, s.Channel, s.IDHash, s.OldHashes)
	}
	c := &st.c
	b.Queue(startTurnSQL, s.Channel, s.IDHash, s.IDSealed, s.Alias, s.Now, s.PublicID, s.Simulated, s.ProviderID, s.Body,
		s.MediaCount, s.ChatRef, s.Source, s.Seq).
		QueryRow(func(r pgx.Row) error {
			return r.Scan(&c.ID, &c.PublicID, &c.ContactID, &c.Channel, &c.Kind, &c.State, &c.HighRisk, &c.Claimed,
				&c.OptedOut, &c.LastSeq, &c.Simulated, &c.Alias, &c.LastInboundAt, &c.ReleasedAt, &st.id, &c.EarlierInFlight)
		})
}

func (st *startTurn) result() (Conversation, int64, bool) {
	if st.id == nil {
		return st.c, 0, false
	}
	return st.c, *st.id, true
}

// StartTurn runs a turn's first statements in db (a transaction): it
// upserts the contact and its conversation (locking the conversation row
// until the transaction ends) and inserts the inbound message, in one
// round trip. inserted is false when the message was stored before: a
// retried delivery, which must change nothing. RunTurn does the same with
// BEGIN in the same round trip.
func StartTurn(ctx context.Context, db interface {
	SendBatch(context.Context, *pgx.Batch) pgx.BatchResults
}, s TurnStart) (c Conversation, msgID int64, inserted bool, err error) {
	var st startTurn
	b := &pgx.Batch{}
	st.queue(b, s)
	if err := db.SendBatch(ctx, b).Close(); err != nil {
		return c, 0, false, fmt.Errorf("start turn: %w", err)
	}
	c, msgID, inserted = st.result()
	return c, msgID, inserted, nil
}

// Turn is the transaction of one inbound message (docs/design.md,
// section 2), begun by RunTurn on a pooled connection. It keeps a turn to
// two round trips without hiding where an error happened:
//
//   - Statements whose results the turn needs run at once: Turn is a
//     DBTX, so the store's functions take it, and each reports its own
//     error.
//   - Writes whose results nobody reads are queued (the Queue methods) and
//     sent together with COMMIT when the turn ends, or earlier by Flush.
//     A queued write that fails is reported by name ("save turn: queue
//     outbound: ...") from Flush or from the commit, and the transaction
//     rolls back. Statements run at once do not see queued writes until
//     Flush.
type Turn struct {
	conn    *pgxpool.Conn
	pending *pgx.Batch
}

var _ DBTX = (*Turn)(nil)

// RunTurn runs fn in a turn's transaction, in two round trips instead of
// four: BEGIN travels with the first statements (StartTurn's, whose
// results fn receives), and COMMIT with the queued writes. It commits when
// fn returns nil.
func RunTurn(ctx context.Context, pool *pgxpool.Pool, s TurnStart,
	fn func(t *Turn, c Conversation, msgID int64, inserted bool) error) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("store: acquire: %w", err)
	}
	t := &Turn{conn: conn, pending: &pgx.Batch{}}
	defer t.end(ctx)
	var st startTurn
	b := &pgx.Batch{}
	b.Queue("begin")
	st.queue(b, s)
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("start turn: %w", err)
	}
	c, msgID, inserted := st.result()
	if err := fn(t, c, msgID, inserted); err != nil {
		return err
	}
	return t.commit(ctx)
}

// Exec implements DBTX: the statement runs at once.
func (t *Turn) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return t.conn.Exec(ctx, sql, args...)
}

// Query implements DBTX: the statement runs at once.
func (t *Turn) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return t.conn.Query(ctx, sql, args...)
}

// QueryRow implements DBTX: the statement runs at once.
func (t *Turn) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return t.conn.QueryRow(ctx, sql, args...)
}

// queue adds a write whose failure is reported as "save turn: <what>".
func (t *Turn) queue(what, sql string, args ...any) {
	from := t.pending.Len()
	t.pending.Queue(sql, args...)
	t.name(from, what)
}

// name makes the queued statements from index from on report their
// failure as "save turn: <what>".
func (t *Turn) name(from int, what string) {
	for _, q := range t.pending.QueuedQueries[from:] {
		if q.Fn != nil {
			continue
		}
		q.Fn = func(br pgx.BatchResults) error {
			if _, err := br.Exec(); err != nil {
				return fmt.Errorf("save turn: %s: %w", what, err)
			}
			return nil
		}
	}
}

// Flush sends the queued writes now, so that the statements after it see
// them; it reports the first that failed, by name.
func (t *Turn) Flush(ctx context.Context) error {
	if t.pending.Len() == 0 {
		return nil
	}
	b := t.pending
	t.pending = &pgx.Batch{}
	return t.conn.SendBatch(ctx, b).Close()
}

// commit sends the queued writes and COMMIT in one round trip.
func (t *Turn) commit(ctx context.Context) error {
	b := t.pending
	t.pending = &pgx.Batch{}
	b.Queue("commit").Exec(func(tag pgconn.CommandTag) error {
		if tag.String() == "ROLLBACK" {
			return pgx.ErrTxCommitRollback
		}
		return nil
	})
	if err := t.conn.SendBatch(ctx, b).Close(); err != nil {
		return fmt.Errorf("store: commit turn: %w", err)
	}
	return nil
}

// end rolls back whatever is left open and returns the connection.
func (t *Turn) end(ctx context.Context) {
	if t.conn.Conn().PgConn().TxStatus() != 'I' {
		_, _ = t.conn.Exec(context.WithoutCancel(ctx), "rollback")
	}
	t.conn.Release()
}

// The writes of a turn. Those whose results nobody reads are Turn methods
// that queue them (sent with COMMIT, see Turn); the rest run at once.

// Outbound is one queued message.
type Outbound struct {
	ConversationID *int64 // nil for staff pages
	Channel        tipline.Channel
	Kind           tipline.MessageKind
	Body           string // plain text, for transcripts
	Reply          any    // tipline.Reply, stored as JSON
	Target         string // "" = the conversation's contact; pages: "telegram" or "sms:N"
	ExpiresAt      *time.Time
	AfterSend      AfterSend
	Now            time.Time
}

const insertOutboundSQL = `INSERT INTO messages (conversation_id, direction, channel, kind, body, reply, target,
	status, next_attempt_at, expires_at, after_send, created_at)
	VALUES ($1, 'out', $2, $3, $4, $5, $6, 'queued', $7, $8, $9, $7)`

// QueueOutbound queues an outbound row.
func (t *Turn) QueueOutbound(o Outbound) {
	t.queue("queue outbound", insertOutboundSQL, o.ConversationID, o.Channel, o.Kind, o.Body, o.Reply, o.Target,
		o.Now, o.ExpiresAt, o.AfterSend)
}

// InsertOutbound queues one outbound message and returns its id.
func InsertOutbound(ctx context.Context, db DBTX, o Outbound) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, insertOutboundSQL+" RETURNING id", o.ConversationID, o.Channel, o.Kind, o.Body, o.Reply,
		o.Target, o.Now, o.ExpiresAt, o.AfterSend).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("queue outbound: %w", err)
	}
	return id, nil
}

// ConversationUpdate is the new state a turn saves.
type ConversationUpdate struct {
	ID      int64
	State   any // flows.State, stored as JSON
	Kind    tipline.ConversationKind
	Lang    string
	Seq     int64
	Now     time.Time
	Inbound bool // the turn came from the user (updates last_inbound_at)
}

// QueueConversationUpdate queues the conversation's new state.
func (t *Turn) QueueConversationUpdate(u ConversationUpdate) {
	t.queue("update conversation", `UPDATE conversations SET state = $2, kind = CASE WHEN $3 = '' THEN kind ELSE $3 END,
		lang = $4, last_seq = greatest(last_seq, $5), updated_at = $6,
		last_inbound_at = CASE WHEN $7 THEN $6 ELSE last_inbound_at END
		WHERE id = $1`, u.ID, u.State, u.Kind, u.Lang, u.Seq, u.Now, u.Inbound)
}

// QueueOptOut queues STOP (optedOut) or START for a contact.
func (t *Turn) QueueOptOut(contactID int64, optedOut bool, now time.Time) {
	t.queue("opt out", `UPDATE contacts SET opted_out = $2, opted_out_at = CASE WHEN $2 THEN $3::timestamptz ELSE NULL END WHERE id = $1`,
		contactID, optedOut, now)
}

// QueuePage queues the record of a staff page (no message text, no
// identifier).
func (t *Turn) QueuePage(reason string, conversationID, tipID *int64, now time.Time) {
	t.queue("record page", `INSERT INTO pages (reason, conversation_id, tip_id, created_at) VALUES ($1, $2, $3, $4)`,
		reason, conversationID, tipID, now)
}

// QueueWantsPerson queues that the conversation asked for a person: it
// joins the waiting queue unless staff hold it or it already waits.
func (t *Turn) QueueWantsPerson(conversationID int64, now time.Time) {
	from := t.pending.Len()
	QueueWantsPerson(t.pending, conversationID, now)
	t.name(from, "wants a person")
}

// QueueInboundBody stores the text of the turn's inbound message, which
// StartTurn inserted empty, unless the turn already replaced it with a note
// (RedactLastInbound): contact details are then never written in clear,
// not even to the write-ahead log.
func (t *Turn) QueueInboundBody(msgID int64, body string) {
	t.queue("store inbound text", `UPDATE messages SET body = $2 WHERE id = $1 AND body = ''`, msgID, body)
}

// QueueRisk queues the risk screen's outcome for the conversation and the
// inbound message (store/risk.go).
func (t *Turn) QueueRisk(r RiskRecord) {
	from := t.pending.Len()
	QueueRisk(t.pending, r)
	t.name(from, "record risk")
}

// RegisterInflight announces that an update of a chat is being handled.
func RegisterInflight(ctx context.Context, db DBTX, chat []byte, seq int64, now time.Time) error {
	_, err := db.Exec(ctx, `INSERT INTO inflight (chat, seq, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, chat, seq, now)
	return err
}

// QueueInflightDone removes the announcement when the turn commits.
func (t *Turn) QueueInflightDone(chat []byte, seq int64) {
	t.queue("clear in-flight", `DELETE FROM inflight WHERE chat = $1 AND seq = $2`, chat, seq)
}

// ClearInflight removes an announcement (after a failed or duplicate turn)
// and any left by requests that died more than a minute ago.
func ClearInflight(ctx context.Context, db DBTX, chat []byte, seq int64, now time.Time) error {
	_, err := db.Exec(ctx, `DELETE FROM inflight WHERE (chat = $1 AND seq = $2) OR at < $3::timestamptz - interval '1 minute'`, chat, seq, now)
	return err
}

// SetContactBlocked records that a contact blocked (or unblocked) the bot.
func SetContactBlocked(ctx context.Context, db DBTX, channel tipline.Channel, hashes [][]byte, blocked bool) error {
	_, err := db.Exec(ctx, `UPDATE contacts SET blocked = $3 WHERE channel = $1 AND id_hash = ANY($2)`, channel, hashes, blocked)
	return err
}
