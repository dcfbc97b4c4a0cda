package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// The dashboard's sign-in: sessions, the login throttle, the second factor
// and the caller's own account. Each action writes its audit row in the
// same transaction as its change.

// Session returns the live session with tokenHash (see SessionByHash).
func (s *Dashboard) Session(ctx context.Context, tokenHash []byte, now time.Time, idle time.Duration) (Session, error) {
	return SessionByHash(ctx, s.pool, tokenHash, now, idle)
}

// TouchSession records that the session was used at now.
func (s *Dashboard) TouchSession(ctx context.Context, tokenHash []byte, now time.Time) error {
	return TouchSession(ctx, s.pool, tokenHash, now)
}

// PurgeSessions deletes sessions that expired or sat idle too long.
func (s *Dashboard) PurgeSessions(ctx context.Context, now time.Time, idle time.Duration) (int64, error) {
	return PurgeSessions(ctx, s.pool, now, idle)
}

// StaffByAPIToken returns the active login owning an unrevoked API token.
func (s *Dashboard) StaffByAPIToken(ctx context.Context, tokenHash []byte, now time.Time) (Staff, error) {
	return StaffByAPIToken(ctx, s.pool, tokenHash, now)
}

// StaffByEmail returns the login with that email.
func (s *Dashboard) StaffByEmail(ctx context.Context, email string) (Staff, error) {
	return StaffByEmail(ctx, s.pool, email)
}

// ClearLoginFailures forgets the failures under key.
func (s *Dashboard) ClearLoginFailures(ctx context.Context, key string) error {
	return ClearLoginFailures(ctx, s.pool, key)
}

// Login starts a session for a's login (owing the second factor unless
// mfaOK), records the login time and writes the "login" audit row.
func (s *Dashboard) Login(ctx context.Context, a Actor, tokenHash []byte, mfaOK bool, expires time.Time) error {
	e := a.Entry("login", "staff", idString(a.StaffID), map[string]any{"second_factor_due": !mfaOK})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		if err := CreateSession(ctx, tx, tokenHash, a.StaffID, mfaOK, a.At, expires, a.Addr); err != nil {
			return err
		}
		return MarkLogin(ctx, tx, a.StaffID, a.At)
	})
}

// Logout ends the session with tokenHash.
func (s *Dashboard) Logout(ctx context.Context, a Actor, tokenHash []byte) error {
	return s.change(ctx, a.Entry("logout", "staff", idString(a.StaffID), nil), func(tx pgx.Tx) error {
		return DeleteSession(ctx, tx, tokenHash)
	})
}

// CompleteSecondFactor marks the session's second factor as given, by
// method ("totp" or "recovery_code").
func (s *Dashboard) CompleteSecondFactor(ctx context.Context, a Actor, tokenHash []byte, method string) error {
	e := a.Entry("login.totp", "staff", idString(a.StaffID), map[string]any{"method": method})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		return CompleteMFA(ctx, tx, tokenHash)
	})
}

// ChangePassword replaces a's password hash, which ends every session of
// the login, and starts a fresh session with tokenHash for this browser.
func (s *Dashboard) ChangePassword(ctx context.Context, a Actor, hash string, tokenHash []byte, expires time.Time) error {
	return s.change(ctx, a.Entry("account.password", "staff", idString(a.StaffID), nil), func(tx pgx.Tx) error {
		if err := SetStaffPassword(ctx, tx, a.StaffID, hash); err != nil {
			return err
		}
		return CreateSession(ctx, tx, tokenHash, a.StaffID, true, a.At, expires, a.Addr)
	})
}

// APITokens lists a login's API tokens.
func (s *Dashboard) APITokens(ctx context.Context, staffID int64) ([]APIToken, error) {
	return ListAPITokens(ctx, s.pool, staffID)
}

// CreateAPIToken keeps the hash of a new API token of a's login.
func (s *Dashboard) CreateAPIToken(ctx context.Context, a Actor, tokenHash []byte, label string) (int64, error) {
	var id int64
	err := InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if id, err = CreateAPIToken(ctx, tx, a.StaffID, tokenHash, label); err != nil {
			return err
		}
		return Audit(ctx, tx, a.Entry("account.token_create", "api_token", idString(id), nil))
	})
	return id, err
}

// RevokeAPIToken revokes one of a's API tokens.
func (s *Dashboard) RevokeAPIToken(ctx context.Context, a Actor, id int64) error {
	return s.change(ctx, a.Entry("account.token_revoke", "api_token", idString(id), nil), func(tx pgx.Tx) error {
		return RevokeAPIToken(ctx, tx, a.StaffID, id, a.At)
	})
}

// StartTOTP keeps a sealed TOTP key pending until a code from it is
// confirmed.
func (s *Dashboard) StartTOTP(ctx context.Context, a Actor, sealed []byte) error {
	return s.change(ctx, a.Entry("account.totp_start", "staff", idString(a.StaffID), nil), func(tx pgx.Tx) error {
		return SetPendingTOTP(ctx, tx, a.StaffID, sealed)
	})
}

// EnableTOTP turns the pending key on (step is the one just used, codeHashes
// the fresh recovery codes) and completes the session with tokenHash.
func (s *Dashboard) EnableTOTP(ctx context.Context, a Actor, step int64, codeHashes []string, tokenHash []byte) error {
	return s.change(ctx, a.Entry("account.totp_enable", "staff", idString(a.StaffID), nil), func(tx pgx.Tx) error {
		if err := ConfirmTOTP(ctx, tx, a.StaffID, step, codeHashes); err != nil {
			return err
		}
		return CompleteMFA(ctx, tx, tokenHash)
	})
}
