package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"tipline"
)

// PauseKey names one provider account: a channel and, where the provider
// names it, the account (a Twilio account, a Telegram bot).
type PauseKey struct {
	Channel tipline.Channel
	Account string
}

// Gate is what BeginSend found about a send.
type Gate struct {
	// Go: the send may go to the provider (its attempt is recorded).
	Go bool
	// Probe: the provider was paused and this send is the one probe: its
	// outcome ends the pause (ClearPause) or renews it (PauseProvider).
	Probe bool
	// Until: with Go false, no send before then.
	Until time.Time
	// Probing: with Go false, another send is probing the provider.
	Probing bool
}

// beginSendSQL records a send's attempt unless its provider is paused. A
// pause that has run out is probed by one send at a time: the first to
// come takes the probe's lease (the UPDATE waits on a concurrent taker
// and then sees its lease), the others wait. The normal case, no pause
// row, is the one UPDATE of the message, in one round trip as before.
const beginSendSQL = `WITH probe AS (
		UPDATE provider_pauses SET probe_until = $2::timestamptz + $5::interval
		WHERE channel = $3 AND account = $4 AND until <= $2 AND (probe_until IS NULL OR probe_until <= $2)
		RETURNING 1
	), held AS (
		SELECT until, probe_until FROM provider_pauses WHERE channel = $3 AND account = $4
	), m AS (
		UPDATE messages SET status = 'sending', attempts = attempts + 1, attempted_at = $2
		WHERE id = $1 AND (EXISTS (SELECT 1 FROM probe) OR NOT EXISTS (SELECT 1 FROM held))
		RETURNING 1
	)
	SELECT EXISTS (SELECT 1 FROM m), EXISTS (SELECT 1 FROM probe),
		(SELECT until FROM held), (SELECT probe_until FROM held)`

// BeginSend records that message id is about to go to the provider key
// (status 'sending', attempts and attempted_at: a crash after this point
// leaves an outcome to reconcile) unless the provider is paused for every
// message. After a pause one send at a time probes it, holding the probe
// for lease. On a pool it commits with the attempts of other rows
// (stmt_group.go), which it runs one after the other: still one probe.
func BeginSend(ctx context.Context, db DBTX, id int64, key PauseKey, now time.Time, lease time.Duration) (Gate, error) {
	var g Gate
	var until, probeUntil *time.Time
	err := grouped(ctx, db, beginSendSQL, idOrder(id), []any{id, now, key.Channel, key.Account, lease},
		&g.Go, &g.Probe, &until, &probeUntil)
	if err != nil {
		return g, fmt.Errorf("begin send: %w", err)
	}
	if g.Go {
		return g, nil
	}
	switch {
	case until == nil: // the pause ended while we looked
		g.Until = now
	case probeUntil != nil && probeUntil.After(now) && !until.After(now):
		g.Until, g.Probing = *probeUntil, true
	default:
		g.Until = *until
	}
	return g, nil
}

// PauseProvider pauses key for every message: until now+wait when the
// provider named its wait, otherwise for a backoff that doubles with each
// failure in a row (1 s, 2 s, 4 s … at most maxWait). An earlier, longer
// pause is kept. It returns when the pause ends and whether it is new.
func PauseProvider(ctx context.Context, db DBTX, key PauseKey, now time.Time, wait, maxWait time.Duration, code string) (time.Time, bool, error) {
	var named *time.Duration
	if wait > 0 {
		named = &wait
	}
	var until time.Time
	var strikes int
	err := db.QueryRow(ctx, `INSERT INTO provider_pauses AS p (channel, account, until, code, since)
		VALUES ($1, $2, $3::timestamptz + coalesce($4::interval, least($5::interval, interval '1 second')), $6, $3)
		ON CONFLICT (channel, account) DO UPDATE SET strikes = p.strikes + 1, code = $6, probe_until = NULL,
			until = greatest(p.until, $3::timestamptz + coalesce($4::interval,
				least($5::interval, interval '1 second' * power(2, least(p.strikes, 20)))))
		RETURNING until, strikes`, key.Channel, key.Account, now, named, maxWait, code).Scan(&until, &strikes)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("pause provider: %w", err)
	}
	return until, strikes == 1, nil
}

// ProviderPaused reports whether key is paused at now (until then) or
// being probed (probing).
func ProviderPaused(ctx context.Context, db DBTX, key PauseKey, now time.Time) (until time.Time, paused, probing bool, err error) {
	err = db.QueryRow(ctx, `SELECT until, coalesce(probe_until > $3, false) FROM provider_pauses
		WHERE channel = $1 AND account = $2 AND (until > $3 OR probe_until > $3)`, key.Channel, key.Account, now).
		Scan(&until, &probing)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, false, false, nil
	}
	if err != nil {
		return time.Time{}, false, false, fmt.Errorf("provider paused: %w", err)
	}
	return until, true, probing && !until.After(now), nil
}

// ClearPause ends key's pause: a probe got through, or the provider
// answered (a permanent refusal is an answer).
func ClearPause(ctx context.Context, db DBTX, key PauseKey) error {
	_, err := db.Exec(ctx, `DELETE FROM provider_pauses WHERE channel = $1 AND account = $2`, key.Channel, key.Account)
	if err != nil {
		return fmt.Errorf("clear pause: %w", err)
	}
	return nil
}

// ProviderPause is one paused provider account.
type ProviderPause struct {
	PauseKey
	Until, Since time.Time
	Strikes      int
	Code         string
}

// ProviderPauses lists the paused provider accounts (also those whose
// pause ran out and wait for a probe).
func ProviderPauses(ctx context.Context, db DBTX) ([]ProviderPause, error) {
	rows, err := db.Query(ctx, `SELECT channel, account, until, since, strikes, code FROM provider_pauses ORDER BY channel, account`)
	if err != nil {
		return nil, fmt.Errorf("provider pauses: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (ProviderPause, error) {
		var p ProviderPause
		return p, r.Scan(&p.Channel, &p.Account, &p.Until, &p.Since, &p.Strikes, &p.Code)
	})
}

// PagesAcknowledged reports whether staff acknowledged every page
// recorded at or before t.
func PagesAcknowledged(ctx context.Context, db DBTX, t time.Time) (bool, error) {
	var acked bool
	err := db.QueryRow(ctx, `SELECT NOT EXISTS (SELECT 1 FROM pages WHERE acked_at IS NULL AND created_at <= $1)`, t).Scan(&acked)
	if err != nil {
		return false, fmt.Errorf("pages acknowledged: %w", err)
	}
	return acked, nil
}

// MissedCrisis is a crisis reply that missed its deadline.
type MissedCrisis struct {
	ID             int64
	ConversationID int64
	Status, Code   string // the row's final status and error code
	Detail         string
	Now            time.Time
	// Pages builds the staff pages for the conversation (its public id).
	Pages func(conversationPID string) []PageMessage
	// Interval is the least time between two pages to one destination.
	Interval time.Duration
}

// MissCrisisReply ends a crisis reply that missed its deadline, in one
// transaction: the row gets its final status, the chat is flagged again
// (it rises in the queue of chats waiting for a person) and a page is
// recorded and queued for every destination.
func MissCrisisReply(ctx context.Context, pool *pgxpool.Pool, m MissedCrisis) error {
	return InTx(ctx, pool, func(tx pgx.Tx) error {
		if err := MarkFinal(ctx, tx, m.ID, m.Status, m.Code, m.Detail); err != nil {
			return err
		}
		var pid string
		var simulated bool
		err := tx.QueryRow(ctx, `UPDATE conversations SET high_risk = true, flagged_at = $2 WHERE id = $1
			RETURNING public_id, simulated`, m.ConversationID, m.Now).Scan(&pid, &simulated)
		if err != nil {
			return fmt.Errorf("flag conversation: %w", err)
		}
		if simulated {
			return nil // the simulator never pages anyone
		}
		if _, err := tx.Exec(ctx, `INSERT INTO pages (reason, conversation_id, created_at) VALUES ('undelivered', $1, $2)`,
			m.ConversationID, m.Now); err != nil {
			return fmt.Errorf("record page: %w", err)
		}
		if m.Pages == nil {
			return nil
		}
		for _, p := range m.Pages(pid) {
			if err := QueueThrottledPage(ctx, tx, p, m.Now, m.Interval); err != nil {
				return err
			}
		}
		return nil
	})
}
