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
	"tipline/flood"
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
	Body       string // the inbound text; stored at once unless the report flow defers it (TextDeferred)
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
	// TextDeferred: the start of the turn stored the inbound message
	// without its text (TurnStart.Body was empty, or the conversation is in
	// the report flow, where the text may hold contact details the flow
	// redacts); the turn stores it after the step (QueueInboundBody).
	TextDeferred bool

	flood storedBucket // the sender's flood bucket (store/flood.go)
}

// Turn is one inbound message's part of a group's transaction (docs/design.md,
// section 2, and store/turn_group.go), on the group's connection. It keeps a
// turn to few round trips without hiding where an error happened:
//
//   - Statements whose results the turn needs run at once: Turn is a
//     DBTX, so the store's functions take it, and each reports its own
//     error. The writes still queued go first, in the same round trip.
//   - Writes whose results nobody reads are queued (the Queue methods) and
//     sent together with the next turn's start, or with COMMIT, or earlier
//     by Flush. A queued write that fails is reported by name ("save turn:
//     queue outbound: ...") and the turn rolls back to its savepoint.
//
// Statements run under the group's context, not the caller's: a caller
// that goes away must not break the connection its group shares.
type Turn struct {
	conn    *pgxpool.Conn
	pending *pgx.Batch
	ctx     context.Context
	flood   *flood.Bucket // taken by TakeFlood, saved by QueueConversationUpdate
}

var _ DBTX = (*Turn)(nil)

// RunTurn runs fn on the sender's locked conversation, in a transaction
// shared with the turns that arrive at the same time (store/turn_group.go):
// BEGIN travels with the first turn's start, each turn's queued writes with
// the next turn's start, and COMMIT with the last turn's writes. It returns
// nil once the turn is committed; fn's error, or the turn's own failure,
// means nothing of the turn was saved.
func RunTurn(ctx context.Context, pool *pgxpool.Pool, s TurnStart,
	fn func(t *Turn, c Conversation, msgID int64, inserted bool) error) error {
	return grouperFor(pool).run(&turnReq{call: newCall(ctx), s: s, fn: fn})
}

// Exec implements DBTX: the statement runs at once, after the writes
// still queued (in the same round trip).
func (t *Turn) Exec(_ context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	if t.pending.Len() == 0 {
		return t.conn.Exec(t.ctx, sql, args...)
	}
	var tag pgconn.CommandTag
	b := t.pending
	t.pending = &pgx.Batch{}
	b.Queue(sql, args...).Exec(func(ct pgconn.CommandTag) error { tag = ct; return nil })
	err := t.conn.SendBatch(t.ctx, b).Close()
	return tag, err
}

// Query implements DBTX: the statement runs at once, after the writes
// still queued (sent first: one more round trip).
func (t *Turn) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := t.Flush(ctx); err != nil {
		return nil, err
	}
	return t.conn.Query(t.ctx, sql, args...)
}

// QueryRow implements DBTX: the statement runs at once, after the writes
// still queued (in the same round trip).
func (t *Turn) QueryRow(_ context.Context, sql string, args ...any) pgx.Row {
	if t.pending.Len() == 0 {
		return t.conn.QueryRow(t.ctx, sql, args...)
	}
	b := t.pending
	t.pending = &pgx.Batch{}
	writes := b.QueuedQueries
	b.Queue(sql, args...)
	br := t.conn.SendBatch(t.ctx, b)
	for _, q := range writes {
		var err error
		if q.Fn != nil {
			err = q.Fn(br)
		} else {
			_, err = br.Exec()
		}
		if err != nil {
			_ = br.Close()
			return errRow{err}
		}
	}
	return &batchRow{row: br.QueryRow(), br: br}
}

// batchRow is the row of the last statement of a batch; Scan closes the
// batch.
type batchRow struct {
	row pgx.Row
	br  pgx.BatchResults
}

// Scan implements pgx.Row.
func (r *batchRow) Scan(dest ...any) error {
	err := r.row.Scan(dest...)
	if cerr := r.br.Close(); err == nil {
		err = cerr
	}
	return err
}

// errRow is a pgx.Row that failed before it ran.
type errRow struct{ err error }

// Scan implements pgx.Row.
func (r errRow) Scan(...any) error { return r.err }

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
func (t *Turn) Flush(context.Context) error {
	if t.pending.Len() == 0 {
		return nil
	}
	b := t.pending
	t.pending = &pgx.Batch{}
	return t.conn.SendBatch(t.ctx, b).Close()
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
	// Crisis marks the bot's answer to a message the risk screen read as
	// danger: claimed first when a provider pause ends, and a chat whose
	// crisis reply misses its deadline is flagged and paged.
	Crisis bool
	Now    time.Time
}

const insertOutboundSQL = `INSERT INTO messages (conversation_id, direction, channel, kind, body, reply, target,
	status, next_attempt_at, expires_at, after_send, priority, created_at)
	VALUES ($1, 'out', $2, $3, $4, $5, $6, 'queued', $7, $8, $9, $10, $7)`

// priority is the stored priority of o (migration 0013).
func (o Outbound) priority() int16 {
	if o.Crisis {
		return 1
	}
	return 0
}

// QueueOutbound queues an outbound row.
func (t *Turn) QueueOutbound(o Outbound) {
	t.queue("queue outbound", insertOutboundSQL, o.ConversationID, o.Channel, o.Kind, o.Body, o.Reply, o.Target,
		o.Now, o.ExpiresAt, o.AfterSend, o.priority())
}

// InsertOutbound queues one outbound message and returns its id.
func InsertOutbound(ctx context.Context, db DBTX, o Outbound) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, insertOutboundSQL+" RETURNING id", o.ConversationID, o.Channel, o.Kind, o.Body, o.Reply,
		o.Target, o.Now, o.ExpiresAt, o.AfterSend, o.priority()).Scan(&id)
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

// QueueConversationUpdate queues the conversation's new state, with the
// flood bucket TakeFlood took from, if it did.
func (t *Turn) QueueConversationUpdate(u ConversationUpdate) {
	var tokens *float64
	var at *time.Time
	var told bool
	if b := t.flood; b != nil {
		tokens, at, told = &b.Tokens, &b.At, b.Told
	}
	t.queue("update conversation", `UPDATE conversations SET state = $2, kind = CASE WHEN $3 = '' THEN kind ELSE $3 END,
		lang = $4, last_seq = greatest(last_seq, $5), updated_at = $6,
		last_inbound_at = CASE WHEN $7 THEN $6 ELSE last_inbound_at END,
		flood_tokens = coalesce($8, flood_tokens), flood_at = coalesce($9, flood_at),
		flood_told = CASE WHEN $9::timestamptz IS NULL THEN flood_told ELSE $10 END
		WHERE id = $1`, u.ID, u.State, u.Kind, u.Lang, u.Seq, u.Now, u.Inbound, tokens, at, told)
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

// QueueInboundBody stores the text of the turn's inbound message, when
// StartTurn inserted it empty (Conversation.TextDeferred), unless the turn already replaced it with a note
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
