package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"tipline"
)

// prefixed qualifies every column of a comma-separated list with p.
func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// StaffSecondFactor is a login's sealed TOTP state.
type StaffSecondFactor struct {
	Secret        []byte   // sealed, confirmed key; nil when none
	Pending       []byte   // sealed key being set up
	LastStep      int64    // last TOTP time step accepted
	RecoveryCodes []string // SHA-256 hex of unused recovery codes
}

// SecondFactor reads a login's TOTP state.
func (s *Dashboard) SecondFactor(ctx context.Context, staffID int64) (StaffSecondFactor, error) {
	var f StaffSecondFactor
	var codes []byte
	err := s.pool.QueryRow(ctx, `SELECT totp_secret, totp_pending, totp_last_step, recovery_codes FROM staff WHERE id = $1`,
		staffID).Scan(&f.Secret, &f.Pending, &f.LastStep, &codes)
	if err != nil {
		return f, notFound(err, "staff")
	}
	if err := json.Unmarshal(codes, &f.RecoveryCodes); err != nil {
		return f, fmt.Errorf("recovery codes: %w", err)
	}
	return f, nil
}

// SetPendingTOTP stores a sealed key being set up.
func SetPendingTOTP(ctx context.Context, db DBTX, staffID int64, sealed []byte) error {
	_, err := db.Exec(ctx, `UPDATE staff SET totp_pending = $2 WHERE id = $1`, staffID, sealed)
	return err
}

// ConfirmTOTP makes the pending key the login's second factor, with the
// hashes of fresh recovery codes, and records the step just used.
func ConfirmTOTP(ctx context.Context, db DBTX, staffID int64, step int64, codeHashes []string) error {
	tag, err := db.Exec(ctx, `UPDATE staff SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $2,
		recovery_codes = $3 WHERE id = $1 AND totp_pending IS NOT NULL`, staffID, step, codeHashes)
	if err != nil {
		return fmt.Errorf("confirm totp: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return tipline.Errorf(tipline.EConflict, "no second factor is being set up")
	}
	return nil
}

// UseTOTPStep records step as used; false when it (or a later one) was
// already used, so one code never signs in twice.
func (s *Dashboard) UseTOTPStep(ctx context.Context, staffID, step int64) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE staff SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, staffID, step)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

// UseRecoveryCode removes a recovery code hash; false when it is not one
// of the login's unused codes.
func (s *Dashboard) UseRecoveryCode(ctx context.Context, staffID int64, codeHash string) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE staff SET recovery_codes = recovery_codes - $2::text
		WHERE id = $1 AND recovery_codes ? $2::text`, staffID, codeHash)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

// resetSecondFactor removes a login's second factor and recovery codes and
// ends its sessions (an admin's reset).
func resetSecondFactor(ctx context.Context, db DBTX, staffID int64) error {
	tag, err := db.Exec(ctx, `UPDATE staff SET totp_secret = NULL, totp_pending = NULL, recovery_codes = '[]'
		WHERE id = $1`, staffID)
	if err != nil {
		return fmt.Errorf("reset second factor: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return tipline.Errorf(tipline.ENotFound, "staff not found")
	}
	return DeleteStaffSessions(ctx, db, staffID)
}

// setStaffRole changes a login's role.
func setStaffRole(ctx context.Context, db DBTX, staffID int64, role string) error {
	if role != RoleAdmin && role != RoleReviewer {
		return tipline.Errorf(tipline.EInvalid, "role must be admin or reviewer")
	}
	tag, err := db.Exec(ctx, `UPDATE staff SET role = $2 WHERE id = $1`, staffID, role)
	if err != nil {
		return fmt.Errorf("set role: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return tipline.Errorf(tipline.ENotFound, "staff not found")
	}
	return nil
}

// SetStaffDisabledByID disables or re-enables a login by id; disabling
// ends its sessions.
func SetStaffDisabledByID(ctx context.Context, db DBTX, staffID int64, disabled bool) error {
	tag, err := db.Exec(ctx, `UPDATE staff SET disabled = $2 WHERE id = $1`, staffID, disabled)
	if err != nil {
		return fmt.Errorf("disable staff: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return tipline.Errorf(tipline.ENotFound, "staff not found")
	}
	if disabled {
		return DeleteStaffSessions(ctx, db, staffID)
	}
	return nil
}

// StaffHasTOTP reports, per login id, whether a second factor is set.
func (s *Dashboard) StaffHasTOTP(ctx context.Context) (map[int64]bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, totp_secret IS NOT NULL FROM staff`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]bool{}
	for rows.Next() {
		var id int64
		var has bool
		if err := rows.Scan(&id, &has); err != nil {
			return nil, err
		}
		out[id] = has
	}
	return out, rows.Err()
}
