package bot

import (
	"context"
	"errors"
	"time"

	"tipline"
	"tipline/store"
)

// Ordering: Telegram can deliver one chat's updates over parallel
// connections. Each Telegram update announces itself in a small unlogged
// table before its turn (with the other updates of its turn group); a turn that finds an earlier update of the same
// chat still in flight steps back briefly and lets it go first, so that one
// chat's messages are handled in update_id order, one at a time (the
// conversation row lock). A turn waits at most maxHoldBacks*holdBackStep,
// then goes ahead: nothing is ever dropped for ordering.
const (
	holdBackStep = 5 * time.Millisecond
	maxHoldBacks = 400
)

var errHoldBack = errors.New("bot: earlier update in flight")

// A burst: when a chat's update comes within burstWindow of the previous
// one and update ids were skipped in between, an earlier update of the
// chat may not even have announced itself yet. The turn then gives it
// graceSteps*holdBackStep to arrive. Messages typed by a person are never
// that close, so only albums and parallel deliveries pay this.
const (
	burstWindow = 100 * time.Millisecond
	graceSteps  = 6
)

func (b *Bot) burstGap(conv store.Conversation, in tipline.Inbound) bool {
	if conv.LastSeq == 0 || in.Seq <= conv.LastSeq+1 || conv.LastInboundAt == nil {
		return false
	}
	return b.clock.Now().Sub(*conv.LastInboundAt) < burstWindow
}

// announce marks a Telegram update as one to order (a no-op for channels
// without an order key): its turn's group registers it as in flight before
// the group begins, in one statement for all the group's updates
// (store/turn_group.go), and the turn removes it when it commits. announce
// returns what to call after a turn that failed or was a duplicate.
func (b *Bot) announce(ctx context.Context, in tipline.Inbound, ts *store.TurnStart) (clear func(), err error) {
	if in.Seq <= 0 {
		return func() {}, nil
	}
	ts.Seq = in.Seq
	return func() { _ = store.ClearInflight(context.WithoutCancel(ctx), b.pool, ts.IDHash, in.Seq, ts.Now) }, nil
}

// holdBack says whether the turn should step back and let an earlier
// update of the same chat go first (attempt counts the tries so far).
func (b *Bot) holdBack(conv store.Conversation, in tipline.Inbound, attempt int) bool {
	return attempt < maxHoldBacks && (conv.EarlierInFlight || attempt < graceSteps && b.burstGap(conv, in))
}

// waitHoldBack waits one step before the turn is tried again.
func waitHoldBack(ctx context.Context) error {
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(holdBackStep):
		return nil
	}
}
