package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Advisory lock keys, one per job that must run on one instance at a time.
const (
	LockTelegramPoller int64 = 0x74670001
	LockPurge          int64 = 0x74670002
	LockTelegramHook   int64 = 0x74670003
)

// AdvisoryLock is a session-level PostgreSQL advisory lock held on a
// dedicated connection: exactly one holder across every instance.
type AdvisoryLock struct {
	Pool *pgxpool.Pool
	Key  int64
}

// TryLock takes the lock without waiting. When ok, release must be called
// to free it (closing the process frees it too).
func (l AdvisoryLock) TryLock(ctx context.Context) (release func(), ok bool, err error) {
	conn, err := l.Pool.Acquire(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("advisory lock: %w", err)
	}
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, l.Key).Scan(&ok); err != nil {
		conn.Release()
		return nil, false, fmt.Errorf("advisory lock: %w", err)
	}
	if !ok {
		conn.Release()
		return nil, false, nil
	}
	return func() {
		_, _ = conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, l.Key)
		conn.Release()
	}, true, nil
}

// GetKV reads a shared setting; "" when absent.
func GetKV(ctx context.Context, db DBTX, key string) (string, error) {
	var v string
	err := db.QueryRow(ctx, `SELECT coalesce((SELECT value FROM kv WHERE key = $1), '')`, key).Scan(&v)
	return v, err
}

// SetKV writes a shared setting.
func SetKV(ctx context.Context, db DBTX, key, value string) error {
	_, err := db.Exec(ctx, `INSERT INTO kv (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, key, value)
	return err
}
