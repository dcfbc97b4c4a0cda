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
// table before its turn; a turn that finds an earlier update of the same
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

// handleOrdered runs the turn transaction, stepping back while an earlier
// update of the same chat is in flight. dup reports a retried delivery.
func (b *Bot) handleOrdered(ctx context.Context, in tipline.Inbound, ts store.TurnStart) (dup bool, err error) {
	ordered := in.Seq > 0
	if ordered {
		ts.Seq = in.Seq
		if err := store.RegisterInflight(ctx, b.pool, ts.IDHash, in.Seq, ts.Now); err != nil {
			return false, err
		}
	}
	for attempt := 0; ; attempt++ {
		err = store.RunTurn(ctx, b.pool, ts, func(tx *store.Turn, conv store.Conversation, msgID int64, inserted bool) error {
			if !inserted {
				dup = true
				return nil
			}
			if attempt < maxHoldBacks && (conv.EarlierInFlight || attempt < graceSteps && b.burstGap(conv, in)) {
				return errHoldBack
			}
			return b.runTurn(ctx, tx, conv, in, ts, msgID)
		})
		if !errors.Is(err, errHoldBack) {
			break
		}
		select {
		case <-ctx.Done():
			err = ctx.Err()
		case <-time.After(holdBackStep):
			continue
		}
		break
	}
	if ordered && (err != nil || dup) {
		_ = store.ClearInflight(context.WithoutCancel(ctx), b.pool, ts.IDHash, in.Seq, ts.Now)
	}
	return dup, err
}
