package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
)

// AfterSend is what the outbox does once a message is out, or can never
// go out.
type AfterSend string

// The things done after a send.
const (
	AfterSendNothing AfterSend = ""
	AfterSendErase   AfterSend = "erase" // erase the sender: DELETE's confirmation (docs/design.md, rule 6)
)

// Claimed is an outbound message a delivery worker holds.
type Claimed struct {
	ID             int64
	ConversationID *int64
	Channel        tipline.Channel
	Kind           tipline.MessageKind
	Reply          json.RawMessage
	Target         string
	IDSealed       []byte // the recipient's sealed identifier (nil for pages or when dropped)
	Attempts       int
	ExpiresAt      *time.Time
	SlotAt         *time.Time
	AttemptedAt    *time.Time
	UnknownOutcome bool
	AfterSend      AfterSend
	CreatedAt      time.Time
	// Urgent: a crisis reply or a page; claimed first, and a crisis
	// reply's missed deadline pages staff.
	Urgent bool

	due time.Time // next_attempt_at, for the claim's order
}

// ClaimOutbound takes up to limit due messages, crisis replies and pages
// first (when a provider pause ends they go before the rest), then the
// oldest, and only the first pending one of each conversation
// (per-conversation order), and leases them until now+lease. Rows of a
// channel whose provider is paused (provider_pauses, also while a probe is
// under way) are left where they are. The earlier-pending test is one
// probe by the candidate's conversation. The claim is a function
// (claim_outbound, migration 0025) whose plan reads the due rows in order
// and stops when it has enough even when the statistics, taken while the
// queue was empty, say the pending indexes hold nothing: planned as a
// statement, it then read the whole backlog at every claim (9 ms at 3,000
// queued, 40-100 ms at 9,000). Rows leased by a
// worker that died come back once their lease ends, marked as of unknown
// outcome when a send was under way.
func ClaimOutbound(ctx context.Context, db DBTX, now time.Time, lease time.Duration, limit int) ([]Claimed, error) {
	rows, err := db.Query(ctx, claimSQL,
		now, lease, limit)
	if err != nil {
		return nil, fmt.Errorf("claim outbound: %w", err)
	}
	claimed, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Claimed, error) {
		var c Claimed
		err := r.Scan(&c.ID, &c.ConversationID, &c.Channel, &c.Kind, &c.Reply, &c.Target, &c.IDSealed,
			&c.Attempts, &c.ExpiresAt, &c.SlotAt, &c.AttemptedAt, &c.UnknownOutcome, &c.AfterSend, &c.CreatedAt,
			&c.Urgent, &c.due)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("claim outbound: %w", err)
	}
	slices.SortStableFunc(claimed, func(a, b Claimed) int {
		if a.Urgent != b.Urgent && a.Urgent {
			return -1
		} else if a.Urgent != b.Urgent {
			return 1
		}
		if c := a.due.Compare(b.due); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return claimed, nil
}

// claimSQL claims: the urgent rows first, then the rest (migration 0025:
// the function keeps the plan right when the statistics say the queue is
// empty and it is not).
const claimSQL = `SELECT * FROM claim_outbound($1, $2::interval, $3)`

// MarkSent records a successful send.
// On a pool it commits with the sent marks of other rows (stmt_group.go).
func MarkSent(ctx context.Context, db DBTX, id int64, providerMessageID string, now time.Time) error {
	return grouped(ctx, db, markSentSQL, idOrder(id), []any{id, providerMessageID, now})
}

const markSentSQL = `UPDATE messages SET status = 'sent', provider_message_id = nullif($2, ''), sent_at = $3,
	claimed_until = NULL, error_code = '', error_detail = '' WHERE id = $1`

// idOrder sorts row ids as numbers in a group (stmt_group.go).
func idOrder(id int64) string {
	return fmt.Sprintf("%020d", id)
}

// Reschedule puts a message back in the queue for a later attempt. slotAt
// keeps a rate-limit reservation already made for that time.
func Reschedule(ctx context.Context, db DBTX, id int64, at time.Time, slotAt *time.Time, code, detail string) error {
	_, err := db.Exec(ctx, `UPDATE messages SET status = 'queued', next_attempt_at = $2, slot_at = $3,
		claimed_until = NULL, error_code = $4, error_detail = $5 WHERE id = $1`, id, at, slotAt, code, detail)
	return err
}

// HoldBack puts a message back in the queue until at without counting an
// attempt: its provider is paused (attempted: the attempt BeginSend
// recorded is taken back).
func HoldBack(ctx context.Context, db DBTX, id int64, at time.Time, attempted bool) error {
	undo := 0
	if attempted {
		undo = 1
	}
	_, err := db.Exec(ctx, `UPDATE messages SET status = 'queued', next_attempt_at = $2, slot_at = NULL,
		claimed_until = NULL, attempts = attempts - $3, error_detail = 'provider paused; waiting' WHERE id = $1`, id, at, undo)
	return err
}

// MarkFinal ends a message's delivery with a final status (failed,
// expired, undelivered) and the provider's error code.
func MarkFinal(ctx context.Context, db DBTX, id int64, status, code, detail string) error {
	_, err := db.Exec(ctx, `UPDATE messages SET status = $2, error_code = $3, error_detail = $4, claimed_until = NULL
		WHERE id = $1`, id, status, code, detail)
	return err
}

// MarkBlocked records that a contact blocked the bot or opted out at the
// carrier, so staff see why nothing reaches them.
func MarkBlocked(ctx context.Context, db DBTX, conversationID int64, optedOut bool) error {
	_, err := db.Exec(ctx, `UPDATE contacts SET blocked = NOT $2 OR blocked, opted_out = $2 OR opted_out
		WHERE id = (SELECT contact_id FROM conversations WHERE id = $1)`, conversationID, optedOut)
	return err
}

// UpdateDeliveryStatus applies a provider status callback to the outbound
// row with that provider id. Final states are never moved back to earlier
// ones (callbacks can arrive out of order).
func UpdateDeliveryStatus(ctx context.Context, db DBTX, providerMessageID, status, code string) (bool, error) {
	tag, err := db.Exec(ctx, `UPDATE messages SET status = $2, error_code = CASE WHEN $3 = '' THEN error_code ELSE $3 END
		WHERE provider_message_id = $1 AND direction = 'out'
		  AND NOT (status IN ('delivered', 'read', 'undelivered', 'failed') AND $2 IN ('queued', 'accepted', 'sending', 'sent', 'scheduled'))
		  AND NOT (status = 'read' AND $2 = 'delivered')`, providerMessageID, status, code)
	if err != nil {
		return false, fmt.Errorf("delivery status: %w", err)
	}
	return tag.RowsAffected() > 0, nil
}

// ReserveRate books the next free send time for key at rate units per
// second: the send may happen at the returned time. Reservations are spaced
// so that no window of one second holds more than rate units.
func ReserveRate(ctx context.Context, db DBTX, key string, units, rate float64, now time.Time) (time.Time, error) {
	step := time.Duration(units / rate * float64(time.Second))
	var start time.Time
	err := db.QueryRow(ctx, `INSERT INTO rate_limits (key, next_free) VALUES ($1, $2::timestamptz + $3::interval)
		ON CONFLICT (key) DO UPDATE SET next_free = greatest(rate_limits.next_free, $2::timestamptz) + $3::interval
		RETURNING next_free - $3::interval`, key, now, step).Scan(&start)
	if err != nil {
		return time.Time{}, fmt.Errorf("reserve rate %s: %w", key, err)
	}
	return start, nil
}

// RateRequest is one limit a send must fit in: Units of Key at Rate units
// a second.
type RateRequest struct {
	Key   string
	Units float64
	Rate  float64
}

// ReserveRates books one send time that fits every limit at once, in one
// statement (the function reserve_rates, migration 0024): the send may
// happen at the returned time, and no key then holds more than its rate in
// any second. missed is the slot this send booked before and can no longer
// keep (nil if none): where nobody booked after it, that booking is
// released instead of left as a gap, so that a late send does not wait a
// whole step (a second, per Telegram chat) more. Reservations are
// bookkeeping, not data: their transaction commits without waiting for the
// disk, so the hot per-bot row is not held locked through a flush; a
// PostgreSQL crash can forget the last fraction of a second of them. It
// takes the pool, not a transaction: the function's no-wait commit would
// apply to the caller's whole transaction. Reservations made at the same
// time share one transaction (stmt_group.go): the hot row is locked once
// for all of them.
func ReserveRates(ctx context.Context, pool *pgxpool.Pool, reqs []RateRequest, now time.Time, missed *time.Time) (time.Time, error) {
	keys := make([]string, len(reqs))
	secs := make([]float64, len(reqs))
	for i, r := range reqs {
		keys[i], secs[i] = r.Key, r.Units/r.Rate
	}
	var at time.Time
	order := strings.Join(slices.Sorted(slices.Values(keys)), "\x00") // the keys the function locks, in its order
	if err := grouped(ctx, pool, `SELECT reserve_rates($1, $2, $3, $4)`, order, []any{keys, secs, now, missed}, &at); err != nil {
		return time.Time{}, fmt.Errorf("reserve rates: %w", err)
	}
	return at, nil
}

// NextDue returns when the earliest queued outbound message becomes due
// (ok false when none is queued), so an idle worker can wake for it.
func NextDue(ctx context.Context, db DBTX) (at time.Time, ok bool, err error) {
	var t *time.Time
	err = db.QueryRow(ctx, `SELECT min(next_attempt_at) FROM messages
		WHERE direction = 'out' AND status IN ('queued', 'claimed', 'sending')`).Scan(&t)
	if err != nil || t == nil {
		return time.Time{}, false, err
	}
	return *t, true, nil
}

// ProviderMessageTaken reports whether another outbound row already holds
// the provider's message id (reconciliation must not claim a send twice).
func ProviderMessageTaken(ctx context.Context, db DBTX, providerMessageID string, exceptID int64) (bool, error) {
	var taken bool
	err := db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM messages WHERE provider_message_id = $1 AND id <> $2)`,
		providerMessageID, exceptID).Scan(&taken)
	if err != nil {
		return false, fmt.Errorf("reconcile: %w", err)
	}
	return taken, nil
}
