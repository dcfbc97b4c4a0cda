package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline"
)

// Staff is a dashboard login.
type Staff struct {
	ID           int64
	Email        string
	PasswordHash string
	Role         string
	Disabled     bool
	CreatedAt    time.Time
	LastLoginAt  *time.Time
}

// The staff roles.
const (
	RoleAdmin    = "admin"
	RoleReviewer = "reviewer"
)

// CreateStaff inserts a login; the email must be new (case-insensitive).
func CreateStaff(ctx context.Context, db DBTX, email, role, passwordHash string) (Staff, error) {
	email = strings.TrimSpace(email)
	if !strings.Contains(email, "@") {
		return Staff{}, tipline.Errorf(tipline.EInvalid, "email %q is not an address", email)
	}
	if role != RoleAdmin && role != RoleReviewer {
		return Staff{}, tipline.Errorf(tipline.EInvalid, "role must be admin or reviewer")
	}
	var s Staff
	err := db.QueryRow(ctx, `INSERT INTO staff (email, role, password_hash) VALUES ($1, $2, $3)
		RETURNING id, email, password_hash, role, disabled, created_at, last_login_at`,
		email, role, passwordHash).Scan(&s.ID, &s.Email, &s.PasswordHash, &s.Role, &s.Disabled, &s.CreatedAt, &s.LastLoginAt)
	if IsUniqueViolation(err) {
		return Staff{}, tipline.Errorf(tipline.EConflict, "a login for %s exists already", email)
	}
	if err != nil {
		return Staff{}, fmt.Errorf("create staff: %w", err)
	}
	return s, nil
}

const staffColumns = `id, email, password_hash, role, disabled, created_at, last_login_at`

func scanStaff(row pgx.Row) (Staff, error) {
	var s Staff
	err := row.Scan(&s.ID, &s.Email, &s.PasswordHash, &s.Role, &s.Disabled, &s.CreatedAt, &s.LastLoginAt)
	return s, err
}

// StaffByEmail finds a login by email, case-insensitively.
func StaffByEmail(ctx context.Context, db DBTX, email string) (Staff, error) {
	s, err := scanStaff(db.QueryRow(ctx, `SELECT `+staffColumns+` FROM staff WHERE lower(email) = lower($1)`, strings.TrimSpace(email)))
	if err != nil {
		return Staff{}, notFound(err, "staff")
	}
	return s, nil
}

// StaffByID finds a login by id.
func StaffByID(ctx context.Context, db DBTX, id int64) (Staff, error) {
	s, err := scanStaff(db.QueryRow(ctx, `SELECT `+staffColumns+` FROM staff WHERE id = $1`, id))
	if err != nil {
		return Staff{}, notFound(err, "staff")
	}
	return s, nil
}

// ListStaff returns every login, ordered by email.
func ListStaff(ctx context.Context, db DBTX) ([]Staff, error) {
	rows, err := db.Query(ctx, `SELECT `+staffColumns+` FROM staff ORDER BY lower(email)`)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	defer rows.Close()
	var out []Staff
	for rows.Next() {
		s, err := scanStaff(rows)
		if err != nil {
			return nil, fmt.Errorf("list staff: %w", err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// SetStaffDisabled disables or re-enables a login and ends its sessions.
func SetStaffDisabled(ctx context.Context, db DBTX, email string, disabled bool) error {
	var id int64
	err := db.QueryRow(ctx, `UPDATE staff SET disabled = $2 WHERE lower(email) = lower($1) RETURNING id`,
		strings.TrimSpace(email), disabled).Scan(&id)
	if err != nil {
		return notFound(err, "staff")
	}
	if disabled {
		if _, err := db.Exec(ctx, `DELETE FROM sessions WHERE staff_id = $1`, id); err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
	}
	return nil
}

// SetStaffPassword replaces a login's password hash and ends its sessions.
func SetStaffPassword(ctx context.Context, db DBTX, id int64, hash string) error {
	tag, err := db.Exec(ctx, `UPDATE staff SET password_hash = $2 WHERE id = $1`, id, hash)
	if err != nil {
		return fmt.Errorf("set password: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return tipline.Errorf(tipline.ENotFound, "staff not found")
	}
	_, err = db.Exec(ctx, `DELETE FROM sessions WHERE staff_id = $1`, id)
	return err
}

// CountStaff returns how many logins exist.
func CountStaff(ctx context.Context, db DBTX) (int, error) {
	var n int
	err := db.QueryRow(ctx, `SELECT count(*) FROM staff`).Scan(&n)
	return n, err
}
