package store

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"tipline"
	"tipline/directory"
)

// ResourceEdit is a change of a resource's descriptive fields (contact
// fields go through ProposeContactChange instead).
type ResourceEdit struct {
	ID           string
	Name         string
	Organization string
	Description  map[string]string
	Hours        string
	Notes        string
}

// DashUpdateResource saves the descriptive fields of a resource. The
// record must stay valid.
func DashUpdateResource(ctx context.Context, db DBTX, e ResourceEdit, now time.Time) error {
	r, err := GetResource(ctx, db, e.ID)
	if err != nil {
		return err
	}
	r.Name, r.Organization, r.Hours, r.Notes = strings.TrimSpace(e.Name), e.Organization, e.Hours, e.Notes
	r.Description = map[string]string{}
	for lang, text := range e.Description {
		if t := strings.TrimSpace(text); t != "" {
			r.Description[lang] = t
		}
	}
	if err := directory.Validate(r); err != nil {
		return tipline.Errorf(tipline.EInvalid, "%v", err)
	}
	desc, err := json.Marshal(r.Description)
	if err != nil {
		return err
	}
	tag, err := db.Exec(ctx, `UPDATE resources SET name = $2, organization = $3, description = $4, hours = $5,
		notes = $6, updated_at = $7 WHERE id = $1`, e.ID, r.Name, r.Organization, string(desc), r.Hours, r.Notes, now)
	return affectedOne(tag.RowsAffected(), err, "resource")
}

// DashMarkResourceVerified records that staffID checked the record's shown
// facts at their source today.
func DashMarkResourceVerified(ctx context.Context, db DBTX, id string, staffID int64, email string, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE resources SET verified = true, verified_by = $2, verified_by_staff = $3,
		verified_at = $4::timestamptz, checked_on = ($4::timestamptz)::date, updated_at = $4::timestamptz WHERE id = $1`, id, email, staffID, now)
	return affectedOne(tag.RowsAffected(), err, "resource")
}

// DashSetResourceHidden takes a resource off for users, or back on.
func DashSetResourceHidden(ctx context.Context, db DBTX, id string, hidden bool, now time.Time) error {
	tag, err := db.Exec(ctx, `UPDATE resources SET hidden = $2, updated_at = $3 WHERE id = $1`, id, hidden, now)
	return affectedOne(tag.RowsAffected(), err, "resource")
}
