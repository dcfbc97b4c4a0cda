package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// The queue-health panel and the two timeouts of a takeover: an idle claim
// returns to the queue (CLAIM_IDLE), and a high-risk chat left waiting
// unclaimed pages again (HIGH_RISK_REPAGE). docs/design.md section 9.

// QueuedChat is a conversation waiting for a person, or held by one.
type QueuedChat struct {
	PublicID     string
	Alias        string
	Kind         string
	Lang         string
	Channel      string
	RiskLevel    string
	RiskCategory string
	Simulated    bool
	Since        time.Time  // waiting since; for a claimed chat, claimed since
	Unanswered   *time.Time // the oldest inbound message since a person last wrote (nil: none)
	ClaimedEmail string
	ActiveAt     *time.Time // the claimer's last action
}

// QueueHealth is what the panel shows.
type QueueHealth struct {
	Waiting          []QueuedChat // high-risk (danger, then concern) first, then longest wait
	Claimed          []QueuedChat
	Shifts           []Shift
	OldestUnanswered *time.Time
	UnackedPages     int
}

const queuedColumns = `v.public_id, COALESCE(k.alias, ''), v.kind, v.lang, v.channel, v.risk_level, v.risk_category, v.simulated,
	COALESCE(v.waiting_since, v.claimed_at, v.created_at),
	(SELECT min(m.created_at) FROM messages m WHERE m.conversation_id = v.id AND m.direction = 'in'
	   AND m.created_at > COALESCE((SELECT max(o.created_at) FROM messages o
	     WHERE o.conversation_id = v.id AND o.kind = 'staff'), '-infinity')),
	COALESCE(s.email, ''), v.staff_active_at
	FROM conversations v LEFT JOIN contacts k ON k.id = v.contact_id LEFT JOIN staff s ON s.id = v.claimed_by`

// QueueHealth reads the panel: up to limit waiting and claimed chats each,
// the staff on shift, the oldest unanswered message among them, and the
// number of unacknowledged pages.
func (s *Dashboard) QueueHealth(ctx context.Context, limit int) (QueueHealth, error) {
	var q QueueHealth
	var err error
	if q.Waiting, err = queued(ctx, s.pool, `WHERE v.waiting_since IS NOT NULL AND v.claimed_by IS NULL
		ORDER BY (v.risk_level = 'danger') DESC, v.high_risk DESC, v.waiting_since, v.id LIMIT $1`, limit); err != nil {
		return q, err
	}
	if q.Claimed, err = queued(ctx, s.pool, `WHERE v.claimed_by IS NOT NULL ORDER BY v.claimed_at, v.id LIMIT $1`, limit); err != nil {
		return q, err
	}
	if q.Shifts, err = s.Shifts(ctx); err != nil {
		return q, err
	}
	for _, c := range append(append([]QueuedChat(nil), q.Waiting...), q.Claimed...) {
		if c.Unanswered != nil && (q.OldestUnanswered == nil || c.Unanswered.Before(*q.OldestUnanswered)) {
			q.OldestUnanswered = c.Unanswered
		}
	}
	err = s.pool.QueryRow(ctx, `SELECT count(*) FROM pages WHERE acked_at IS NULL`).Scan(&q.UnackedPages)
	return q, err
}

func queued(ctx context.Context, db DBTX, where string, limit int) ([]QueuedChat, error) {
	rows, err := db.Query(ctx, `SELECT `+queuedColumns+` `+where, limit)
	if err != nil {
		return nil, fmt.Errorf("queue health: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (QueuedChat, error) {
		var c QueuedChat
		err := r.Scan(&c.PublicID, &c.Alias, &c.Kind, &c.Lang, &c.Channel, &c.RiskLevel, &c.RiskCategory, &c.Simulated,
			&c.Since, &c.Unanswered, &c.ClaimedEmail, &c.ActiveAt)
		return c, err
	})
}

// ReturnIdleClaims hands every claim with no activity by its holder for
// idle back to the queue: the bot answers again and the chat waits for a
// person from now. Nothing is sent to anyone. Each return is audited as a
// system action naming the former holder. Rows another instance is
// changing are skipped. It returns the conversations' public ids.
func (s *Dashboard) ReturnIdleClaims(ctx context.Context, now time.Time, idle time.Duration) ([]string, error) {
	var pids []string
	err := InTx(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `WITH idle AS (
				SELECT id, claimed_by FROM conversations
				WHERE claimed_by IS NOT NULL AND COALESCE(staff_active_at, claimed_at) <= $1::timestamptz - $2::interval
				ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED)
			UPDATE conversations v SET claimed_by = NULL, claimed_at = NULL, staff_active_at = NULL,
				waiting_since = $1, repaged_at = NULL
			FROM idle WHERE v.id = idle.id RETURNING v.public_id, idle.claimed_by`, now, idle)
		if err != nil {
			return fmt.Errorf("return idle claims: %w", err)
		}
		type ret struct {
			pid string
			by  *int64
		}
		got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ret, error) {
			var x ret
			return x, r.Scan(&x.pid, &x.by)
		})
		if err != nil {
			return err
		}
		for _, x := range got {
			pids = append(pids, x.pid)
			e := AuditEntry{At: now, Action: "chat.claim_idle", ObjectType: "conversation", ObjectID: x.pid,
				Detail: map[string]any{"claimed_by": x.by, "idle_seconds": int(idle.Seconds())}}
			if err := Audit(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
	})
	return pids, err
}

// Repage is a high-risk chat that waited unclaimed too long.
type Repage struct {
	ConversationID int64
	PublicID       string
	Category       string
	WaitingSince   time.Time
}

// RepageWaiting pages again, once per wait, for every high-risk chat that
// paged (danger) and has waited unclaimed for after: it records a page
// (reason "unclaimed", acknowledged by a claim like any other) and queues
// the messages pages(r) returns, throttled per destination. Simulated
// chats never page. It returns the chats re-paged.
func (s *Dashboard) RepageWaiting(ctx context.Context, now time.Time, after time.Duration,
	pages func(Repage) []PageMessage, interval time.Duration) ([]Repage, error) {
	var out []Repage
	err := InTx(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `WITH due AS (
				SELECT id FROM conversations
				WHERE waiting_since IS NOT NULL AND claimed_by IS NULL AND high_risk AND risk_level <> 'concern' AND NOT simulated
				  AND waiting_since <= $1::timestamptz - $2::interval AND (repaged_at IS NULL OR repaged_at < waiting_since)
				ORDER BY waiting_since, id LIMIT 100 FOR UPDATE SKIP LOCKED)
			UPDATE conversations v SET repaged_at = $1 FROM due WHERE v.id = due.id
			RETURNING v.id, v.public_id, v.risk_category, v.waiting_since`, now, after)
		if err != nil {
			return fmt.Errorf("repage: %w", err)
		}
		out, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (Repage, error) {
			var x Repage
			return x, r.Scan(&x.ConversationID, &x.PublicID, &x.Category, &x.WaitingSince)
		})
		if err != nil {
			return err
		}
		for _, r := range out {
			if _, err := tx.Exec(ctx, `INSERT INTO pages (reason, conversation_id, created_at) VALUES ('unclaimed', $1, $2)`,
				r.ConversationID, now); err != nil {
				return fmt.Errorf("repage: %w", err)
			}
			for _, p := range pages(r) {
				if err := QueueThrottledPage(ctx, tx, p, now, interval); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return out, err
}
