package bench

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"tipline/flows"
	"tipline/seal"
)

// Check is what the database (and the fake providers) hold after a run.
type Check struct {
	Accepted    int `json:"accepted"`     // unique messages answered 200
	Lost        int `json:"lost"`         // accepted but not stored
	StoredTwice int `json:"stored_twice"` // inbound rows beyond one per provider id
	Unanswered  int `json:"unanswered"`   // stored turns that queued no reply
	// FloodPaused counts turns kept but deliberately not answered: their
	// sender had sent faster than the per-sender flood guard allows and
	// had been told that replies pause (package flood). Counted apart.
	FloodPaused int `json:"flood_paused"`
	Replies     int `json:"replies"` // outbound rows
	Sent        int `json:"sent"`    // of them recorded sent
	Pending     int `json:"pending"` // still queued, claimed or sending
	Expired     int `json:"expired"` // dropped as too old (docs/design.md rule 4)
	Failed      int `json:"failed"`  // given up on
	// Provider side (fake providers only).
	ProviderSends int  `json:"provider_sends"`
	Doubled       int  `json:"doubled"`       // sends beyond one per row, not explained by rule 8
	Rule8Repeats  int  `json:"rule8_repeats"` // a send repeated after a crash left its outcome unknown
	NotReceived   int  `json:"not_received"`  // rows recorded sent that no provider got
	ProviderCheck bool `json:"provider_check"`
}

// OK reports whether nothing was lost or doubled beyond rule 8 and every
// turn queued a reply; pending says whether queued replies are allowed
// (delivery paused).
func (c Check) OK(pending bool) bool {
	ok := c.Lost == 0 && c.StoredTwice == 0 && c.Unanswered == 0 && c.Doubled == 0 && c.NotReceived == 0 && c.Failed == 0
	return ok && (pending || c.Pending == 0)
}

// checker compares what the load tool had accepted with the database.
type checker struct {
	pool  *pgxpool.Pool
	keys  *seal.Keys // nil: no per-recipient comparison
	fakes *Fakes     // nil: no provider comparison
}

// run checks inbound storage, replies and, with fakes, the provider sends.
func (k checker) run(ctx context.Context, acceptedTG, acceptedSMS []string) (Check, error) {
	c := Check{Accepted: len(acceptedTG) + len(acceptedSMS)}
	if err := k.inbound(ctx, &c, map[string][]string{chTelegram: acceptedTG, chSMS: acceptedSMS}); err != nil {
		return c, err
	}
	if err := k.outbound(ctx, &c); err != nil {
		return c, err
	}
	if k.fakes != nil && k.keys != nil {
		if err := k.providers(ctx, &c); err != nil {
			return c, err
		}
	}
	return c, nil
}

func (k checker) inbound(ctx context.Context, c *Check, accepted map[string][]string) error {
	for ch, ids := range accepted {
		if len(ids) == 0 {
			continue
		}
		var found int
		// Twilio's accepted SIDs are SMS and WhatsApp messages alike.
		err := k.pool.QueryRow(ctx, `SELECT count(*) FROM messages
			WHERE direction = 'in' AND (channel = $1 OR $1 = 'sms' AND channel = 'whatsapp') AND provider_id = ANY($2)`,
			ch, ids).Scan(&found)
		if err != nil {
			return fmt.Errorf("bench: check inbound: %w", err)
		}
		c.Lost += len(ids) - found
	}
	var unanswered int
	err := k.pool.QueryRow(ctx, `WITH unanswered AS (
		SELECT i.conversation_id, i.created_at FROM messages i WHERE i.direction = 'in' AND NOT EXISTS (
			SELECT 1 FROM messages o WHERE o.conversation_id = i.conversation_id AND o.direction = 'out'
			  AND o.created_at = i.created_at))
	SELECT (SELECT count(*) - count(DISTINCT (channel, provider_id)) FROM messages WHERE direction = 'in'),
		(SELECT count(*) FROM unanswered),
		(SELECT count(*) FROM unanswered u WHERE EXISTS (
			SELECT 1 FROM messages n WHERE n.conversation_id = u.conversation_id AND n.direction = 'out'
			  AND n.created_at <= u.created_at AND n.created_at > u.created_at - interval '2 minutes'
			  AND n.body LIKE ANY($1)))`, floodNotices()).Scan(&c.StoredTwice, &unanswered, &c.FloodPaused)
	c.Unanswered = unanswered - c.FloodPaused
	return err
}

// floodNotices are LIKE patterns for the flood guard's notice ("replies
// pause for a minute") in every language: its text up to the first
// placeholder.
func floodNotices() []string {
	var pats []string
	for _, texts := range flows.Messages() {
		t := texts["rpt.slow"]
		if i := strings.Index(t, "{"); i >= 0 {
			t = t[:i]
		}
		if t != "" {
			pats = append(pats, strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(t)+"%")
		}
	}
	return pats
}

func (k checker) outbound(ctx context.Context, c *Check) error {
	rows, err := k.pool.Query(ctx, `SELECT status, count(*) FROM messages WHERE direction = 'out' GROUP BY status`)
	if err != nil {
		return fmt.Errorf("bench: check outbound: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return err
		}
		c.Replies += n
		switch status {
		case "sent", "delivered", "read", "accepted", "undelivered":
			c.Sent += n
		case "queued", "claimed", "sending":
			c.Pending += n
		case "expired":
			c.Expired += n
		default:
			c.Failed += n
		}
	}
	return rows.Err()
}

// providers compares, recipient by recipient, the sends the fakes received
// with the rows recorded sent. A surplus is a rule-8 repeat when rows of
// that recipient were claimed again after a crash left a send's outcome
// unknown; otherwise it is doubled.
func (k checker) providers(ctx context.Context, c *Check) error {
	c.ProviderCheck = true
	type tally struct{ sent, unknown int }
	db := map[string]tally{}
	rows, err := k.pool.Query(ctx, `SELECT k.channel, k.id_hash,
			count(*) FILTER (WHERE m.status IN ('sent', 'delivered', 'read', 'accepted', 'undelivered')),
			count(*) FILTER (WHERE m.unknown_outcome)
		FROM messages m JOIN conversations v ON v.id = m.conversation_id JOIN contacts k ON k.id = v.contact_id
		WHERE m.direction = 'out' GROUP BY 1, 2`)
	if err != nil {
		return fmt.Errorf("bench: check sends: %w", err)
	}
	for rows.Next() {
		var ch string
		var hash []byte
		var t tally
		if err := rows.Scan(&ch, &hash, &t.sent, &t.unknown); err != nil {
			rows.Close()
			return err
		}
		db[ch+":"+string(hash)] = t
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	seen := map[string]bool{}
	for recipient, n := range k.fakes.SendCounts() {
		ch, id, _ := strings.Cut(recipient, ":")
		key := ch + ":" + string(k.keys.Hash(ch, id))
		seen[key] = true
		c.ProviderSends += n
		t := db[key]
		switch extra := n - t.sent; {
		case extra > 0:
			c.Rule8Repeats += min(extra, t.unknown)
			c.Doubled += extra - min(extra, t.unknown)
		case extra < 0:
			c.NotReceived -= extra
		}
	}
	for key, t := range db {
		if !seen[key] {
			c.NotReceived += t.sent
		}
	}
	return nil
}

// pendingReplies counts outbound rows not yet in a final state.
func pendingReplies(ctx context.Context, pool *pgxpool.Pool) (int, error) {
	var n int
	err := pool.QueryRow(ctx, `SELECT count(*) FROM messages
		WHERE direction = 'out' AND status IN ('queued', 'claimed', 'sending')`).Scan(&n)
	return n, err
}

// drain waits until the outbound queue is empty (or timeout), and returns
// when the last reply was recorded sent.
func drain(ctx context.Context, pool *pgxpool.Pool, timeout time.Duration) (last time.Time, err error) {
	deadline := time.Now().Add(timeout)
	for {
		n, err := pendingReplies(ctx, pool)
		if err == nil && n == 0 {
			break
		}
		if time.Now().After(deadline) {
			return time.Now(), fmt.Errorf("bench: %d replies still queued after %v%s", n, timeout, stuckSummary(ctx, pool))
		}
		select {
		case <-ctx.Done():
			return time.Now(), ctx.Err()
		case <-time.After(250 * time.Millisecond): // the count reads the whole backlog: at 50 ms it took a tenth of a core
		}
	}
	err = pool.QueryRow(ctx, `SELECT coalesce(max(sent_at), now()) FROM messages WHERE direction = 'out'`).Scan(&last)
	return last, err
}

// stuckSummary describes the rows a drain waited for in vain and the
// provider pauses, so that a failed drain says why.
func stuckSummary(ctx context.Context, pool *pgxpool.Pool) string {
	var out strings.Builder
	rows, err := pool.Query(ctx, `SELECT status, channel, priority > 0, attempts,
		(next_attempt_at > now()), (claimed_until > now()), error_detail,
		EXISTS (SELECT 1 FROM messages p WHERE p.conversation_id = m.conversation_id AND p.id < m.id
			AND p.direction = 'out' AND p.status IN ('queued', 'claimed', 'sending')), count(*)
		FROM messages m WHERE direction = 'out' AND status IN ('queued', 'claimed', 'sending')
		GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 9 DESC LIMIT 12`)
	if err == nil {
		for rows.Next() {
			var status, channel, detail string
			var urgent bool
			var attempts, n int
			var future, leased *bool
			var behind bool
			if rows.Scan(&status, &channel, &urgent, &attempts, &future, &leased, &detail, &behind, &n) == nil {
				fmt.Fprintf(&out, "\n  %d× %s %s urgent=%v attempts=%d due_later=%v leased=%v behind=%v %q",
					n, status, channel, urgent, attempts, deref(future), deref(leased), behind, detail)
			}
		}
		rows.Close()
	}
	pauses, err := pool.Query(ctx, `SELECT channel, account, extract(epoch FROM until - now())::float8, coalesce(extract(epoch FROM probe_until - now())::float8, 0), strikes FROM provider_pauses`)
	if err == nil {
		for pauses.Next() {
			var ch, acct string
			var until, probe float64
			var strikes int
			if pauses.Scan(&ch, &acct, &until, &probe, &strikes) == nil {
				fmt.Fprintf(&out, "\n  pause %s/%s ends in %.1fs, probe lease %.1fs, strikes %d", ch, acct, until, probe, strikes)
			}
		}
		pauses.Close()
	}
	return out.String()
}

func deref(b *bool) bool { return b != nil && *b }
