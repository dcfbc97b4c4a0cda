// Package staffreply is the one way a staff member answers a tipster
// (POST /staff/tips/{id}/reply and the bulk canned reply): the reply goes
// to the tipster's conversation as an outbound message of kind staff, in
// their language and with their tip ID (never a staff name), is kept on
// the tip as an update, and puts the conversation in the follow-up state
// so that the tipster's next messages land on the tip (docs/design.md,
// rule 5).
package staffreply

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"tipline"
	"tipline/flows"
	"tipline/store"
)

// MaxLength is the longest staff reply, in characters.
const MaxLength = 1000

// ToTip queues staff member staffID's reply to the tipster of tip tipID,
// in db (a transaction: the tipster's conversation stays locked until it
// ends, so the reply and the flow state change together with the
// tipster's own turns). It fails with store.ErrNoFollowUp when the
// tipster said no follow-up, store.ErrNoTipster, store.ErrNoReplyID or
// store.ErrOptedOut when they can no longer be reached, and an EInvalid
// error for an empty or too long text. It returns the outbound message id;
// the caller wakes the outbox once the transaction commits.
func ToTip(ctx context.Context, db store.DBTX, tipID, staffID int64, text string, now time.Time) (int64, error) {
	text = strings.TrimSpace(text)
	if text == "" || len([]rune(text)) > MaxLength {
		return 0, tipline.Errorf(tipline.EInvalid, "a reply needs 1 to %d characters", MaxLength)
	}
	target, err := store.LockReplyTarget(ctx, db, tipID)
	if err != nil {
		return 0, err
	}
	convID := target.ConversationID
	reply := flows.StaffReplyText(target.Lang, target.TipCode, text)
	msgID, err := store.InsertOutbound(ctx, db, store.Outbound{ConversationID: &convID, Channel: target.Channel,
		Kind: tipline.MessageStaff, Body: text, Reply: reply, Now: now})
	if err != nil {
		return 0, err
	}
	staff := staffID
	if err := store.AddTipUpdate(ctx, db, store.TipUpdate{TipID: tipID, Source: "staff", StaffID: &staff,
		Body: text, MessageID: &msgID, Now: now}); err != nil {
		return 0, err
	}
	st, err := flows.DecodeState(target.State)
	if err != nil {
		slog.Warn("conversation state unreadable; starting afresh", "err", err)
	}
	if err := store.SetConversationState(ctx, db, convID, flows.FollowUpState(st, target.TipCode), now); err != nil {
		return 0, err
	}
	return msgID, nil
}
