package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"tipline/directory"
)

// markResourceVerified records that staffID checked the record's shown
// facts at their source today.
func markResourceVerified(ctx context.Context, db DBTX, id string, staffID int64, email string, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE resources SET verified = true, verified_by = $2, verified_by_staff = $3,
		verified_at = $4::timestamptz, checked_on = ($4::timestamptz)::date, updated_at = $4::timestamptz WHERE id = $1`, id, email, staffID, now)
	return affectedOne(tag.RowsAffected(), err, "resource")
}

// setResourceHidden takes a resource off for users, or back on.
func setResourceHidden(ctx context.Context, db DBTX, id string, hidden bool, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE resources SET hidden = $2, updated_at = $3 WHERE id = $1`, id, hidden, now)
	return affectedOne(tag.RowsAffected(), err, "resource")
}

// Resources lists every resource of the directory, hidden ones included.
func (s *Dashboard) Resources(ctx context.Context) ([]directory.Resource, error) {
	return ListResources(ctx, s.pool)
}

// Resource loads one resource.
func (s *Dashboard) Resource(ctx context.Context, id string) (directory.Resource, error) {
	return GetResource(ctx, s.pool, id)
}

// PendingContactChanges lists contact changes waiting for a second person.
func (s *Dashboard) PendingContactChanges(ctx context.Context) ([]ContactChange, error) {
	return PendingContactChanges(ctx, s.pool)
}

// ProposeContactChange keeps a change of contact details until a second
// staff member verifies it; fields names the changed fields for the audit
// row.
func (s *Dashboard) ProposeContactChange(ctx context.Context, a Actor, c ContactChange, fields []string) error {
	e := a.Entry("resource.contact_propose", "resource", c.ResourceID, map[string]any{"fields": fields})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		return ProposeContactChange(ctx, tx, c)
	})
}

// VerifyResource verifies the pending contact change of resource id (which
// must be someone else's) or, with what "record", records that a checked
// the shown facts at their source now.
func (s *Dashboard) VerifyResource(ctx context.Context, a Actor, id, what string) error {
	e := a.Entry("resource.verify", "resource", id, map[string]any{"what": what})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		if what == "record" {
			return markResourceVerified(ctx, tx, id, a.StaffID, a.Email, a.At)
		}
		_, err := VerifyContactChange(ctx, tx, id, a.StaffID, a.Email)
		return err
	})
}

// SetResourceHidden takes a resource off for users, or puts it back.
func (s *Dashboard) SetResourceHidden(ctx context.Context, a Actor, id string, hidden bool) error {
	e := a.Entry("resource.hide", "resource", id, map[string]any{"hidden": hidden})
	return s.change(ctx, e, func(tx pgx.Tx) error {
		return setResourceHidden(ctx, tx, id, hidden, a.At)
	})
}
