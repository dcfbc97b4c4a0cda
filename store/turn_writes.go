package store

import (
	"context"
	"fmt"
	"time"

	"tipline"
)

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
