package store

import (
	"context"

	"github.com/jackc/pgx/v5"
)

// The admins' work on staff logins. Each action writes its audit row in
// the same transaction as its change.

// Staff lists every login.
func (s *Dashboard) Staff(ctx context.Context) ([]Staff, error) {
	return ListStaff(ctx, s.pool)
}

// StaffByID returns one login.
func (s *Dashboard) StaffByID(ctx context.Context, id int64) (Staff, error) {
	return StaffByID(ctx, s.pool, id)
}

// CreateStaff adds a login with a password hash.
func (s *Dashboard) CreateStaff(ctx context.Context, a Actor, email, role, hash string) (Staff, error) {
	var st Staff
	err := InTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if st, err = CreateStaff(ctx, tx, email, role, hash); err != nil {
			return err
		}
		return Audit(ctx, tx, a.Entry("staff.create", "staff", idString(st.ID), map[string]any{"role": role}))
	})
	return st, err
}

// ResetPassword replaces a login's password hash, ending its sessions.
func (s *Dashboard) ResetPassword(ctx context.Context, a Actor, id int64, hash string) error {
	return s.change(ctx, a.Entry("staff.password_reset", "staff", idString(id), nil), func(tx pgx.Tx) error {
		return SetStaffPassword(ctx, tx, id, hash)
	})
}

// ResetSecondFactor removes a login's second factor (a lost phone).
func (s *Dashboard) ResetSecondFactor(ctx context.Context, a Actor, id int64) error {
	return s.change(ctx, a.Entry("staff.totp_reset", "staff", idString(id), nil), func(tx pgx.Tx) error {
		return resetSecondFactor(ctx, tx, id)
	})
}

// SetRole changes a login's role.
func (s *Dashboard) SetRole(ctx context.Context, a Actor, id int64, role string) error {
	e := a.Entry("staff.role", "staff", idString(id), map[string]any{"role": role})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		return setStaffRole(ctx, tx, id, role)
	})
}

// SetDisabled disables a login (ending its sessions) or enables it.
func (s *Dashboard) SetDisabled(ctx context.Context, a Actor, id int64, disabled bool) error {
	e := a.Entry("staff.disable", "staff", idString(id), map[string]any{"disabled": disabled})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		return SetStaffDisabledByID(ctx, tx, id, disabled)
	})
}
