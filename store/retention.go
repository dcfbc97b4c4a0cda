package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Retention holds the retention periods (docs/design.md section 4, rule 5;
// docs/privacy.md says what each one keeps).
type Retention struct {
	// Youth: a conversation with no tip is erased this long after the
	// sender's last message (RETENTION_YOUTH_DAYS).
	Youth time.Duration
	// ClosedCase: a submitted tip on a case is deleted this long after the
	// case closed (RETENTION_CLOSED_CASE_DAYS).
	ClosedCase time.Duration
	// IncompleteTip: a tip with no case, or an incomplete one, is deleted
	// this long after its last change unless staff keep it
	// (RETENTION_INCOMPLETE_TIP_DAYS).
	IncompleteTip time.Duration
	// Reply: the sealed identifier needed to reply is dropped this long
	// after the sender's last message (RETENTION_REPLY_DAYS).
	Reply time.Duration
}

// Transient rows (in-flight announcements, rate-limit reservations) are
// deleted once they are this old.
const transientAge = time.Hour

// IsRetryable reports whether err is a deadlock or serialization failure,
// after which a purge or rotation batch may simply run again.
func IsRetryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001" || pe.Code == "55P03")
}

// PurgeTips deletes one batch (at most limit, ids above after) of tips
// whose retention ended, with their media, notes, follow-ups and pages. It
// returns how many went and the highest id it looked at (after when there
// are no more). A legal hold on the tip or its case stops it; tips.keep
// stops the rule for incomplete tips and tips with no case. Rows locked by
// other work (a turn, a staff action, another purge) are left for the next
// run.
func PurgeTips(ctx context.Context, pool *pgxpool.Pool, r Retention, now time.Time, after int64, limit int) (n, last int64, err error) {
	last = after
	err = InTx(ctx, pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT t.id FROM tips t LEFT JOIN cases c ON c.id = t.case_id
			WHERE t.id > $4 AND NOT t.legal_hold AND NOT coalesce(c.legal_hold, false) AND (
				((t.incomplete OR t.case_id IS NULL) AND NOT t.keep
				  AND greatest(t.updated_at,
				      (SELECT max(u.created_at) FROM tip_updates u WHERE u.tip_id = t.id),
				      (SELECT max(o.created_at) FROM tip_notes o WHERE o.tip_id = t.id)) < $1)
				OR (NOT t.incomplete AND c.status = 'closed' AND coalesce(c.closed_at, c.updated_at) < $2))
			ORDER BY t.id LIMIT $3
			FOR UPDATE OF t SKIP LOCKED`, now.Add(-r.IncompleteTip), now.Add(-r.ClosedCase), limit, after)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil || len(ids) == 0 {
			return err
		}
		last = ids[len(ids)-1]
		if _, err := tx.Exec(ctx, `DELETE FROM pages WHERE tip_id = ANY($1)`, ids); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM tips WHERE id = ANY($1)`, ids)
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, after, fmt.Errorf("purge tips: %w", err)
	}
	return n, last, nil
}

// PurgeConversations erases one batch (ids above after) of conversations
// that hold no tip and whose sender's last message is older than r.Youth,
// and returns the highest id it looked at: their messages,
// flow state and pages go; their contact goes too, or keeps only its keyed
// hash and opt-out state (docs/design.md rule 6) when they had opted out, or its
// hash and alias while tips still name it. Conversations with a reply
// still being delivered wait for the next run.
func PurgeConversations(ctx context.Context, pool *pgxpool.Pool, r Retention, now time.Time, after int64, limit int) (
	convs, contacts, last int64, err error) {
	last = after
	err = InTx(ctx, pool, func(tx pgx.Tx) error {
		ids, contactIDs, seen, err := lockDoomedConversations(ctx, tx, now.Add(-r.Youth), after, limit)
		last = max(last, seen)
		if err != nil || len(ids) == 0 {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM pages WHERE conversation_id = ANY($1)`, ids); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM conversations WHERE id = ANY($1)`, ids)
		if err != nil {
			return err
		}
		convs = tag.RowsAffected()
		tag, err = tx.Exec(ctx, `DELETE FROM contacts k WHERE id = ANY($1) AND NOT opted_out
			AND NOT EXISTS (SELECT 1 FROM tips t WHERE t.contact_id = k.id)
			AND NOT EXISTS (SELECT 1 FROM conversations v WHERE v.contact_id = k.id)`, contactIDs)
		if err != nil {
			return err
		}
		contacts = tag.RowsAffected()
		_, err = tx.Exec(ctx, `UPDATE contacts k SET id_sealed = NULL,
			alias = CASE WHEN EXISTS (SELECT 1 FROM tips t WHERE t.contact_id = k.id) THEN alias ELSE '' END
			WHERE id = ANY($1)`, contactIDs)
		return err
	})
	if err != nil {
		return 0, 0, after, fmt.Errorf("purge conversations: %w", err)
	}
	return convs, contacts, last, nil
}

// lockDoomedConversations locks a batch of conversations past retention
// and their contacts. A conversation whose contact is locked elsewhere (a
// turn of that sender is running) is left for the next run, so a purge
// never waits on a turn while holding its conversation.
func lockDoomedConversations(ctx context.Context, tx pgx.Tx, cutoff time.Time, after int64, limit int) (
	ids, contactIDs []int64, last int64, err error) {
	rows, err := tx.Query(ctx, `SELECT v.id, v.contact_id FROM conversations v
		WHERE v.id > $3 AND coalesce(v.last_inbound_at, v.created_at) < $1
		  AND NOT EXISTS (SELECT 1 FROM tips t WHERE t.conversation_id = v.id)
		  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conversation_id = v.id AND m.direction = 'out'
		      AND m.status IN ('queued', 'claimed', 'sending'))
		ORDER BY v.id LIMIT $2
		FOR UPDATE OF v SKIP LOCKED`, cutoff, limit, after)
	if err != nil {
		return nil, nil, after, err
	}
	type row struct {
		ID        int64
		ContactID *int64
	}
	found, err := pgx.CollectRows(rows, pgx.RowToStructByPos[row])
	if err != nil || len(found) == 0 {
		return nil, nil, after, err
	}
	var want []int64
	for _, f := range found {
		last = max(last, f.ID)
		if f.ContactID != nil {
			want = append(want, *f.ContactID)
		}
	}
	rows, err = tx.Query(ctx, `SELECT id FROM contacts WHERE id = ANY($1) FOR UPDATE SKIP LOCKED`, want)
	if err != nil {
		return nil, nil, last, err
	}
	locked, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, nil, last, err
	}
	held := make(map[int64]bool, len(locked))
	for _, id := range locked {
		held[id] = true
	}
	for _, f := range found {
		if f.ContactID == nil || held[*f.ContactID] {
			ids = append(ids, f.ID)
		}
	}
	return ids, locked, last, nil
}

// DropReplyIdentifiers removes the sealed identifier of one batch of
// contacts whose last message is older than r.Reply (docs/design.md rule 5):
// staff then see that they can no longer be answered. A later message
// from the same sender seals it again.
func DropReplyIdentifiers(ctx context.Context, pool *pgxpool.Pool, r Retention, now time.Time, limit int) (int64, error) {
	tag, err := pool.Exec(ctx, `UPDATE contacts SET id_sealed = NULL WHERE id IN (
		SELECT id FROM contacts WHERE id_sealed IS NOT NULL AND last_seen_at < $1
		ORDER BY last_seen_at LIMIT $2 FOR UPDATE SKIP LOCKED)`, now.Add(-r.Reply), limit)
	if err != nil {
		return 0, fmt.Errorf("drop reply identifiers: %w", err)
	}
	return tag.RowsAffected(), nil
}

// PurgePageMessages deletes one batch of delivered (or failed) staff page
// messages, and pages whose conversation and tip are gone, older than
// r.Youth: a page links to a conversation that is erased by then.
func PurgePageMessages(ctx context.Context, pool *pgxpool.Pool, r Retention, now time.Time, limit int) (int64, error) {
	cutoff := now.Add(-r.Youth)
	tag, err := pool.Exec(ctx, `DELETE FROM messages WHERE id IN (
		SELECT id FROM messages WHERE kind = 'page' AND conversation_id IS NULL AND created_at < $1
		  AND status NOT IN ('queued', 'claimed', 'sending')
		ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)`, cutoff, limit)
	if err != nil {
		return 0, fmt.Errorf("purge page messages: %w", err)
	}
	n := tag.RowsAffected()
	tag, err = pool.Exec(ctx, `DELETE FROM pages WHERE id IN (
		SELECT id FROM pages WHERE conversation_id IS NULL AND tip_id IS NULL AND created_at < $1
		ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)`, cutoff, limit)
	if err != nil {
		return 0, fmt.Errorf("purge pages: %w", err)
	}
	return n + tag.RowsAffected(), nil
}

// PurgeTransient deletes in-flight announcements and rate-limit
// reservations left from more than an hour ago.
func PurgeTransient(ctx context.Context, db DBTX, now time.Time) (int64, error) {
	cutoff := now.Add(-transientAge)
	a, err := db.Exec(ctx, `DELETE FROM inflight WHERE at < $1`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("purge inflight: %w", err)
	}
	b, err := db.Exec(ctx, `DELETE FROM rate_limits WHERE next_free < $1`, cutoff)
	if err != nil {
		return 0, fmt.Errorf("purge rate limits: %w", err)
	}
	return a.RowsAffected() + b.RowsAffected(), nil
}
