package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
)

// DashChat is a conversation as staff see it: flagged by the risk screen,
// or any conversation a staff member takes over.
type DashChat struct {
	ID            int64
	PublicID      string
	Channel       string
	Kind          string
	Lang          string
	RiskCategory  string
	RiskLevel     string // "concern" or "danger" (store/risk.go)
	Simulated     bool
	FlaggedAt     *time.Time
	LastInboundAt *time.Time
	ClaimedBy     *int64
	ClaimedEmail  string
	ClaimedAt     *time.Time
	OpenPages     int
	Reachable     bool
	Alias         string
	Country       string     // ISO alpha-2 once known, from the conversation's state
	WaitingSince  *time.Time // waiting for a person since (nil: not waiting)
	HighRisk      bool
}

const dashChatColumns = `v.id, v.public_id, v.channel, v.kind, v.lang, v.risk_category, v.risk_level, v.simulated, v.flagged_at,
	v.last_inbound_at, v.claimed_by, COALESCE(s.email, ''), v.claimed_at,
	(SELECT count(*) FROM pages p WHERE p.conversation_id = v.id AND p.acked_at IS NULL),
	COALESCE(k.id_sealed IS NOT NULL AND NOT k.opted_out AND NOT k.blocked, false), COALESCE(k.alias, ''),
	COALESCE(v.state->>'country', ''), v.waiting_since, v.high_risk`

const dashChatFrom = ` FROM conversations v LEFT JOIN staff s ON s.id = v.claimed_by LEFT JOIN contacts k ON k.id = v.contact_id`

func scanDashChat(row pgx.Row) (DashChat, error) {
	var c DashChat
	err := row.Scan(&c.ID, &c.PublicID, &c.Channel, &c.Kind, &c.Lang, &c.RiskCategory, &c.RiskLevel, &c.Simulated, &c.FlaggedAt,
		&c.LastInboundAt, &c.ClaimedBy, &c.ClaimedEmail, &c.ClaimedAt, &c.OpenPages, &c.Reachable, &c.Alias,
		&c.Country, &c.WaitingSince, &c.HighRisk)
	return c, err
}

// Chats lists flagged conversations, newest flag first.
func (s *Dashboard) Chats(ctx context.Context, limit int) ([]DashChat, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+dashChatColumns+dashChatFrom+` WHERE v.high_risk
		ORDER BY v.flagged_at DESC NULLS LAST, v.id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("chats: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (DashChat, error) { return scanDashChat(r) })
}

// Chat loads one conversation by its public id (flagged or not: staff may
// take over any conversation).
func (s *Dashboard) Chat(ctx context.Context, publicID string) (DashChat, error) {
	c, err := scanDashChat(s.pool.QueryRow(ctx, `SELECT `+dashChatColumns+dashChatFrom+` WHERE v.public_id = $1`, publicID))
	return c, notFound(err, "chat")
}

// ClaimChat gives a conversation (any, youth or tipster) to staffID: the
// bot stops answering it (the risk screen and keywords excepted) until it
// is released or the claim goes idle, and it leaves the waiting queue. A
// chat claimed by someone else is a conflict.
func ClaimChat(ctx context.Context, db DBTX, id, staffID int64, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE conversations SET claimed_by = $2,
		claimed_at = CASE WHEN claimed_by = $2 THEN claimed_at ELSE $3 END, staff_active_at = $3, waiting_since = NULL
		WHERE id = $1 AND (claimed_by IS NULL OR claimed_by = $2)`, id, staffID, now)
	if err != nil {
		return fmt.Errorf("claim chat: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return tipline.Errorf(tipline.EConflict, "another staff member has this chat")
	}
	return nil
}

// ReleaseChat hands a claimed conversation back to the bot. Only the
// claimer may release it, unless force (an admin). A youth in crisis mode
// is returned to the menu (released_at, read by the next turn).
func ReleaseChat(ctx context.Context, db DBTX, id, staffID int64, force bool, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE conversations SET claimed_by = NULL, claimed_at = NULL, staff_active_at = NULL, waiting_since = NULL,
		released_at = $4
		WHERE id = $1 AND claimed_by IS NOT NULL AND (claimed_by = $2 OR $3)`, id, staffID, force, now)
	if err != nil {
		return fmt.Errorf("release chat: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return tipline.Errorf(tipline.EConflict, "this chat is not claimed by you")
	}
	return nil
}

// ChatLastMessage returns the id of a conversation's newest message
// (0 when none) and who holds it: what a chat page polls for.
func (s *Dashboard) ChatLastMessage(ctx context.Context, publicID string) (lastID int64, claimedBy *int64, err error) {
	err = s.pool.QueryRow(ctx, `SELECT COALESCE((SELECT max(m.id) FROM messages m WHERE m.conversation_id = v.id), 0), v.claimed_by
		FROM conversations v WHERE v.public_id = $1`, publicID).Scan(&lastID, &claimedBy)
	return lastID, claimedBy, notFound(err, "chat")
}
