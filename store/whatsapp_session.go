package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// LastInboundFor says when the person an outbound message (its id) goes
// to last wrote in its conversation; ok is false when they never did or
// the message has no conversation. WhatsApp's 24-hour window is measured
// from it.
func LastInboundFor(ctx context.Context, db DBTX, messageID int64) (at time.Time, ok bool, err error) {
	var last *time.Time
	err = db.QueryRow(ctx, `SELECT v.last_inbound_at FROM messages m JOIN conversations v ON v.id = m.conversation_id
		WHERE m.id = $1`, messageID).Scan(&last)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("last inbound: %w", err)
	}
	if last == nil {
		return time.Time{}, false, nil
	}
	return *last, true, nil
}
