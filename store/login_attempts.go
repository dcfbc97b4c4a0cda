package store

import (
	"context"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// Login attempts are reserved before the password is hashed (issue 15):
// one transaction locks the account's and the address's rows, refuses
// while either is inside its delay, and otherwise counts the attempt as a
// failure at once. Parallel guesses therefore each see the ones before
// them, and a correct password gives its reservation back (Release).

// ReserveLogin counts one attempt under every key unless a key is still
// inside its delay: delay(n) is how long after its latest failure a key
// with n failures must wait. Failures at or before since no longer count.
// Its Wait says how much longer the caller must wait (0: reserved).
func (s *Dashboard) ReserveLogin(ctx context.Context, keys []string, now, since time.Time, delay func(int) time.Duration) (LoginReservation, error) {
	keys = slices.Sorted(slices.Values(keys)) // one lock order: no deadlock
	r := LoginReservation{At: now, Prev: map[string]time.Time{}}
	var wait time.Duration
	err := InTx(ctx, s.pool, func(tx pgx.Tx) error {
		counts := make([]int, len(keys))
		for i, k := range keys {
			var n int
			var last time.Time
			err := tx.QueryRow(ctx, `INSERT INTO login_failures (key, failures, last_failed_at) VALUES ($1, 0, $2)
				ON CONFLICT (key) DO UPDATE SET key = EXCLUDED.key RETURNING failures, last_failed_at`, k, since).Scan(&n, &last)
			if err != nil {
				return err
			}
			if !last.After(since) {
				n = 0
			}
			counts[i], r.Prev[k] = n, last
			if n > 0 {
				wait = max(wait, last.Add(delay(n)).Sub(now))
			}
		}
		if wait > 0 {
			return nil // nothing changed: commit only releases the locks
		}
		for i, k := range keys {
			if _, err := tx.Exec(ctx, `UPDATE login_failures SET failures = $2, last_failed_at = $3 WHERE key = $1`,
				k, counts[i]+1, now); err != nil {
				return err
			}
		}
		return nil
	})
	r.Wait = max(wait, 0)
	return r, err
}

// LoginReservation is the outcome of ReserveLogin.
type LoginReservation struct {
	Wait time.Duration        // > 0: refused, nothing counted
	At   time.Time            // when the attempt was counted
	Prev map[string]time.Time // each key's latest failure before it
}

// ReleaseLogin gives back the attempt r reserved under key (the password
// was right, or it was never checked): one failure fewer, and the latest
// failure as it was unless another attempt was counted since.
func (s *Dashboard) ReleaseLogin(ctx context.Context, r LoginReservation, key string) error {
	prev, ok := r.Prev[key]
	if r.Wait > 0 || !ok {
		return nil
	}
	_, err := s.pool.Exec(ctx, `UPDATE login_failures SET failures = greatest(failures - 1, 0),
		last_failed_at = CASE WHEN last_failed_at = $2 THEN $3 ELSE last_failed_at END WHERE key = $1`, key, r.At, prev)
	return err
}

// LoginAttempts counts the failures under key since since.
func (s *Dashboard) LoginAttempts(ctx context.Context, key string, since time.Time) (int, error) {
	return LoginFailures(ctx, s.pool, key, since)
}
