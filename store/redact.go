package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Redaction is one provider copy of an SMS body to erase through the
// provider's API: a live message row (MessageID set) or a SID left in
// provider_redactions when its row was deleted first.
type Redaction struct {
	MessageID int64 // 0 for a queued SID
	SID       string
	Attempts  int
}

// Redaction timing: a sent message is redacted once final, or this long
// after it was sent (its validity period is over by then); live rows are
// looked at for a week, after which erasure queues them anyway.
const (
	redactSettle = 15 * time.Minute
	redactWindow = 7 * 24 * time.Hour
	redactRetry  = 5 * time.Minute
)

// LiveRedactions lists up to limit SMS and WhatsApp messages of youth and not yet
// classified conversations whose body is still held by the provider: every
// inbound one, and outbound ones once final.
func LiveRedactions(ctx context.Context, db DBTX, now time.Time, limit int) ([]Redaction, error) {
	rows, err := db.Query(ctx, `SELECT m.id, coalesce(m.provider_message_id, m.provider_id), m.redact_attempts
		FROM messages m JOIN conversations v ON v.id = m.conversation_id
		WHERE m.channel IN ('sms', 'whatsapp') AND m.redacted_at IS NULL AND m.redact_attempts = 0 AND m.kind <> 'page'
		  AND m.created_at > $1 AND v.kind IN ('youth', 'unknown') AND NOT v.simulated
		  AND coalesce(m.provider_message_id, m.provider_id) IS NOT NULL
		  AND (m.direction = 'in' OR m.status IN ('delivered', 'undelivered', 'failed', 'read')
		       OR (m.status = 'sent' AND m.sent_at < $2))
		ORDER BY m.created_at, m.id LIMIT $3`, now.Add(-redactWindow), now.Add(-redactSettle), limit)
	if err != nil {
		return nil, fmt.Errorf("live redactions: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Redaction])
}

// QueuedRedactions lists up to limit SIDs of deleted SMS rows whose
// redaction is due.
func QueuedRedactions(ctx context.Context, db DBTX, now time.Time, limit int) ([]Redaction, error) {
	rows, err := db.Query(ctx, `SELECT 0::bigint, sid, attempts FROM provider_redactions
		WHERE next_at <= $1 ORDER BY next_at, sid LIMIT $2`, now, limit)
	if err != nil {
		return nil, fmt.Errorf("queued redactions: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByPos[Redaction])
}

// MarkRedacted records that the provider's copy is gone.
func MarkRedacted(ctx context.Context, db DBTX, r Redaction, now time.Time) error {
	if r.MessageID != 0 {
		_, err := db.Exec(ctx, `UPDATE messages SET redacted_at = $2 WHERE id = $1`, r.MessageID, now)
		return err
	}
	if _, err := db.Exec(ctx, `DELETE FROM provider_redactions WHERE sid = $1`, r.SID); err != nil {
		return err
	}
	_, err := db.Exec(ctx, `UPDATE messages SET redacted_at = $2
		WHERE (provider_message_id = $1 OR (channel IN ('sms', 'whatsapp') AND provider_id = $1)) AND redacted_at IS NULL`, r.SID, now)
	return err
}

// RedactionFailed records a failed try: a live row hands its SID to the
// retry queue; a queued SID is tried again later, with a growing delay,
// until maxAttempts, when it is given up (gaveUp).
func RedactionFailed(ctx context.Context, db DBTX, r Redaction, now time.Time, maxAttempts int) (gaveUp bool, err error) {
	if r.MessageID != 0 {
		if _, err := db.Exec(ctx, `INSERT INTO provider_redactions (sid, attempts, next_at) VALUES ($1, 1, $2)
			ON CONFLICT (sid) DO NOTHING`, r.SID, now.Add(redactRetry)); err != nil {
			return false, err
		}
		_, err := db.Exec(ctx, `UPDATE messages SET redact_attempts = redact_attempts + 1 WHERE id = $1`, r.MessageID)
		return false, err
	}
	if r.Attempts+1 >= maxAttempts {
		_, err := db.Exec(ctx, `DELETE FROM provider_redactions WHERE sid = $1`, r.SID)
		return true, err
	}
	delay := redactRetry << min(r.Attempts, 8)
	_, err = db.Exec(ctx, `UPDATE provider_redactions SET attempts = attempts + 1, next_at = $2 WHERE sid = $1`,
		r.SID, now.Add(delay))
	return false, err
}
