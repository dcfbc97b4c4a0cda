package store

import (
	"context"
	"fmt"
	"time"

	"tipline"
)

// InlineAnswer is a danger answer that went out in a webhook's own HTTP
// response while the database was down (docs/design.md rule 16).
type InlineAnswer struct {
	ConversationID int64
	MessageID      int64 // the replayed inbound message
	Channel        tipline.Channel
	Reply          tipline.Reply
	SentAt         time.Time // when the webhook answered
	Now            time.Time
}

// recordInlineSQL turns the turn's first queued reply into the inline
// answer, recorded sent, when the turn found danger in the message: the
// screen is the same pure function, and its answer is a turn's first
// reply, so that row is the danger answer a second time.
const recordInlineSQL = `UPDATE messages m SET status = 'sent', body = $3, reply = $4, sent_at = $5,
		next_attempt_at = NULL, claimed_until = NULL
	WHERE m.id = (SELECT o.id FROM messages o WHERE o.conversation_id = $1 AND o.direction = 'out'
			AND o.kind = 'bot' AND o.status = 'queued' AND o.id > $2 ORDER BY o.id LIMIT 1)
		AND EXISTS (SELECT 1 FROM message_risk r WHERE r.message_id = $2 AND r.level = 'danger')`

const insertInlineSQL = `INSERT INTO messages (conversation_id, direction, channel, kind, body, reply, status,
		sent_at, created_at)
	VALUES ($1, 'out', $2, 'bot', $3, $4, 'sent', $5, $6)`

// RecordInlineAnswer records, in the turn that replays a message kept
// while the database was down, that its danger answer already went out:
// the turn's own danger answer becomes the inline one, recorded sent, so
// the outbox never sends it again (911 is never sent twice); when the
// turn queued none (an opted-out SMS sender), the answer is added as a
// sent row, so the transcript shows what the person got. The turn's
// queued writes must be flushed first (Turn.Flush). Provider copies of an
// inline answer have no id of ours and are not redacted.
func RecordInlineAnswer(ctx context.Context, db DBTX, a InlineAnswer) error {
	tag, err := db.Exec(ctx, recordInlineSQL, a.ConversationID, a.MessageID, a.Reply.Text, a.Reply, a.SentAt)
	if err != nil {
		return fmt.Errorf("record inline answer: %w", err)
	}
	if tag.RowsAffected() > 0 {
		return nil
	}
	if _, err := db.Exec(ctx, insertInlineSQL, a.ConversationID, a.Channel, a.Reply.Text, a.Reply, a.SentAt, a.Now); err != nil {
		return fmt.Errorf("record inline answer: %w", err)
	}
	return nil
}
