package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
)

// youthValidity is how long a message to a youth may wait before it is
// dropped instead of sent (tipline.YouthValidity, docs/design.md rule 4).
const youthValidity = tipline.YouthValidity

// maxSMSStaffChars keeps a staff message by SMS within 3 segments.
const maxSMSStaffChars = 450

// QueueStaffMessage queues a staff member's message to the person in a
// conversation (kind 'staff'), delivered by the same workers as the bot's
// replies. The conversation must still have a reachable contact. Messages
// to anyone but a tipster expire like the bot's replies to youth.
func QueueStaffMessage(ctx context.Context, db DBTX, conversationID int64, text string, now time.Time) (int64, error) {
	text = strings.TrimSpace(text)
	if text == "" || len(text) > 1500 {
		return 0, tipline.Errorf(tipline.EInvalid, "a message needs 1 to 1500 characters")
	}
	var channel tipline.Channel
	var kind tipline.ConversationKind
	var reachable bool
	err := db.QueryRow(ctx, `SELECT v.channel, v.kind,
		k.id_sealed IS NOT NULL AND NOT k.opted_out AND NOT k.blocked
		FROM conversations v LEFT JOIN contacts k ON k.id = v.contact_id WHERE v.id = $1 FOR UPDATE OF v`,
		conversationID).Scan(&channel, &kind, &reachable)
	if err != nil {
		return 0, notFound(err, "conversation")
	}
	if !reachable {
		return 0, tipline.Errorf(tipline.EConflict, "this person can no longer be reached")
	}
	if channel == tipline.ChannelSMS && len([]rune(text)) > maxSMSStaffChars {
		return 0, tipline.Errorf(tipline.EInvalid, "an SMS message holds at most %d characters (3 segments)", maxSMSStaffChars)
	}
	var expires *time.Time
	if kind != tipline.ConversationTipster {
		e := now.Add(youthValidity)
		expires = &e
	}
	return InsertOutbound(ctx, db, Outbound{ConversationID: &conversationID, Channel: channel, Kind: tipline.MessageStaff,
		Body: text, Reply: tipline.Reply{Text: text}, ExpiresAt: expires, Now: now})
}

// DashPage is one staff page as the dashboard lists it.
type DashPage struct {
	ID              int64
	Reason          string
	ConversationPID string
	TipID           *int64
	TipCode         string
	CreatedAt       time.Time
	AckedBy         string
	AckedAt         *time.Time
	ResentAt        *time.Time
	ResendCount     int
}

// DashPages lists pages, unacknowledged first, then newest.
func DashPages(ctx context.Context, db DBTX, limit int) ([]DashPage, error) {
	rows, err := db.Query(ctx, `SELECT p.id, p.reason, COALESCE(v.public_id, ''), p.tip_id, COALESCE(t.code, ''),
		p.created_at, COALESCE(s.email, ''), p.acked_at, p.resent_at, p.resend_count
		FROM pages p LEFT JOIN conversations v ON v.id = p.conversation_id LEFT JOIN tips t ON t.id = p.tip_id
		LEFT JOIN staff s ON s.id = p.acked_by
		ORDER BY p.acked_at IS NOT NULL, p.created_at DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DashPage, error) {
		var p DashPage
		err := r.Scan(&p.ID, &p.Reason, &p.ConversationPID, &p.TipID, &p.TipCode, &p.CreatedAt, &p.AckedBy,
			&p.AckedAt, &p.ResentAt, &p.ResendCount)
		return p, err
	})
}

// AckPage acknowledges a page; acknowledging twice is a conflict.
func AckPage(ctx context.Context, db DBTX, id, staffID int64, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE pages SET acked_by = $2, acked_at = $3 WHERE id = $1 AND acked_at IS NULL`, id, staffID, now)
	if err != nil {
		return fmt.Errorf("ack page: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return tipline.Errorf(tipline.EConflict, "page not found or already acknowledged")
	}
	return nil
}

// AckConversationPages acknowledges every open page of a conversation (a
// claim answers them) and returns how many.
func AckConversationPages(ctx context.Context, db DBTX, conversationID, staffID int64, now time.Time) (int64, error) {
	tag, err := db.Exec(ctx, `UPDATE pages SET acked_by = $2, acked_at = $3 WHERE conversation_id = $1 AND acked_at IS NULL`,
		conversationID, staffID, now)
	return tag.RowsAffected(), err
}

// DuePage is a page to send again.
type DuePage struct {
	ID              int64
	Reason          string
	ConversationPID string
	TipID           *int64
}

// ResendDuePages finds pages nobody acknowledged within every since their
// last sending (at most maxResends times), marks them re-sent and queues
// ONE outbound message per target with text(due) for all of them, so a
// surge of unacknowledged pages never floods the staff group. Simulated
// conversations never page. It returns the pages re-sent.
func ResendDuePages(ctx context.Context, db DBTX, now time.Time, every time.Duration, maxResends int,
	targets []string, text func([]DuePage) string) ([]DuePage, error) {
	rows, err := db.Query(ctx, `WITH due AS (
		SELECT p.id FROM pages p LEFT JOIN conversations v ON v.id = p.conversation_id
		WHERE p.acked_at IS NULL AND p.resend_count < $3 AND COALESCE(p.resent_at, p.created_at) <= $1::timestamptz - $2::interval
		  AND NOT COALESCE(v.simulated, false)
		ORDER BY p.id LIMIT 100 FOR UPDATE OF p SKIP LOCKED)
		UPDATE pages p SET resent_at = $1, resend_count = p.resend_count + 1 FROM due WHERE p.id = due.id
		RETURNING p.id, p.reason, COALESCE((SELECT public_id FROM conversations WHERE id = p.conversation_id), ''), p.tip_id`,
		now, every, maxResends)
	if err != nil {
		return nil, fmt.Errorf("due pages: %w", err)
	}
	due, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (DuePage, error) {
		var p DuePage
		return p, r.Scan(&p.ID, &p.Reason, &p.ConversationPID, &p.TipID)
	})
	if err != nil {
		return nil, fmt.Errorf("due pages: %w", err)
	}
	if len(due) == 0 {
		return nil, nil
	}
	body := "page:" + due[0].Reason
	if len(due) > 1 {
		body = "page:summary"
	}
	for _, target := range targets {
		ch := tipline.ChannelSMS
		if target == "telegram" {
			ch = tipline.ChannelTelegram
		}
		if _, err := InsertOutbound(ctx, db, Outbound{Channel: ch, Kind: tipline.MessagePage, Target: target,
			Body: body, Reply: tipline.Reply{Text: text(due)}, Now: now}); err != nil {
			return nil, err
		}
	}
	return due, nil
}
