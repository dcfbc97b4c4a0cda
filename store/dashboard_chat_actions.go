package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// The staff's work on high-risk chats and staff pages. Each action writes
// its audit row in the same transaction as its change.

// Pages lists staff pages, unacknowledged first, then newest.
func (s *Dashboard) Pages(ctx context.Context, limit int) ([]DashPage, error) {
	return DashPages(ctx, s.pool, limit)
}

// ClaimChat gives chat to a's staff member (the bot stops answering it)
// and counts its open pages as acknowledged.
func (s *Dashboard) ClaimChat(ctx context.Context, a Actor, chat DashChat) error {
	return InTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := ClaimChat(ctx, tx, chat.ID, a.StaffID, a.At); err != nil {
			return err
		}
		n, err := AckConversationPages(ctx, tx, chat.ID, a.StaffID, a.At)
		if err != nil {
			return err
		}
		return Audit(ctx, tx, a.Entry("chat.claim", "conversation", chat.PublicID, map[string]any{"pages_acked": n}))
	})
}

// ReleaseChat hands chat back to the bot; force lets an admin release a
// chat someone else claimed.
func (s *Dashboard) ReleaseChat(ctx context.Context, a Actor, chat DashChat, force bool) error {
	return s.change(ctx, a.Entry("chat.release", "conversation", chat.PublicID, nil), func(tx pgx.Tx) error {
		return ReleaseChat(ctx, tx, chat.ID, a.StaffID, force, a.At)
	})
}

// SendChatMessage queues a staff message to chat's youth. The audit row
// names the message, not its text.
func (s *Dashboard) SendChatMessage(ctx context.Context, a Actor, chat DashChat, text string) error {
	return InTx(ctx, s.pool, func(tx pgx.Tx) error {
		id, err := QueueStaffMessage(ctx, tx, chat.ID, text, a.At)
		if err != nil {
			return err
		}
		if err := TouchClaim(ctx, tx, chat.ID, a.StaffID, a.At); err != nil {
			return err
		}
		return Audit(ctx, tx, a.Entry("chat.message", "conversation", chat.PublicID, map[string]any{"message_id": id}))
	})
}

// AckPage acknowledges a staff page, which stops its re-sending.
func (s *Dashboard) AckPage(ctx context.Context, a Actor, id int64) error {
	return s.change(ctx, a.Entry("page.ack", "page", idString(id), nil), func(tx pgx.Tx) error {
		return AckPage(ctx, tx, id, a.StaffID, a.At)
	})
}

// ResendDuePages sends unacknowledged pages again (see ResendDuePages).
func (s *Dashboard) ResendDuePages(ctx context.Context, now time.Time, every time.Duration, maxResends int,
	targets []string, text func([]DuePage) string) ([]DuePage, error) {
	return ResendDuePages(ctx, s.pool, now, every, maxResends, targets, text)
}
