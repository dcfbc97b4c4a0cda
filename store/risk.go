package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"tipline"
	"tipline/risk"
)

// RiskRecord is one risk-screen outcome (concern or danger) to save with
// the turn: the decision goes against the inbound message, and the
// conversation is flagged at the highest level it has reached.
type RiskRecord struct {
	ConversationID int64
	MessageID      int64 // the inbound message; 0 when there is none (nothing is stored against it)
	Decision       risk.Decision
	Now            time.Time
}

// QueueRisk adds the outcome to a turn's batch: the conversation is
// flagged (a concern never lowers a danger, nor replaces its category), and
// the level, categories and reasons are stored against the message. The
// reasons are never logged.
func QueueRisk(b *pgx.Batch, r RiskRecord) {
	level := r.Decision.Level.String()
	b.Queue(`UPDATE conversations SET high_risk = true,
		risk_category = CASE WHEN $2 = 'danger' OR risk_level <> 'danger' THEN $3 ELSE risk_category END,
		risk_level = CASE WHEN $2 = 'danger' OR risk_level = '' THEN $2 ELSE risk_level END,
		flagged_at = $4
		WHERE id = $1`, r.ConversationID, level, string(r.Decision.Category()), r.Now)
	if r.MessageID == 0 {
		return
	}
	reasons, err := json.Marshal(scrubReasons(r.Decision.Reasons))
	if err != nil || r.Decision.Reasons == nil {
		reasons = []byte("[]")
	}
	b.Queue(`INSERT INTO message_risk (message_id, level, categories, lang, score, reasons, created_at)
		VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7) ON CONFLICT (message_id) DO NOTHING`,
		r.MessageID, level, categoryNames(r.Decision.Categories), r.Decision.Lang, r.Decision.Score, string(reasons), r.Now)
}

// scrubReasons drops from the reasons' evidence anything that may be a
// contact detail (a run of three digits or more, an @): those are never
// stored in clear (docs/privacy.md), and a reason does not need them.
func scrubReasons(rs []risk.Reason) []risk.Reason {
	out := make([]risk.Reason, len(rs))
	for i, x := range rs {
		if mayBeContact(x.Evidence) {
			x.Evidence = "[withheld]"
		}
		out[i] = x
	}
	return out
}

func mayBeContact(s string) bool {
	run := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			if run++; run >= 3 {
				return true
			}
		case r == '@':
			return true
		default:
			run = 0
		}
	}
	return false
}

func categoryNames(cs []risk.Category) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

// The marks staff may put on an inbound message for corpus review.
const (
	RiskMarkMissed     = "missed_risk" // the screen should have flagged it
	RiskMarkFalseAlarm = "false_alarm" // the screen flagged it wrongly
)

// MessageRisk is what staff see about one inbound message: the screen's
// decision (Level "" when it flagged nothing) and any review mark.
type MessageRisk struct {
	MessageID  int64
	Level      string
	Categories []string
	Lang       string
	Score      float64
	Reasons    []risk.Reason
	Mark       string
	MarkedBy   string // the marking staff member's email
	MarkedAt   *time.Time
}

const messageRiskColumns = `m.id, COALESCE(r.level, ''), COALESCE(r.categories, '{}'), COALESCE(r.lang, ''),
	COALESCE(r.score, 0), COALESCE(r.reasons, '[]'), COALESCE(k.mark, ''), COALESCE(s.email, ''), k.created_at`

const messageRiskFrom = ` FROM messages m LEFT JOIN message_risk r ON r.message_id = m.id
	LEFT JOIN risk_marks k ON k.message_id = m.id LEFT JOIN staff s ON s.id = k.staff_id`

func scanMessageRisk(row pgx.Row, extra ...any) (MessageRisk, error) {
	var x MessageRisk
	var reasons []byte
	dest := append([]any{&x.MessageID, &x.Level, &x.Categories, &x.Lang, &x.Score, &reasons, &x.Mark, &x.MarkedBy, &x.MarkedAt}, extra...)
	if err := row.Scan(dest...); err != nil {
		return x, err
	}
	if err := json.Unmarshal(reasons, &x.Reasons); err != nil {
		return x, fmt.Errorf("risk reasons: %w", err)
	}
	return x, nil
}

// ChatRisks returns, by message id, the decision and mark of every inbound
// message of a conversation that has either.
func ChatRisks(ctx context.Context, db DBTX, conversationID int64) (map[int64]MessageRisk, error) {
	rows, err := db.Query(ctx, `SELECT `+messageRiskColumns+messageRiskFrom+`
		WHERE m.conversation_id = $1 AND m.direction = 'in'
		  AND (r.message_id IS NOT NULL OR k.message_id IS NOT NULL)`, conversationID)
	if err != nil {
		return nil, fmt.Errorf("chat risks: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (MessageRisk, error) { return scanMessageRisk(r) })
	if err != nil {
		return nil, fmt.Errorf("chat risks: %w", err)
	}
	out := make(map[int64]MessageRisk, len(list))
	for _, x := range list {
		out[x.MessageID] = x
	}
	return out, nil
}

// RiskMark is a staff member's review mark on an inbound message.
type RiskMark struct {
	ConversationID int64
	MessageID      int64
	Mark           string // RiskMarkMissed, RiskMarkFalseAlarm, or "" to clear the mark
	StaffID        int64
	Now            time.Time
}

// MarkRisk sets or clears the review mark of an inbound message of the
// conversation; a message of another conversation, or not inbound, is not
// found.
func MarkRisk(ctx context.Context, db DBTX, m RiskMark) error {
	var tag pgconn.CommandTag
	var err error
	switch m.Mark {
	case RiskMarkMissed, RiskMarkFalseAlarm:
		tag, err = db.Exec(ctx, `INSERT INTO risk_marks (message_id, mark, staff_id, created_at)
			SELECT id, $3, $4, $5 FROM messages WHERE id = $1 AND conversation_id = $2 AND direction = 'in'
			ON CONFLICT (message_id) DO UPDATE SET mark = EXCLUDED.mark, staff_id = EXCLUDED.staff_id,
			  created_at = EXCLUDED.created_at`, m.MessageID, m.ConversationID, m.Mark, m.StaffID, m.Now)
	case "":
		tag, err = db.Exec(ctx, `DELETE FROM risk_marks k USING messages m
			WHERE k.message_id = $1 AND m.id = k.message_id AND m.conversation_id = $2`, m.MessageID, m.ConversationID)
		if err == nil {
			return nil // clearing no mark is fine
		}
	default:
		return tipline.Errorf(tipline.EInvalid, "unknown mark %q", m.Mark)
	}
	if err != nil {
		return fmt.Errorf("mark risk: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return tipline.Errorf(tipline.ENotFound, "message not found")
	}
	return nil
}

// MarkedMessage is a marked message as an admin reviews it for the corpus:
// its text, the screen's decision, the mark, and the conversation it is in.
type MarkedMessage struct {
	MessageRisk
	Body                 string
	SentAt               time.Time
	ConversationPublicID string
	ConversationLang     string
}

// RiskMarks lists marked messages, newest mark first.
func RiskMarks(ctx context.Context, db DBTX, limit int) ([]MarkedMessage, error) {
	rows, err := db.Query(ctx, `SELECT `+messageRiskColumns+`, m.body, m.created_at, v.public_id, v.lang`+messageRiskFrom+`
		JOIN conversations v ON v.id = m.conversation_id
		WHERE k.message_id IS NOT NULL ORDER BY k.created_at DESC, m.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("risk marks: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (MarkedMessage, error) {
		var x MarkedMessage
		mr, err := scanMessageRisk(r, &x.Body, &x.SentAt, &x.ConversationPublicID, &x.ConversationLang)
		x.MessageRisk = mr
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("risk marks: %w", err)
	}
	return list, nil
}

// ChatRisks returns the decisions and marks of chat's inbound messages, by
// message id (see ChatRisks).
func (s *Dashboard) ChatRisks(ctx context.Context, chat DashChat) (map[int64]MessageRisk, error) {
	return ChatRisks(ctx, s.pool, chat.ID)
}

// MarkRisk sets (or, with mark "", clears) a's review mark on an inbound
// message of chat, with its audit row (the mark, never the text).
func (s *Dashboard) MarkRisk(ctx context.Context, a Actor, chat DashChat, messageID int64, mark string) error {
	e := a.Entry("chat.risk_mark", "conversation", chat.PublicID, map[string]any{"message_id": messageID, "mark": mark})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		return MarkRisk(ctx, tx, RiskMark{ConversationID: chat.ID, MessageID: messageID, Mark: mark, StaffID: a.StaffID, Now: a.At})
	})
}

// RiskMarks lists marked messages for corpus review, newest first; the
// listing is audited because it shows message text.
func (s *Dashboard) RiskMarks(ctx context.Context, a Actor, limit int) ([]MarkedMessage, error) {
	var out []MarkedMessage
	err := s.change(ctx, a.Entry("risk_marks.view", "risk_marks", "", nil), func(tx pgx.Tx) error {
		var err error
		out, err = RiskMarks(ctx, tx, limit)
		return err
	})
	return out, err
}
