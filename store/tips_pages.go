package store

import (
	"context"
	"fmt"
	"time"

	"tipline"
)

// PageSlot is one staff-page destination's throttle.
type PageSlot struct {
	Target       string
	NextFree     time.Time
	SummaryID    *int64
	SummaryCount int
}

// LockPageSlot reads (creating it free when new) and locks a page
// destination's throttle until the transaction ends.
func LockPageSlot(ctx context.Context, db DBTX, target string, now time.Time) (PageSlot, error) {
	s := PageSlot{Target: target}
	err := db.QueryRow(ctx, `INSERT INTO page_slots (target, next_free) VALUES ($1, $2)
		ON CONFLICT (target) DO UPDATE SET target = EXCLUDED.target
		RETURNING next_free, summary_id, summary_count`, target, now).Scan(&s.NextFree, &s.SummaryID, &s.SummaryCount)
	if err != nil {
		return s, fmt.Errorf("page slot: %w", err)
	}
	return s, nil
}

// SavePageSlot stores a destination's throttle.
func SavePageSlot(ctx context.Context, db DBTX, s PageSlot) error {
	_, err := db.Exec(ctx, `UPDATE page_slots SET next_free = $2, summary_id = $3, summary_count = $4 WHERE target = $1`,
		s.Target, s.NextFree, s.SummaryID, s.SummaryCount)
	if err != nil {
		return fmt.Errorf("page slot: %w", err)
	}
	return nil
}

// QueuePageMessage queues a page message for target, to be sent at at.
func QueuePageMessage(ctx context.Context, db DBTX, target string, channel tipline.Channel, body string, reply any, at, now time.Time) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `INSERT INTO messages (direction, channel, kind, body, reply, target, status,
		next_attempt_at, created_at) VALUES ('out', $1, 'page', $2, $3, $4, 'queued', $5, $6) RETURNING id`,
		channel, body, reply, target, at, now).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("queue page: %w", err)
	}
	return id, nil
}

// UpdateQueuedPage rewrites a page message still waiting in the queue; it
// reports false when a worker already took it.
func UpdateQueuedPage(ctx context.Context, db DBTX, id int64, body string, reply any) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE messages SET body = $2, reply = $3 WHERE id = $1 AND status = 'queued'
		AND slot_at IS NULL AND attempts = 0`, id, body, reply)
	if err != nil {
		return false, fmt.Errorf("update page: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// QueueMediaDeletion records a provider copy of a file to delete once the
// transaction commits (Twilio keeps MMS media until deleted).
func QueueMediaDeletion(ctx context.Context, db DBTX, channel tipline.Channel, ref string, now time.Time) error {
	_, err := db.Exec(ctx, `INSERT INTO media_deletions (channel, ref, next_at, created_at) VALUES ($1, $2, $3, $3)`,
		channel, ref, now)
	if err != nil {
		return fmt.Errorf("media deletion: %w", err)
	}
	return nil
}

// MediaDeletion is a provider copy waiting to be deleted.
type MediaDeletion struct {
	ID       int64
	Channel  tipline.Channel
	Ref      string
	Attempts int
}

// ClaimMediaDeletions takes up to limit due deletions, leasing them for
// lease (another instance skips them meanwhile).
func ClaimMediaDeletions(ctx context.Context, db DBTX, now time.Time, lease time.Duration, limit int) ([]MediaDeletion, error) {
	rows, err := db.Query(ctx, `UPDATE media_deletions d SET next_at = $1 + $2::interval, attempts = d.attempts + 1
		WHERE d.id IN (SELECT id FROM media_deletions WHERE next_at <= $1 ORDER BY next_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
		RETURNING d.id, d.channel, d.ref, d.attempts`, now, lease, limit)
	if err != nil {
		return nil, fmt.Errorf("claim media deletions: %w", err)
	}
	var out []MediaDeletion
	for rows.Next() {
		var m MediaDeletion
		if err := rows.Scan(&m.ID, &m.Channel, &m.Ref, &m.Attempts); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// FinishMediaDeletion forgets a deletion that was done (or given up).
func FinishMediaDeletion(ctx context.Context, db DBTX, id int64) error {
	_, err := db.Exec(ctx, `DELETE FROM media_deletions WHERE id = $1`, id)
	return err
}

// PageMessage is a staff page for one destination, and how to summarise
// several that come too close together.
type PageMessage struct {
	Target  string // "telegram", "sms:0", …
	Channel tipline.Channel
	Body    string // for transcripts: "page:<reason>"
	Reply   any    // tipline.Reply
	// Summary is the page that stands for n pages folded together.
	Summary func(n int) (body string, reply any)
}

// QueueThrottledPage queues a page for its destination at most once per
// interval (a Telegram group takes about 20 messages a minute). A page
// that comes sooner is folded into one summary message waiting for the
// next free slot ("3 more urgent alerts"), which later pages update until
// a worker takes it. Call it inside the transaction that records the page.
func QueueThrottledPage(ctx context.Context, db DBTX, p PageMessage, now time.Time, interval time.Duration) error {
	s, err := LockPageSlot(ctx, db, p.Target, now)
	if err != nil {
		return err
	}
	if !s.NextFree.After(now) {
		if _, err := QueuePageMessage(ctx, db, p.Target, p.Channel, p.Body, p.Reply, now, now); err != nil {
			return err
		}
		s.NextFree, s.SummaryID, s.SummaryCount = now.Add(interval), nil, 0
		return SavePageSlot(ctx, db, s)
	}
	if s.SummaryID != nil {
		body, reply := p.Summary(s.SummaryCount + 1)
		ok, err := UpdateQueuedPage(ctx, db, *s.SummaryID, body, reply)
		if err != nil {
			return err
		}
		if ok {
			s.SummaryCount++
			return SavePageSlot(ctx, db, s)
		}
	}
	body, reply := p.Summary(1)
	id, err := QueuePageMessage(ctx, db, p.Target, p.Channel, body, reply, s.NextFree, now)
	if err != nil {
		return err
	}
	s.SummaryID, s.SummaryCount, s.NextFree = &id, 1, s.NextFree.Add(interval)
	return SavePageSlot(ctx, db, s)
}
