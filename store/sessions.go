package store

import (
	"context"
	"fmt"
	"time"

	"tipline"
)

// Session is a signed-in staff member's server-side session. Only a hash of
// its token is stored.
type Session struct {
	TokenHash  []byte
	Staff      Staff
	HasTOTP    bool // the account has a confirmed second factor
	MFAOK      bool // the second factor was given (or the account has none)
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	ClientAddr string
}

// CreateSession stores a new session for staffID.
func CreateSession(ctx context.Context, db DBTX, tokenHash []byte, staffID int64, mfaOK bool, now, expires time.Time, addr string) error {
	_, err := db.Exec(ctx, `INSERT INTO sessions (token_hash, staff_id, created_at, last_seen_at, expires_at, client_addr, mfa_ok)
		VALUES ($1, $2, $3, $3, $4, $5, $6)`, tokenHash, staffID, now, expires, addr, mfaOK)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionByHash returns the live session with that token hash: not
// expired, not idle longer than idle, and its login not disabled. Anything
// else is not found.
func SessionByHash(ctx context.Context, db DBTX, tokenHash []byte, now time.Time, idle time.Duration) (Session, error) {
	var s Session
	err := db.QueryRow(ctx, `SELECT s.token_hash, s.created_at, s.last_seen_at, s.expires_at, s.client_addr, s.mfa_ok,
		st.totp_secret IS NOT NULL, `+prefixed("st.", staffColumns)+`
		FROM sessions s JOIN staff st ON st.id = s.staff_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.last_seen_at > $2::timestamptz - $3::interval AND NOT st.disabled`,
		tokenHash, now, idle).Scan(&s.TokenHash, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.ClientAddr, &s.MFAOK,
		&s.HasTOTP, &s.Staff.ID, &s.Staff.Email, &s.Staff.PasswordHash, &s.Staff.Role, &s.Staff.Disabled,
		&s.Staff.CreatedAt, &s.Staff.LastLoginAt)
	if err != nil {
		return Session{}, notFound(err, "session")
	}
	return s, nil
}

// TouchSession moves a session's idle clock to now.
func TouchSession(ctx context.Context, db DBTX, tokenHash []byte, now time.Time) error {
	_, err := db.Exec(ctx, `UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1`, tokenHash, now)
	return err
}

// CompleteMFA marks a session as past its second factor.
func CompleteMFA(ctx context.Context, db DBTX, tokenHash []byte) error {
	_, err := db.Exec(ctx, `UPDATE sessions SET mfa_ok = true WHERE token_hash = $1`, tokenHash)
	return err
}

// DeleteSession ends one session (logout).
func DeleteSession(ctx context.Context, db DBTX, tokenHash []byte) error {
	_, err := db.Exec(ctx, `DELETE FROM sessions WHERE token_hash = $1`, tokenHash)
	return err
}

// DeleteStaffSessions ends every session of a login.
func DeleteStaffSessions(ctx context.Context, db DBTX, staffID int64) error {
	_, err := db.Exec(ctx, `DELETE FROM sessions WHERE staff_id = $1`, staffID)
	return err
}

// PurgeSessions removes sessions that expired or sat idle past idle.
func PurgeSessions(ctx context.Context, db DBTX, now time.Time, idle time.Duration) (int64, error) {
	tag, err := db.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $1::timestamptz - $2::interval`, now, idle)
	return tag.RowsAffected(), err
}

// MarkLogin records a successful login.
func MarkLogin(ctx context.Context, db DBTX, staffID int64, now time.Time) error {
	_, err := db.Exec(ctx, `UPDATE staff SET last_login_at = $2 WHERE id = $1`, staffID, now)
	return err
}

// LoginFailures returns how many failures key has had since since.
func LoginFailures(ctx context.Context, db DBTX, key string, since time.Time) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT COALESCE((SELECT failures FROM login_failures WHERE key = $1 AND last_failed_at > $2), 0)`,
		key, since).Scan(&n)
	return n, err
}

// RecordLoginFailure counts one failure for key; failures older than since
// no longer count and the count starts again.
func RecordLoginFailure(ctx context.Context, db DBTX, key string, now, since time.Time) error {
	_, err := db.Exec(ctx, `INSERT INTO login_failures (key, failures, last_failed_at) VALUES ($1, 1, $2)
		ON CONFLICT (key) DO UPDATE SET failures = CASE WHEN login_failures.last_failed_at > $3
			THEN login_failures.failures + 1 ELSE 1 END, last_failed_at = $2`, key, now, since)
	return err
}

// ClearLoginFailures forgets the failures of key (after a good login).
func ClearLoginFailures(ctx context.Context, db DBTX, key string) error {
	_, err := db.Exec(ctx, `DELETE FROM login_failures WHERE key = $1`, key)
	return err
}

// APIToken is a per-staff token for /api/v1/; only its hash is stored.
type APIToken struct {
	ID         int64
	StaffID    int64
	Label      string
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// CreateAPIToken stores the hash of a new token.
func CreateAPIToken(ctx context.Context, db DBTX, staffID int64, tokenHash []byte, label string) (int64, error) {
	var id int64
	err := db.QueryRow(ctx, `INSERT INTO api_tokens (staff_id, token_hash, label) VALUES ($1, $2, $3) RETURNING id`,
		staffID, tokenHash, label).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("create api token: %w", err)
	}
	return id, nil
}

// StaffByAPIToken returns the enabled login owning an unrevoked token and
// records its use.
func StaffByAPIToken(ctx context.Context, db DBTX, tokenHash []byte, now time.Time) (Staff, error) {
	s, err := scanStaff(db.QueryRow(ctx, `UPDATE api_tokens t SET last_used_at = $2 FROM staff st
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND st.id = t.staff_id AND NOT st.disabled
		RETURNING `+prefixed("st.", staffColumns), tokenHash, now))
	if err != nil {
		return Staff{}, notFound(err, "token")
	}
	return s, nil
}

// ListAPITokens lists a login's tokens, newest first.
func ListAPITokens(ctx context.Context, db DBTX, staffID int64) ([]APIToken, error) {
	rows, err := db.Query(ctx, `SELECT id, staff_id, label, created_at, last_used_at, revoked_at FROM api_tokens
		WHERE staff_id = $1 ORDER BY id DESC`, staffID)
	if err != nil {
		return nil, fmt.Errorf("list api tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		if err := rows.Scan(&t.ID, &t.StaffID, &t.Label, &t.CreatedAt, &t.LastUsedAt, &t.RevokedAt); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// RevokeAPIToken revokes a token of staffID.
func RevokeAPIToken(ctx context.Context, db DBTX, staffID, id int64, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE api_tokens SET revoked_at = $3 WHERE id = $1 AND staff_id = $2 AND revoked_at IS NULL`,
		id, staffID, now)
	if err != nil {
		return fmt.Errorf("revoke api token: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return tipline.Errorf(tipline.ENotFound, "token not found")
	}
	return nil
}
